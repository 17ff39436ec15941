/** A link's rules, A/B variants and click cap: the edit form's fields, and the link page's section with each split's verdict. */
import type { Link } from '../../db/links';
import type { RoutingReport } from '../../services/link-routing-report';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Field } from '../layout';
import { fill } from '../texts';
import { Card, Cell, DataTable, KeyCell } from './parts';

const pretty = (value: unknown[] | null): string => (value && value.length > 0 ? JSON.stringify(value, null, 2) : '');

/** The value a routing field shows: what was typed when the form failed, else the stored one (none for a new link). */
export function routingValues(link: Link | null): FormValues {
  return {
    rules: pretty(link?.rules ?? null),
    variants: pretty(link?.variants ?? null),
    max_clicks: link?.maxClicks == null ? '' : String(link.maxClicks),
    fallback_url: link?.fallbackUrl ?? '',
  };
}

function JsonArea(props: { prefix: string; name: string; label: string; help: string; value: string; error?: string }) {
  const id = `${props.prefix}-${props.name}`;
  return (
    <div class="field wide">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={6}
        spellcheck={false}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${id}-help${props.error ? ` ${id}-error` : ''}`}
      >
        {props.value}
      </textarea>
      <span class="muted" id={`${id}-help`}>
        {props.help}
      </span>
      {props.error && (
        <span class="error" id={`${id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The routing fields of the new-link form (`link` null) and of the edit form. */
export function RoutingFields(props: { t: Texts; link: Link | null; values: FormValues; errors: FieldErrors }) {
  const { t, errors } = props;
  // Ids apart, since the new-link form and a link's edit form can share a page.
  const prefix = props.link ? 'l' : 'n';
  const stored = routingValues(props.link);
  const shown = (name: string) => (name in props.values ? props.values[name] : stored[name]);
  return (
    <>
      <JsonArea prefix={prefix} name="rules" label={t.lrRules} help={t.lrRulesHelp} value={shown('rules')} error={errors.rules} />
      <JsonArea prefix={prefix} name="variants" label={t.lrVariants} help={t.lrVariantsHelp} value={shown('variants')} error={errors.variants} />
      <Field
        name="max_clicks"
        id={`${prefix}-max_clicks`}
        label={t.lrMaxClicks}
        type="number"
        value={shown('max_clicks')}
        error={errors.max_clicks}
        attrs={{ min: 1 }}
      />
      <Field
        name="fallback_url"
        id={`${prefix}-fallback_url`}
        label={t.lrFallbackUrl}
        type="url"
        value={shown('fallback_url')}
        error={errors.fallback_url}
        wide
      />
    </>
  );
}

/** The link page's section: visits and conversions per rule and variant, then each A/B split with its verdict. */
export function RoutingSection(props: { t: Texts; fmt: Formatters; report: RoutingReport }) {
  const { t, fmt, report } = props;
  const ruleName = (rule: string | null) => rule ?? t.lrDefault;
  return (
    <Card id="routing" title={t.lrSection}>
      <p class="muted">{t.lrSectionNote}</p>
      <DataTable
        class="cards"
        rows={report.rows}
        empty={t.lrNoVisits}
        columns={[
          { label: t.lrRule },
          { label: t.lrVariant },
          { label: t.visits, num: true },
          { label: t.lrVisitors, num: true },
          { label: t.conversions, num: true },
        ]}
        row={(row) => (
          <tr data-rule={row.rule ?? ''} data-variant={row.variant ?? ''}>
            <KeyCell>{row.after_cap ? t.lrAfterCap : ruleName(row.rule)}</KeyCell>
            <Cell label={t.lrVariant}>{row.variant ?? t.lrNone}</Cell>
            <Cell num label={t.visits} metric="visits">
              {fmt.num(row.visits)}
            </Cell>
            <Cell num label={t.lrVisitors} metric="visitors">
              {fmt.num(row.unique_visitors)}
            </Cell>
            <Cell num label={t.conversions} metric="conversions">
              {fmt.num(row.conversions)}
            </Cell>
          </tr>
        )}
      />
      {report.experiments.map((experiment) => (
        <>
          <h3>{fill(t.lrSplitOf, { rule: experiment.rule ?? t.lrLinkSplit })}</h3>
          <DataTable
            class="cards experiment"
            rows={experiment.variants}
            empty={t.lrNoVisits}
            columns={[
              { label: t.lrVariant },
              { label: t.lrVisitors, num: true },
              { label: t.conversions, num: true },
              { label: t.lrRate, num: true },
              { label: t.lrVerdict },
            ]}
            row={(variant) => (
              <tr data-variant={variant.variant} data-verdict={variant.verdict}>
                <KeyCell>{variant.variant}</KeyCell>
                <Cell num label={t.lrVisitors} metric="visitors">
                  {fmt.num(variant.visitors)}
                </Cell>
                <Cell num label={t.conversions} metric="conversions">
                  {fmt.num(variant.conversions)}
                </Cell>
                <Cell num label={t.lrRate} metric="rate">
                  {fmt.pct(variant.conversion_rate)}
                </Cell>
                <Cell label={t.lrVerdict} col="verdict">
                  {fill(t[`lrVerdict_${variant.verdict}`], { p: variant.p_value === null ? '' : String(variant.p_value) })}
                </Cell>
              </tr>
            )}
          />
        </>
      ))}
      {report.experiments.length > 0 && <p class="muted">{fill(t.lrTest, { n: String(report.min_visitors_per_variant) })}</p>}
    </Card>
  );
}
