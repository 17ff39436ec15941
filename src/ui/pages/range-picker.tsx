/** The range picker of the report pages: preset links, a from/to date form keeping the other filters, and the UTC note. */
import type { Texts } from '../i18n';
import { hrefWith, RANGE_PRESETS, type RangePreset } from '../ranges';
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
