/** `/campaigns/:id`: links with clicks and scans, the link form with its UTM builder, QR, codes and promotions. */
import type { Campaign } from '../../db/campaigns';
import type { CodeBatch } from '../../db/code-batches';
import type { LinkWithCampaign } from '../../db/links';
import type { PromoCode } from '../../db/promo-codes';
import { CHANNELS, LINK_KINDS } from '../../domain/vocab';
import { previewLink } from '../../services/link-preview';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf, Field, Layout } from '../layout';
import { referralColumns, ReportTable, type Cell } from './table';
import { BatchesSection, PromosSection, QrSection, type QrOptions } from './campaign-parts';

export interface LinkRow {
  link: LinkWithCampaign;
  shortUrl: string;
  trackedUrl: string;
  stats: { clicks: number; scans: number; unique_visitors: number };
}

export interface CampaignView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
  canWrite: boolean;
  campaign: Campaign;
  links: LinkRow[];
  batches: CodeBatch[];
  promos: PromoCode[];
  /** Last 30 days of the campaign's referrers; null when the key may not read reports. */
  referrals: { rows: Array<Record<string, Cell>>; kFactor: number; csv: string } | null;
  qr: { link: LinkRow; options: QrOptions } | null;
  /** The link whose edit form is open (`?edit=<link id>`). */
  editing: LinkRow | null;
  /** The form that failed, with what was typed and the errors per field. */
  failed?: { form: CampaignForm; values: FormValues; errors: FieldErrors };
}

export type CampaignForm = 'link' | 'batch' | 'promo' | 'campaign' | 'editLink';

