/**
 * Channel, campaign, link, device and time-series reports: traffic and
 * distinct visitors from the touch rollups, attributed conversions and revenue
 * from the credit rollups (or recomputed for a non-default lookback), merged
 * into one row per group plus a totals row. Revenue is summed per group, day
 * and currency and converted into the reporting currency at that day's rate;
 * what has no rate stays apart per currency (`unconverted`), never added in.
 */
import type { Db } from '../db/client';
import { countUniqueVisitors, estimateUniqueVisitors, findLabels, sumStoredCredits, sumTraffic } from '../db/report-rollups';
import type { CreditCell, Dim, DimValues, RangeFilter, TrafficCell } from '../db/report-dims';
import {
  addMoney,
  emptySum,
  missingRates,
  toCents,
  toMillionths,
  unconvertedParts,
  type MoneySum,
  type RateBook,
  type UnconvertedPart,
} from '../domain/currency';
import type { UnconvertedSpend } from '../domain/spend';
import { DEFAULT_EXACT_VISITORS_LIMIT, estimatesVisitors } from '../domain/visitor-sketch';
import { ATTRIBUTED_CHANNELS, DATA_DRIVEN_MODEL, DEVICE_CLASSES, type AttributionModel, type ReportModel } from '../domain/vocab';
import { INTERVALS, type Interval } from '../schemas/reports';
import { byCell } from '../db/link-routing-report';
import { ApiError } from '../lib/errors';
import { loadRateBook } from './exchange-rates';
import type { ArchiveReader } from './archive-reads';
import { scaleToMarkov, withChannel, type MarkovSummary } from './markov';
import { loadMarkovFit, type MarkovFitPolicy } from './markov-store';
import { recomputeCredits } from './recompute-credits';
import { withSpend } from './spend-report';

