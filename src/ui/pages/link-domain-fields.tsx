/** The link form's branded-domain select and social preview fields. */
import type { FormValues } from '../forms';
import type { Texts } from '../i18n';
import { Field } from '../layout';

/** The domain a new link lives on: the installation's own address (empty value) or a branded hostname. */
export function DomainSelect(props: { t: Texts; domains: readonly string[]; value?: string; error?: string; idPrefix?: string }) {
  const { t } = props;
  const id = `${props.idPrefix ?? 'f'}-domain`;
  return (
    <div class="field">
      <label for={id}>{t.linkDomain}</label>
      <select id={id} name="domain" aria-invalid={props.error ? 'true' : undefined}>
        <option value="">{t.domainOwnHost}</option>
        {props.domains.map((hostname) => (
          <option value={hostname} selected={props.value === hostname}>
            {hostname}
          </option>
        ))}
      </select>
      {props.error && <span class="error">{props.error}</span>}
      <a class="muted" href="/settings/domains">
        {t.manageDomains}
      </a>
    </div>
  );
}

/** Title, description and image of the card link-preview bots show. */
export function PreviewFields(props: { t: Texts; values: FormValues; error?: string; idPrefix?: string }) {
  const { t, values } = props;
  const prefix = props.idPrefix ?? 'f';
  return (
    <fieldset class="field wide" aria-describedby={props.error ? `${prefix}-preview-error` : undefined}>
      <legend>{t.socialPreview}</legend>
      <Field name="preview_title" id={`${prefix}-preview_title`} label={t.previewTitle} value={values.preview_title} attrs={{ maxlength: 200 }} />
      <Field
        name="preview_description"
        id={`${prefix}-preview_description`}
        label={t.previewDescription}
        value={values.preview_description}
        attrs={{ maxlength: 500 }}
      />
      <Field name="preview_image_url" id={`${prefix}-preview_image_url`} label={t.previewImageUrl} value={values.preview_image_url} type="url" />
      {props.error && (
        <span class="error" id={`${prefix}-preview-error`}>
          {props.error}
        </span>
      )}
    </fieldset>
  );
}