export function CampaignPage(view: CampaignView) {
  const { t, fmt, campaign } = view;
  const failed = (form: CampaignForm) => (view.failed?.form === form ? view.failed : { values: {}, errors: {} as FieldErrors });
  const active = campaign.status === 'active';
  return (
    <Layout lang={view.lang} t={t} title={campaign.name} path={`/campaigns/${campaign.id}`} csrf={view.csrf} admin={view.admin}>
      <p>
        <a href="/campaigns">← {t.campaigns}</a>
      </p>
      <h1>{campaign.name}</h1>
      <p class="muted">
        utm_campaign=<code>{campaign.utmCampaign}</code> · {active ? t.active : t.archived} · {fmt.date(campaign.createdAt)}
      </p>
      <section class="card" aria-labelledby="links-title">
        <h2 id="links-title">{t.links}</h2>
        {view.links.length === 0 ? (
          <p class="empty">{t.noLinks}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.shortUrl}</th>
                  <th scope="col">{t.kind}</th>
                  <th scope="col">{t.channel}</th>
                  <th scope="col" class="num">
                    {t.clicks}
                  </th>
                  <th scope="col" class="num">
                    {t.scans}
                  </th>
                  <th scope="col" class="num">
                    {t.uniqueVisitors}
                  </th>
                  <th scope="col">{t.qrCode}</th>
                  {view.canWrite && active && (
                    <th scope="col">
                      <span class="muted">{t.edit}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {view.links.map((row) => (
                  <tr data-link={row.link.id}>
                    <td>
                      <code data-short-url>{row.shortUrl}</code>
                      {row.link.label && <div class="muted">{row.link.label}</div>}
                    </td>
                    <td>{row.link.kind}</td>
                    <td>{row.link.channel}</td>
                    <td class="num" data-metric="clicks">
                      {fmt.num(row.stats.clicks)}
                    </td>
                    <td class="num" data-metric="scans">
                      {fmt.num(row.stats.scans)}
                    </td>
                    <td class="num">{fmt.num(row.stats.unique_visitors)}</td>
                    <td>
                      <a href={`/campaigns/${campaign.id}?link=${row.link.id}#qr`}>{t.qrCode}</a>
                    </td>
                    {view.canWrite && active && (
                      <td>
                        <a href={`/campaigns/${campaign.id}?edit=${row.link.id}#edit-link`} aria-label={`${t.edit}: ${row.shortUrl}`}>
                          {t.edit}
                        </a>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {view.qr && <QrSection t={t} campaignId={campaign.id} link={view.qr.link.link} shortUrl={view.qr.link.shortUrl} options={view.qr.options} />}
      {view.canWrite && active && view.editing && <LinkEditForm view={view} row={view.editing} {...failed('editLink')} />}
      {view.canWrite && active && <LinkForm view={view} values={failed('link').values} errors={failed('link').errors} />}
      <BatchesSection
        t={t}
        fmt={fmt}
        csrf={view.csrf}
        campaignId={campaign.id}
        canWrite={view.canWrite && active}
        batches={view.batches}
        {...failed('batch')}
      />
      {view.referrals && (
        <ReportTable
          id="referrals"
          title={`${t.referrals} · ${t.last30} · ${t.kFactor} ${fmt.num(view.referrals.kFactor)}`}
          t={t}
          fmt={fmt}
          columns={referralColumns(t)}
          rows={view.referrals.rows}
          csv={view.referrals.csv}
          empty={t.noReferrals}
        />
      )}
      <PromosSection t={t} fmt={fmt} csrf={view.csrf} campaignId={campaign.id} canWrite={view.canWrite && active} promos={view.promos} {...failed('promo')} />
      {view.canWrite && active && <CampaignEditForm view={view} {...failed('campaign')} />}
    </Layout>
  );
}

function LinkForm(props: { view: CampaignView; values: FormValues; errors: FieldErrors }) {
  const { t, campaign } = props.view;
  const { values, errors } = props;
  const select = (name: string, label: string, options: readonly string[], empty?: string) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} aria-invalid={errors[name] ? 'true' : undefined}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((option) => (
          <option value={option} selected={values[name] === option}>
            {option}
          </option>
        ))}
      </select>
      {errors[name] && <span class="error">{errors[name]}</span>}
    </div>
  );
  return (
    <section class="card" aria-labelledby="new-link-title">
      <h2 id="new-link-title">{t.newLink}</h2>
      {errors._ && (
        <p class="notice" role="alert">
          {errors._}
        </p>
      )}
      <form class="stack" method="post" action={`/campaigns/${campaign.id}/links`} data-utm={`/campaigns/${campaign.id}/preview`}>
        <Csrf token={props.view.csrf} />
        <Field
          name="destination"
          label={t.destination}
          value={values.destination ?? campaign.landingUrl ?? ''}
          error={errors.destination}
          type="url"
          required
          wide
        />
        <Field name="utm_source" label="utm_source" value={values.utm_source} error={errors.utm_source} />
        <Field name="utm_medium" label="utm_medium" value={values.utm_medium} error={errors.utm_medium} />
        <Field name="utm_campaign" label="utm_campaign" value={values.utm_campaign} error={errors.utm_campaign} attrs={{ placeholder: campaign.utmCampaign }} />
        <Field name="utm_term" label="utm_term" value={values.utm_term} error={errors.utm_term} />
        <Field name="utm_content" label="utm_content" value={values.utm_content} error={errors.utm_content} />
        <Field name="slug" label={t.slug} value={values.slug} error={errors.slug} />
        {select('kind', t.kind, LINK_KINDS)}
        {select('channel', t.channel, CHANNELS, t.channelAuto)}
        <Field name="label" label={t.label} value={values.label} error={errors.label} />
        <div class="field wide">
          <label for="utm-preview">{t.preview}</label>
          <output id="utm-preview" class="preview" data-utm-preview data-campaign-utm={campaign.utmCampaign} aria-live="polite">
            {previewLink(campaign, { ...values, destination: values.destination ?? campaign.landingUrl ?? '' }).tracked_url ?? ''}
          </output>
        </div>
        <div class="field">
          <button type="submit">{t.create}</button>
        </div>
      </form>
    </section>
  );
}

/** The value a field shows: what was typed when the form failed, else the stored one. */
const shown = (values: FormValues, name: string, stored: string | null | undefined) => (name in values ? values[name] : (stored ?? ''));

function CampaignEditForm(props: { view: CampaignView; values: FormValues; errors: FieldErrors }) {
  const { t, campaign } = props.view;
  const { values, errors } = props;
  return (
    <section class="card" id="edit-campaign" aria-labelledby="edit-campaign-title">
      <h2 id="edit-campaign-title">{t.editCampaign}</h2>
      {errors._ && (
        <p class="notice" role="alert">
          {errors._}
        </p>
      )}
      <form class="stack" method="post" action={`/campaigns/${campaign.id}/edit`}>
        <Csrf token={props.view.csrf} />
        <Field name="name" id="c-name" label={t.name} value={shown(values, 'name', campaign.name)} error={errors.name} required />
        <Field
          name="landing_url"
          id="c-landing_url"
          label={t.landingUrl}
          value={shown(values, 'landing_url', campaign.landingUrl)}
          error={errors.landing_url}
          type="url"
          wide
        />
        <Field
          name="description"
          id="c-description"
          label={t.description}
          value={shown(values, 'description', campaign.description)}
          error={errors.description}
          wide
        />
        <Field name="starts_at" id="c-starts_at" label={t.startsAt} value={shown(values, 'starts_at', campaign.startsAt)} error={errors.starts_at} />
        <Field name="ends_at" id="c-ends_at" label={t.endsAt} value={shown(values, 'ends_at', campaign.endsAt)} error={errors.ends_at} />
        <div class="field">
          <button type="submit">{t.save}</button>
        </div>
      </form>
    </section>
  );
}

function LinkEditForm(props: { view: CampaignView; row: LinkRow; values: FormValues; errors: FieldErrors }) {
  const { t, campaign } = props.view;
  const { row, values, errors } = props;
  const action = `/campaigns/${campaign.id}/links/${row.link.id}`;
  return (
    <section class="card" id="edit-link" aria-labelledby="edit-link-title">
      <h2 id="edit-link-title">
        {t.editLink} <code>{row.shortUrl}</code>
      </h2>
      {errors._ && (
        <p class="notice" role="alert">
          {errors._}
        </p>
      )}
      <form class="stack" method="post" action={`${action}/edit`}>
        <Csrf token={props.view.csrf} />
        <Field
          name="destination"
          id="l-destination"
          label={t.destination}
          value={shown(values, 'destination', row.link.destination)}
          error={errors.destination}
          type="url"
          required
          wide
        />
        <Field name="label" id="l-label" label={t.label} value={shown(values, 'label', row.link.label)} error={errors.label} />
        <Field name="expires_at" id="l-expires_at" label={t.expiresAt} value={shown(values, 'expires_at', row.link.expiresAt)} error={errors.expires_at} />
        <div class="field">
          <button type="submit">{t.save}</button>
        </div>
      </form>
      <form class="inline" method="post" action={`${action}/${row.link.status === 'archived' ? 'restore' : 'archive'}`}>
        <Csrf token={props.view.csrf} />
        <button type="submit" class="secondary">
          {row.link.status === 'archived' ? t.restoreLink : t.archiveLink}
        </button>
      </form>
    </section>
  );
}
