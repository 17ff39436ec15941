/** `/`: campaigns with their last 30 days at a glance, the create form, archive buttons. */
import type { Campaign } from '../../db/campaigns';
import { Csrf, Field, Layout } from '../layout';
import type { FieldErrors, FormValues } from '../forms';
import { revenueText, type totals } from '../report-query';
import { Notice } from './confirm';
import { DataTable, FigureCells, figureColumns, FormError, type Figure, type PageView, PostButton, Submit } from './parts';

export interface CampaignRow {
  campaign: Campaign;
  /** Absent when the key may not read reports. */
  stats?: Stats;
}

type Stats = ReturnType<typeof totals>;

export interface CampaignsView extends PageView {
  canWrite: boolean;
  rows: CampaignRow[];
  nextCursor: string | null;
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | null;
}

export function CampaignsPage(view: CampaignsView) {
  const { t, fmt } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  const figures: Figure<Stats>[] = [
    { metric: 'visits', label: t.visits, show: (stats) => fmt.num(stats.visits) },
    { metric: 'conversions', label: t.conversions, show: (stats) => fmt.num(stats.conversions) },
    { metric: 'revenue', label: t.revenue, show: (stats) => revenueText(fmt, t, stats) },
  ];
  return (
    <Layout lang={view.lang} t={t} title={t.campaigns} path="/campaigns" csrf={view.csrf} admin={view.admin}>
      <h1>{t.campaigns}</h1>
      <Notice text={view.notice ?? null} />
      <section class="card" aria-labelledby="list-title">
        <h2 id="list-title">{t.last30}</h2>
        <DataTable
          rows={view.rows}
          empty={view.canWrite ? t.noCampaigns : t.noCampaignsRead}
          columns={[
            { label: t.name },
            { label: t.status },
            ...figureColumns(figures),
            { label: t.created },
            view.canWrite && { label: t.archive, muted: true },
          ]}
          row={({ campaign, stats }) => (
            <tr data-campaign={campaign.id}>
              <td>
                <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>
              </td>
              <td>{campaign.status === 'active' ? t.active : t.archived}</td>
              <FigureCells figures={figures} of={stats ?? null} />
              <td>{fmt.date(campaign.createdAt)}</td>
              {view.canWrite && (
                <td>
                  {campaign.status === 'active' ? (
                    <a class="button secondary" href={`/campaigns/${campaign.id}/archive?back=list`} aria-label={`${t.archive}: ${campaign.name}`}>
                      {t.archive}…
                    </a>
                  ) : (
                    <PostButton
                      action={`/campaigns/${campaign.id}/restore`}
                      csrf={view.csrf}
                      hidden={{ back: 'list' }}
                      label={t.restore}
                      ariaLabel={`${t.restore}: ${campaign.name}`}
                    />
                  )}
                </td>
              )}
            </tr>
          )}
        />
        {view.nextCursor && (
          <p>
            <a href={`/campaigns?cursor=${encodeURIComponent(view.nextCursor)}`}>→</a>
          </p>
        )}
      </section>
      {view.canWrite ? (
        <section class="card" aria-labelledby="new-title">
          <h2 id="new-title">{t.newCampaign}</h2>
          <FormError error={errors._} />
          <form class="stack" method="post" action="/campaigns">
            <Csrf token={view.csrf} />
            <Field name="name" label={t.name} value={values.name} error={errors.name} required />
            <Field name="utm_campaign" label={t.utmCampaign} value={values.utm_campaign} error={errors.utm_campaign} />
            <Field name="landing_url" label={t.landingUrl} value={values.landing_url} error={errors.landing_url} type="url" />
            <Field name="description" label={t.description} value={values.description} error={errors.description} />
            <Submit label={t.create} />
          </form>
        </section>
      ) : (
        <p class="muted">{t.readOnly}</p>
      )}
    </Layout>
  );
}
