/** `/`: campaigns with their last 30 days at a glance, the create form, archive buttons. */
import type { Campaign } from '../../db/campaigns';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf, Field, Layout } from '../layout';
import type { FieldErrors, FormValues } from '../forms';
import { revenueText, type totals } from '../report-query';
import { Notice } from './confirm';

export interface CampaignRow {
  campaign: Campaign;
  /** Absent when the key may not read reports. */
  stats?: ReturnType<typeof totals>;
}

export interface CampaignsView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
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
  return (
    <Layout lang={view.lang} t={t} title={t.campaigns} path="/campaigns" csrf={view.csrf} admin={view.admin}>
      <h1>{t.campaigns}</h1>
      <Notice text={view.notice ?? null} />
      <section class="card" aria-labelledby="list-title">
        <h2 id="list-title">{t.last30}</h2>
        {view.rows.length === 0 ? (
          <p class="empty">{view.canWrite ? t.noCampaigns : t.noCampaignsRead}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col" class="num">
                    {t.visits}
                  </th>
                  <th scope="col" class="num">
                    {t.conversions}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                  <th scope="col">{t.created}</th>
                  {view.canWrite && (
                    <th scope="col">
                      <span class="muted">{t.archive}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {view.rows.map(({ campaign, stats }) => (
                  <tr data-campaign={campaign.id}>
                    <td>
                      <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>
                    </td>
                    <td>{campaign.status === 'active' ? t.active : t.archived}</td>
                    <td class="num" data-metric="visits">
                      {stats ? fmt.num(stats.visits) : '–'}
                    </td>
                    <td class="num" data-metric="conversions">
                      {stats ? fmt.num(stats.conversions) : '–'}
                    </td>
                    <td class="num" data-metric="revenue">
                      {stats ? revenueText(fmt, t, stats) : '–'}
                    </td>
                    <td>{fmt.date(campaign.createdAt)}</td>
                    {view.canWrite && (
                      <td>
                        {campaign.status === 'active' ? (
                          <a class="button secondary" href={`/campaigns/${campaign.id}/archive?back=list`} aria-label={`${t.archive}: ${campaign.name}`}>
                            {t.archive}…
                          </a>
                        ) : (
                          <form class="inline" method="post" action={`/campaigns/${campaign.id}/restore`}>
                            <Csrf token={view.csrf} />
                            <input type="hidden" name="back" value="list" />
                            <button type="submit" class="secondary" aria-label={`${t.restore}: ${campaign.name}`}>
                              {t.restore}
                            </button>
                          </form>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.nextCursor && (
          <p>
            <a href={`/campaigns?cursor=${encodeURIComponent(view.nextCursor)}`}>→</a>
          </p>
        )}
      </section>
      {view.canWrite ? (
        <section class="card" aria-labelledby="new-title">
          <h2 id="new-title">{t.newCampaign}</h2>
          {errors._ && (
            <p class="notice" role="alert">
              {errors._}
            </p>
          )}
          <form class="stack" method="post" action="/campaigns">
            <Csrf token={view.csrf} />
            <Field name="name" label={t.name} value={values.name} error={errors.name} required />
            <Field name="utm_campaign" label={t.utmCampaign} value={values.utm_campaign} error={errors.utm_campaign} />
            <Field name="landing_url" label={t.landingUrl} value={values.landing_url} error={errors.landing_url} type="url" />
            <Field name="description" label={t.description} value={values.description} error={errors.description} />
            <div class="field">
              <button type="submit">{t.create}</button>
            </div>
          </form>
        </section>
      ) : (
        <p class="muted">{t.readOnly}</p>
      )}
    </Layout>
  );
}