export const REPORT_KINDS = ['channels', 'campaigns', 'links', 'devices', 'timeseries', 'rules'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export { INTERVALS, type Interval };

export interface ReportQuery extends RangeFilter {
  model: ReportModel;
  /** The lookback to report under, and the one credits were stored with. */
  lookbackDays: number;
  storedLookbackDays: number;
  interval: Interval;
  /** Up to this many human visits in the range, unique visitors are counted exactly; above, estimated from sketches. */
  exactVisitorsLimit: number;
  /** The raw-touch archive, read when credits are recomputed under another lookback (candidates past the hot window). */
  archive?: ArchiveReader | null;
  /** Under markov: when a range without a stored fit is fitted now and when the cron is asked (absent: always now). */
  markovPolicy?: MarkovFitPolicy;
}

/** The EXACT_VISITORS_LIMIT setting (default DEFAULT_EXACT_VISITORS_LIMIT). */
export function exactVisitorsLimitSetting(env: { EXACT_VISITORS_LIMIT?: string }): number {
  const limit = Number(env.EXACT_VISITORS_LIMIT);
  return env.EXACT_VISITORS_LIMIT !== undefined && env.EXACT_VISITORS_LIMIT !== '' && Number.isInteger(limit) && limit >= 0
    ? limit
    : DEFAULT_EXACT_VISITORS_LIMIT;
}

export interface Metrics {
  visits: number;
  unique_visitors: number | null;
  clicks: number;
  scans: number;
  code_entries: number;
  bots: number;
  /** Every attributed conversion, converted or not. */
  conversions: number;
  /** Revenue in the reporting currency (`currency`), to the cent. */
  revenue: number;
  currency: string;
  /** What had no rate for its day, per original currency (not in `revenue`). */
  unconverted: UnconvertedPart[];
  conversion_rate: number | null;
}

export type ReportValue = string | number | boolean | null | UnconvertedPart[] | UnconvertedSpend[];
export type Row = Record<string, ReportValue>;

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

interface Group extends TrafficCell {
  uniques: number | null;
  money: MoneySum;
}

const keyOf = (dims: readonly Dim[], values: DimValues) => JSON.stringify(dims.map((dim) => values[dim] ?? null));

export interface MetricRows {
  rows: Array<{ dims: DimValues; metrics: Metrics }>;
  estimated: boolean;
  /** Distinct visitors over the whole range (null without uniques). */
  uniques: number | null;
  /** Every credit of the report, unrounded: the totals' money. */
  money: MoneySum;
  markov?: MarkovSummary;
}

/** Credit cells of a stored model under the query's lookback: the rollups, or recomputed for another lookback. */
function modelCredits(db: Db, model: AttributionModel, dims: readonly Dim[], query: ReportQuery, base: string) {
  return query.lookbackDays === query.storedLookbackDays
    ? sumStoredCredits(db, model, dims, query, base)
    : recomputeCredits(db, model, dims, query, query.lookbackDays, query.archive ?? null);
}

/** Credit cells of the query's model; under markov, the linear cells scaled per channel to the chain's credit. */
async function creditCells(db: Db, dims: readonly Dim[], query: ReportQuery, book: RateBook): Promise<{ cells: CreditCell[]; markov?: MarkovSummary }> {
  if (query.model !== DATA_DRIVEN_MODEL) return { cells: await modelCredits(db, query.model, dims, query, book.base) };
  const [fit, linear] = await Promise.all([
    loadMarkovFit(db, query, book, query.archive ?? null, query.markovPolicy),
    modelCredits(db, 'linear', withChannel(dims), query, book.base),
  ]);
  return { cells: scaleToMarkov(linear, fit, dims), markov: fit.summary };
}

/**
 * Traffic, then unique visitors per group and over the whole range: exact
 * (distinct visitor sets) while the range holds at most `exactVisitorsLimit`
 * human visits, estimated from the day sketches above that, so the cost stays
 * flat as events grow.
 */
async function trafficAndUniques(db: Db, dims: readonly Dim[], query: ReportQuery, withUniques: boolean) {
  const traffic = await sumTraffic(db, dims, query);
  const visits = traffic.reduce((sum, cell) => sum + cell.visits, 0);
  const estimated = withUniques && estimatesVisitors(visits, query.exactVisitorsLimit);
  const count = estimated ? estimateUniqueVisitors : countUniqueVisitors;
  const [uniques, total] = withUniques ? await Promise.all([count(db, dims, query), count(db, [], query)]) : [[], []];
  return { traffic, uniques, estimated, total: withUniques ? (total[0]?.visitors ?? 0) : null };
}

const rateOf = (conversions: number, visits: number) => (visits > 0 ? toMillionths(conversions / visits) : null);

/** Reads and merges the three sources into metric rows, one per group, revenue converted into the book's base. */
export async function metricRows(db: Db, dims: readonly Dim[], query: ReportQuery, book: RateBook, withUniques = !dims.includes('hour')): Promise<MetricRows> {
  const [{ traffic, uniques, estimated, total }, { cells: credits, markov }] = await Promise.all([
    trafficAndUniques(db, dims, query, withUniques),
    creditCells(db, dims, query, book),
  ]);
  const groups = new Map<string, Group>();
  const groupOf = (values: DimValues): Group => {
    const key = keyOf(dims, values);
    let group = groups.get(key);
    if (!group) {
      group = { dims: values, visits: 0, clicks: 0, scans: 0, code_entries: 0, bots: 0, uniques: withUniques ? 0 : null, money: emptySum() };
      groups.set(key, group);
    }
    return group;
  };
  for (const cell of traffic)
    Object.assign(groupOf(cell.dims), { visits: cell.visits, clicks: cell.clicks, scans: cell.scans, code_entries: cell.code_entries, bots: cell.bots });
  for (const cell of uniques) groupOf(cell.dims).uniques = cell.visitors;
  const money = emptySum();
  for (const cell of credits) {
    addMoney(book, groupOf(cell.dims).money, cell);
    addMoney(book, money, cell);
  }

  const rows = [...groups.values()].map((group) => {
    const conversions = toMillionths(group.money.conversions);
    return {
      dims: group.dims,
      metrics: {
        visits: group.visits,
        unique_visitors: group.uniques,
        clicks: group.clicks,
        scans: group.scans,
        code_entries: group.code_entries,
        bots: group.bots,
        conversions,
        revenue: toCents(group.money.revenue),
        currency: book.base,
        unconverted: unconvertedParts(group.money),
        conversion_rate: rateOf(group.money.conversions, group.visits),
      },
    };
  });
  return { rows, estimated, uniques: total, money, ...(markov ? { markov } : {}) };
}

/**
 * The totals of metric rows: traffic summed, money from the unrounded credits
 * (so a total may differ from the sum of the rounded rows by rounding),
 * `uniques` distinct over the whole range.
 */
function totalsOf(rows: readonly Metrics[], money: MoneySum, currency: string, uniques: number | null): Metrics {
  const sum = (pick: (row: Metrics) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const visits = sum((row) => row.visits);
  const conversions = toMillionths(money.conversions);
  return {
    visits,
    unique_visitors: uniques,
    clicks: sum((row) => row.clicks),
    scans: sum((row) => row.scans),
    code_entries: sum((row) => row.code_entries),
    bots: sum((row) => row.bots),
    conversions,
    revenue: toCents(money.revenue),
    currency,
    unconverted: unconvertedParts(money),
    conversion_rate: rateOf(money.conversions, visits),
  };
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
