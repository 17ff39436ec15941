/** The filters of the report pages: the range picker (preset links, a from/to date form keeping the other filters, the UTC note), campaign and model pickers. */
import { REPORT_MODELS } from '../../domain/vocab';
import { fill, type Texts } from '../i18n';
import { hrefWith, RANGE_PRESETS, type RangePreset } from '../ranges';
import { vocabName } from '../texts/index';
import type { FieldErrors } from '../forms';

export function RangePicker(props: {
  t: Texts;
  path: string;
  /** The page's other parameters (filters, model, …), kept by every link and the form. */
  params: Record<string, string | undefined>;
  from: string;
  to: string;
  preset: RangePreset | undefined;
  errors?: FieldErrors;
}) {
  const { t, params, errors = {} } = props;
  const keep = Object.entries(params).filter(([key, value]) => value && !['from', 'to', 'range'].includes(key));
  return (
    <div class="range-picker">
      <nav class="presets" aria-label={t.rangeLabel}>
        {RANGE_PRESETS.map((preset) => (
          <a href={hrefWith(props.path, params, { range: preset, from: undefined, to: undefined })} aria-current={props.preset === preset ? 'true' : undefined}>
            {t[`range_${preset}`]}
          </a>
        ))}
      </nav>
      <form class="dates" method="get" action={props.path}>
        {keep.map(([key, value]) => (
          <input type="hidden" name={key} value={value} />
        ))}
        {(['from', 'to'] as const).map((name) => (
          <div class="field">
            <label for={`f-${name}`}>{name === 'from' ? t.from : t.to}</label>
            <input
              id={`f-${name}`}
              name={name}
              type="date"
              value={props[name]}
              required
              aria-invalid={errors[name] ? 'true' : undefined}
              aria-describedby={errors[name] ? `f-${name}-error` : undefined}
            />
            {errors[name] && (
              <span class="error" id={`f-${name}-error`}>
                {errors[name]}
              </span>
            )}
          </div>
        ))}
        <button type="submit" class="secondary">
          {t.apply}
        </button>
      </form>
      <p class="muted utc-note" data-utc-note={t.utcNote}>
        {t.utcNoteNoScript}
      </p>
    </div>
  );
}

/** Hidden inputs that carry a page's other parameters through a GET form (all but `except`). */
export const KeptParams = (props: { params: Record<string, string | undefined>; except: readonly string[] }) => (
  <>
    {Object.entries(props.params)
      .filter(([key, value]) => value && !props.except.includes(key))
      .map(([key, value]) => (
        <input type="hidden" name={key} value={value} />
      ))}
  </>
);

/** The campaign filter of a report page. */
export const CampaignSelect = (props: { t: Texts; campaigns: ReadonlyArray<{ id: string; name: string }>; selected: string | undefined }) => (
  <div class="field">
    <label for="f-campaign">{props.t.campaign}</label>
    <select id="f-campaign" name="campaign_id">
      <option value="">{props.t.allCampaigns}</option>
      {props.campaigns.map((campaign) => (
        <option value={campaign.id} selected={campaign.id === props.selected}>
          {campaign.name}
        </option>
      ))}
    </select>
  </div>
);

/** The attribution model picker, each model by its name. */
export const ModelSelect = (props: { t: Texts; selected: string }) => (
  <div class="field">
    <label for="f-model">{props.t.model}</label>
    <select id="f-model" name="model">
      {REPORT_MODELS.map((model) => (
        <option value={model} selected={model === props.selected}>
          {vocabName(props.t, 'model', model)}
        </option>
      ))}
    </select>
  </div>
);

/** The analyst's report subpages, in the order they are linked; cohorts open on their own default range (twelve months), not the page's. */
const REPORT_SUBPAGES = [
  { path: '/reports/models', text: 'compareModels', keepRange: true },
  { path: '/reports/paths', text: 'conversionPaths', keepRange: true },
  { path: '/reports/rfm', text: 'rfmSegments', keepRange: true },
  { path: '/reports/cohorts', text: 'cohorts', keepRange: false },
] as const;

/** What the chosen model does, in one sentence, and the ways to the report subpages (model comparison, paths, RFM, cohorts) for the same range. */
export const ModelNote = (props: { t: Texts; model: string; from: string; to: string; campaignId: string | undefined }) => (
  <p class="muted model-about">
    {fill(props.t.creditedBy, { model: vocabName(props.t, 'model', props.model), about: vocabName(props.t, 'modelAbout', props.model) })}{' '}
    {REPORT_SUBPAGES.map((page, index) => (
      <>
        {index > 0 && ' · '}
        <a
          href={hrefWith(page.path, page.keepRange ? { from: props.from, to: props.to, campaign_id: props.campaignId } : { campaign_id: props.campaignId }, {})}
        >
          {props.t[page.text]}
        </a>
      </>
    ))}
  </p>
);
