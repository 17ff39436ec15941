/**
 * Channel, campaign, link, device, time-series and rules reports: the metric rows of services/report-metrics.ts
 * (traffic, distinct visitors, attributed conversions and revenue in the reporting currency) shaped and ordered per
 * kind, with labels, spend columns where they apply, and a totals row.
 */
import type { Db } from '../db/client';
import { findLabels } from '../db/report-rollups';
import type { Dim, DimValues } from '../db/report-dims';
import { missingRates } from '../domain/currency';
import { ATTRIBUTED_CHANNELS, DATA_DRIVEN_MODEL, DEVICE_CLASSES, type ReportModel } from '../domain/vocab';
import { INTERVALS, type Interval } from '../schemas/reports';
import { byCell } from '../db/link-routing-report';
import { ApiError } from '../lib/errors';
import { loadRateBook } from './exchange-rates';
import type { MarkovSummary } from './markov';
import { withSpend } from './spend-report';
import { metricRows, totalsOf, type MetricRows, type Metrics, type ReportQuery, type Row } from './report-metrics';

export const REPORT_KINDS = ['channels', 'campaigns', 'links', 'devices', 'timeseries', 'rules'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export { INTERVALS, type Interval };

export interface Report {
  model: ReportModel;
  from: string;
  to: string;
  lookback_days: number;
  interval?: Interval;
  /** True when unique_visitors are HyperLogLog estimates (±3.25 %) rather than exact counts. */
  unique_visitors_estimated: boolean;
  /** The reporting currency every revenue figure is in. */
  currency: string;
  /** Currencies of revenue that found no rate for its day (see each row's `unconverted`). */
  missing_rates: string[];
  rows: Row[];
  /** The rows added up; unique_visitors are distinct over the whole range (null for hourly series). */
  totals: Metrics;
  /** Under model=markov: the chain's journeys and each channel's removal effects. */
  markov?: MarkovSummary;
}

const CHANNEL_ORDER: readonly string[] = ATTRIBUTED_CHANNELS;
/** Where `value` stands in `list` (unknown values last), for sorting rows. */
export const order = (list: readonly string[], value: string | null | undefined) => {
  const at = list.indexOf(value ?? '');
  return at < 0 ? list.length : at;
};
const byText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').localeCompare(b ?? '');

/** Builds one report, its money in the reporting currency. */
export async function buildReport(db: Db, kind: ReportKind, query: ReportQuery): Promise<Report> {
  const book = await loadRateBook(db, query.from, query.to);
  const envelope = ({ rows, estimated, uniques, money, markov }: MetricRows, out: Row[]): Report => {
    const metrics = rows.map((row) => row.metrics);
    return {
      model: query.model,
      from: query.from,
      to: query.to,
      lookback_days: query.lookbackDays,
      ...(kind === 'timeseries' ? { interval: query.interval } : {}),
      unique_visitors_estimated: estimated,
      currency: book.base,
      missing_rates: missingRates(metrics.map((m) => m.unconverted)),
      rows: out,
      totals: totalsOf(metrics, money, book.base, uniques),
      ...(markov ? { markov } : {}),
    };
  };
  switch (kind) {
    case 'channels': {
      const result = await metricRows(db, ['channel'], query, book);
      result.rows.sort((a, b) => order(CHANNEL_ORDER, a.dims.channel) - order(CHANNEL_ORDER, b.dims.channel));
      const effects = new Map(result.markov?.channels.map((row) => [row.channel, row.removal_effect]));
      const report = envelope(
        result,
        result.rows.map((row) => ({
          channel: row.dims.channel ?? null,
          ...row.metrics,
          ...(result.markov ? { removal_effect: effects.get(row.dims.channel ?? '') ?? null } : {}),
        })),
      );
      return withSpend(db, 'channels', query, book, report);
    }
    case 'devices': {
      const result = await metricRows(db, ['channel', 'device_class'], query, book);
      result.rows.sort(
        (a, b) =>
          order(CHANNEL_ORDER, a.dims.channel) - order(CHANNEL_ORDER, b.dims.channel) ||
          order(DEVICE_CLASSES, a.dims.device_class) - order(DEVICE_CLASSES, b.dims.device_class),
      );
      return envelope(
        result,
        result.rows.map((row) => ({ channel: row.dims.channel ?? null, device_class: row.dims.device_class ?? null, ...row.metrics })),
      );
    }
    case 'campaigns': {
      const result = await metricRows(db, ['campaign_id'], query, book);
      const { campaigns } = await findLabels(db, ids(result.rows, 'campaign_id'), []);
      const named = result.rows.map((row) => ({
        campaign_id: row.dims.campaign_id ?? null,
        campaign_name: campaigns.get(row.dims.campaign_id ?? '') ?? null,
        ...row.metrics,
      }));
      named.sort((a, b) => b.visits - a.visits || byText(a.campaign_name, b.campaign_name) || byText(a.campaign_id, b.campaign_id));
      return withSpend(db, 'campaigns', query, book, envelope(result, named));
    }
    case 'links': {
      const result = await metricRows(db, ['link_id', 'campaign_id'], query, book);
      const { links } = await findLabels(db, [], ids(result.rows, 'link_id'));
      const named = result.rows.map((row) => ({
        link_id: row.dims.link_id ?? null,
        slug: links.get(row.dims.link_id ?? '') ?? null,
        campaign_id: row.dims.campaign_id ?? null,
        ...row.metrics,
      }));
      named.sort((a, b) => b.visits - a.visits || byText(a.slug, b.slug) || byText(a.link_id, b.link_id) || byText(a.campaign_id, b.campaign_id));
      return envelope(result, named);
    }
    case 'rules': {
      if (query.model === DATA_DRIVEN_MODEL) throw new ApiError('validation_error', 'model: markov credits channels, not rules; choose a stored model');
      const result = await metricRows(db, ['link_id', 'campaign_id', 'rule', 'variant', 'after_cap'], { ...query, routed: true }, book);
      const { links } = await findLabels(db, [], ids(result.rows, 'link_id'));
      const named = result.rows.map((row) => ({
        link_id: row.dims.link_id ?? null,
        slug: links.get(row.dims.link_id ?? '') ?? null,
        campaign_id: row.dims.campaign_id ?? null,
        rule: row.dims.rule ?? null,
        variant: row.dims.variant ?? null,
        after_cap: row.dims.after_cap === '1',
        ...row.metrics,
      }));
      named.sort((a, b) => byText(a.slug, b.slug) || byText(a.link_id, b.link_id) || byCell(a, b) || byText(a.campaign_id, b.campaign_id));
      return envelope(result, named);
    }
    case 'timeseries': {
      const result = await metricRows(db, [query.interval === 'hour' ? 'hour' : 'day'], query, book);
      return envelope(result, timeseriesRows(result, query, book.base));
    }
  }
}

const ids = (rows: Array<{ dims: DimValues }>, dim: Dim): string[] => [...new Set(rows.map((row) => row.dims[dim]).filter((id): id is string => !!id))];

const SERIES_COLUMNS = ['visits', 'unique_visitors', 'bots', 'conversions', 'revenue', 'currency', 'unconverted', 'conversion_rate'] as const;

/** Every bucket of the range (empty ones as zeros), UTC, one row each. */
function timeseriesRows({ rows }: MetricRows, query: ReportQuery, currency: string): Row[] {
  const dim: Dim = query.interval === 'hour' ? 'hour' : 'day';
  const byBucket = new Map(rows.map((row) => [row.dims[dim] ?? '', row.metrics]));
  const out: Row[] = [];
  const step = dim === 'hour' ? 3_600_000 : 86_400_000;
  const end = Date.parse(`${query.to}T23:59:59.999Z`);
  for (let t = Date.parse(`${query.from}T00:00:00.000Z`); t <= end; t += step) {
    const iso = new Date(t).toISOString();
    const key = dim === 'hour' ? iso.slice(0, 13) : iso.slice(0, 10);
    const metrics: Pick<Metrics, (typeof SERIES_COLUMNS)[number]> = byBucket.get(key) ?? {
      visits: 0,
      unique_visitors: dim === 'hour' ? null : 0,
      bots: 0,
      conversions: 0,
      revenue: 0,
      currency,
      unconverted: [],
      conversion_rate: null,
    };
    out.push({ bucket: dim === 'hour' ? iso : key, ...Object.fromEntries(SERIES_COLUMNS.map((column) => [column, metrics[column]])) });
  }
  return out;
}
