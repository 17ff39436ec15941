/** The campaign page's forms: new link (with the UTM builder), link edit, campaign settings, and the period picker. */
import { CHANNELS, LINK_KINDS, type AttributionModel } from '../../domain/vocab';
import { previewLink } from '../../services/link-preview';
import { pickedValue } from '../dates';
import type { FieldErrors, FormValues } from '../forms';
import type { Texts } from '../i18n';
import { Csrf, Field } from '../layout';
import { fill, vocabName } from '../texts';
import { campaignPath, kindName, type CampaignView, type LinkRow } from './campaign-view';
import { RoutingFields } from './link-routing';
import { FormError, PostButton, Submit } from './parts';
import { DomainSelect, PreviewFields } from './link-domain-fields';

/** The value a field shows: what was typed when the form failed, else the stored one. */
const shown = (values: FormValues, name: string, stored: string | null | undefined) => (name in values ? values[name] : (stored ?? ''));

/** A date-and-time picker (UTC) for field `name`. */
export function DateTimeField(props: { name: string; id?: string; label: string; t: Texts; value?: string | null; error?: string }) {
  return (
    <Field
      name={props.name}
      id={props.id}
      label={`${props.label} ${props.t.cpDateTimeUtc}`}
      value={pickedValue(props.value)}
      error={props.error}
      type="datetime-local"
    />
  );
}

/** From/to day pickers for a section's figures (GET, so the period is in the address). */
export function RangeForm(props: { t: Texts; action: string; section?: string; range: { from: string; to: string }; model: AttributionModel }) {
  const { t } = props;
  return (
    <form class="range" method="get" action={props.action} aria-label={t.cpRange}>
      {props.section && <input type="hidden" name="section" value={props.section} />}
      <Field name="from" id="r-from" label={t.from} value={props.range.from} type="date" />
      <Field name="to" id="r-to" label={t.to} value={props.range.to} type="date" />
      <Submit label={t.cpRangeShow} secondary />
      <p class="muted note">{fill(t.cpRangeNote, { model: vocabName(t, 'model', props.model) })}</p>
    </form>
  );
}

export function LinkForm(props: { view: CampaignView; values: FormValues; errors: FieldErrors }) {
  const { t, campaign } = props.view;
  const { values, errors } = props;
  const select = (name: string, label: string, options: readonly string[], name_: (value: string) => string, empty?: string) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} aria-invalid={errors[name] ? 'true' : undefined}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((option) => (
          <option value={option} selected={values[name] === option}>
            {name_(option)}
          </option>
        ))}
      </select>
      {errors[name] && <span class="error">{errors[name]}</span>}
    </div>
  );
  return (
    <section class="card" id="new-link" aria-labelledby="new-link-title">
      <h2 id="new-link-title">{t.newLink}</h2>
      <FormError error={errors._} />
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
        {select('kind', t.kind, LINK_KINDS, (kind) => kindName(t, kind))}
        {select('channel', t.channel, CHANNELS, (channel) => vocabName(t, 'channel', channel), t.channelAuto)}
        <Field name="label" label={t.label} value={values.label} error={errors.label} />
        <DomainSelect t={t} domains={props.view.domains} value={values.domain} error={errors.domain} />
        <PreviewFields t={t} values={values} error={errors.preview} />
        <RoutingFields t={t} link={null} values={values} errors={errors} />
        <div class="field wide">
          <label for="utm-preview">{t.preview}</label>
          <output id="utm-preview" class="preview" data-utm-preview data-campaign-utm={campaign.utmCampaign} aria-live="polite">
            {previewLink(campaign, { ...values, destination: values.destination ?? campaign.landingUrl ?? '' }).tracked_url ?? ''}
          </output>
        </div>
        <Submit label={t.create} />
      </form>
    </section>
  );
}

export function LinkEditForm(props: { view: CampaignView; row: LinkRow; values: FormValues; errors: FieldErrors }) {
  const { t, campaign } = props.view;
  const { row, values, errors } = props;
  const action = `/campaigns/${campaign.id}/links/${row.link.id}`;
  const archived = row.link.status === 'archived';
  return (
    <section class="card" id="edit-link" aria-labelledby="edit-link-title">
      <h2 id="edit-link-title">
        {t.editLink} <code>{row.shortUrl}</code>
      </h2>
      <FormError error={errors._} />
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
        <DateTimeField
          name="expires_at"
          id="l-expires_at"
          label={t.cpExpiresAt}
          t={t}
          value={shown(values, 'expires_at', row.link.expiresAt)}
          error={errors.expires_at}
        />
        <RoutingFields t={t} link={row.link} values={values} errors={errors} />
        <DomainSelect t={t} idPrefix="l" domains={props.view.domains} value={shown(values, 'domain', row.link.domain)} error={errors.domain} />
        <PreviewFields
          t={t}
          idPrefix="l"
          values={{
            preview_title: shown(values, 'preview_title', row.link.preview?.title),
            preview_description: shown(values, 'preview_description', row.link.preview?.description),
            preview_image_url: shown(values, 'preview_image_url', row.link.preview?.imageUrl),
          }}
          error={errors.preview}
        />
        <Submit label={t.save} />
      </form>
      <div class="actions">
        {archived ? (
          <PostButton action={`${action}/restore`} csrf={props.view.csrf} label={t.restoreLink} />
        ) : (
          <a class="button secondary" href={`${action}/archive`}>
            {t.cpArchiveLink}
          </a>
        )}
        <a href={campaignPath(campaign.id, 'links')}>{t.cpCancel}</a>
      </div>
    </section>
  );
}

export function CampaignEditForm(props: { view: CampaignView; values: FormValues; errors: FieldErrors }) {
  const { t, campaign, canWrite } = props.view;
  const { values, errors } = props;
  if (!canWrite) return <p class="muted">{t.readOnly}</p>;
  const active = campaign.status === 'active';
  return (
    <>
      {active && (
        <section class="card" id="edit-campaign" aria-labelledby="edit-campaign-title">
          <h2 id="edit-campaign-title">{t.editCampaign}</h2>
          <FormError error={errors._} />
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
            <DateTimeField
              name="starts_at"
              id="c-starts_at"
              label={t.cpStartsAt}
              t={t}
              value={shown(values, 'starts_at', campaign.startsAt)}
              error={errors.starts_at}
            />
            <DateTimeField name="ends_at" id="c-ends_at" label={t.cpEndsAt} t={t} value={shown(values, 'ends_at', campaign.endsAt)} error={errors.ends_at} />
            <Submit label={t.save} />
          </form>
        </section>
      )}
      <section class="card" id="archive-campaign" aria-labelledby="archive-campaign-title">
        <h2 id="archive-campaign-title">{active ? t.archive : t.restore}</h2>
        {active ? (
          <a class="button secondary" href={`/campaigns/${campaign.id}/archive?back=campaign`}>
            {t.cpArchiveCampaign}
          </a>
        ) : (
          <PostButton action={`/campaigns/${campaign.id}/restore`} csrf={props.view.csrf} hidden={{ back: 'campaign' }} label={t.cpRestoreCampaign} />
        )}
      </section>
    </>
  );
}
