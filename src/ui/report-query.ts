/** Report filters for dashboard pages, resolved like the report API resolves its query. */
import type { Context } from 'hono';
import { ApiError } from '../lib/errors';
import { reportDay, resolveRange } from '../schemas/reports';
import { splitMessage, type FieldErrors } from './forms';
import { DEFAULT_PRESET, hiddenChannels, presetOf, presetRange, RANGE_PRESETS, type BarMetric, type RangePreset } from './ranges';
import { DEFAULT_ATTRIBUTION_MODEL, REPORT_MODELS, type ReportModel } from '../domain/vocab';
import { lookbackDaysSetting } from '../services/window-settings';
import { sumUnconverted, toCents, toMillionths, type UnconvertedPart } from '../domain/currency';
import { exactVisitorsLimitSetting, type ReportQuery, type ReportValue } from '../services/report-metrics';
import { archiveReaderFor } from '../services/archive-reads';
import { markovFitPolicy } from '../services/markov-store';
import type { UiEnv } from './context';
import type { Formatters, Texts } from './i18n';

/** `from`/`to` defaults: the 30 days up to today (UTC). */
export const defaultRange = (now: number): { from: string; to: string } => presetRange(DEFAULT_PRESET, now);

/**
 * A page's range from its query: `range` (a preset) wins, else `from`/`to`
 * (each checked; a bad or reversed pair is reported and the default used),
 * else the default preset. Also the preset the range equals, if any.
 */
export function pageRange(
  raw: Record<string, string | undefined>,
  now: number,
): { from: string; to: string; preset: RangePreset | undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (raw.range && (RANGE_PRESETS as readonly string[]).includes(raw.range)) {
    const range = presetRange(raw.range as RangePreset, now);
    return { ...range, preset: raw.range as RangePreset, errors };
  }
  const day = (name: 'from' | 'to') => {
    if (!raw[name]) return undefined;
    const parsed = reportDay.safeParse(raw[name]);
    if (!parsed.success) errors[name] = parsed.error.issues[0].message;
    return parsed.success ? parsed.data : undefined;
  };
  const wanted = { from: day('from'), to: day('to') };
  let range: { from: string; to: string };
  if (Object.keys(errors).length > 0 || (wanted.from === undefined && wanted.to === undefined)) range = presetRange(DEFAULT_PRESET, now);
  else {
    try {
      range = resolveRange(wanted, now);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      Object.assign(errors, splitMessage(error.message, ['from', 'to']));
      range = presetRange(DEFAULT_PRESET, now);
    }
  }
  return { from: range.from, to: range.to, preset: presetOf(range, now), errors };
}

/** An id-like query value (campaign, link), or nothing. */
export const queryId = (value: string | undefined): string | undefined => (value && /^[\w-]{1,64}$/.test(value) ? value : undefined);

/** One of `list`, or nothing. */
export const oneOf = <T extends string>(list: readonly T[], value: string | undefined): T | undefined =>
  (list as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** The model and chart view of a report page's query (unknown values fall back to the defaults). */
export function pageView(raw: Record<string, string | undefined>): { model: ReportModel; metric: BarMetric; hidden: Set<string> } {
  return {
    model: oneOf(REPORT_MODELS, raw.model) ?? DEFAULT_ATTRIBUTION_MODEL,
    metric: raw.metric === 'conversions' ? 'conversions' : 'visits',
    hidden: hiddenChannels(raw.hide),
  };
}

/**
 * A report page's query as its links keep it: the range (its preset, else its days), the model and chart view
 * where they are not the defaults, and the page's own filters.
 */
export function pageParams(
  range: { from: string; to: string; preset: RangePreset | undefined },
  view: Partial<ReturnType<typeof pageView>>,
  filters: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return {
    ...(range.preset ? { range: range.preset } : { from: range.from, to: range.to }),
    ...filters,
    model: view.model === DEFAULT_ATTRIBUTION_MODEL ? undefined : view.model,
    metric: view.metric === 'visits' ? undefined : view.metric,
    hide: view.hidden && view.hidden.size > 0 ? [...view.hidden].sort().join(',') : undefined,
  };
}

export function reportQuery(c: Context<UiEnv>, filter: { from: string; to: string; campaignId?: string; model?: ReportModel }): ReportQuery {
  const stored = lookbackDaysSetting(c.env);
  return {
    from: filter.from,
    to: filter.to,
    campaignId: filter.campaignId,
    model: filter.model ?? DEFAULT_ATTRIBUTION_MODEL,
    lookbackDays: stored,
    storedLookbackDays: stored,
    interval: 'day',
    exactVisitorsLimit: exactVisitorsLimitSetting(c.env),
    archive: archiveReaderFor(c.var.db, c.env.ARCHIVE),
    markovPolicy: markovFitPolicy(c.env, c.var.now()),
  };
}

type MetricRow = Record<string, ReportValue>;

/** Visits, conversions and revenue (in the reporting currency, with what had no rate) summed over a group's rows. */
export function totals(rows: readonly MetricRow[]): {
  visits: number;
  conversions: number;
  revenue: number;
  currency: string | null;
  unconverted: UnconvertedPart[];
} {
  const sum = (key: string) => rows.reduce((total, row) => total + Number(row[key] ?? 0), 0);
  return {
    visits: sum('visits'),
    conversions: toMillionths(sum('conversions')),
    revenue: toCents(sum('revenue')),
    currency: (rows.find((row) => typeof row.currency === 'string')?.currency as string | undefined) ?? null,
    unconverted: sumUnconverted(rows.map((row) => (Array.isArray(row.unconverted) ? (row.unconverted as UnconvertedPart[]) : []))),
  };
}

/** "1.234,50 €" — plus "+ 12,00 CHF not converted (no rate)" for each currency without a rate. */
export const revenueText = (fmt: Formatters, t: Texts, stats: { revenue: number; currency: string | null; unconverted: readonly UnconvertedPart[] }): string =>
  [fmt.money(stats.revenue, stats.currency), ...stats.unconverted.map((part) => `+ ${fmt.money(part.revenue, part.currency)} ${t.notConverted}`)].join(' ');
