/**
 * The metric rows every report is made of: traffic and distinct visitors from the touch rollups, attributed
 * conversions and revenue from the credit rollups (or recomputed for a non-default lookback; under markov the linear
 * cells scaled to the chain), merged into one row per group, revenue converted at each day's rate; and their totals.
 */
import type { Db } from '../db/client';
import { countUniqueVisitors, estimateUniqueVisitors, sumStoredCredits, sumTraffic } from '../db/report-rollups';
import type { CreditCell, Dim, DimValues, RangeFilter, TrafficCell } from '../db/report-dims';
import { addMoney, emptySum, toCents, toMillionths, unconvertedParts, type MoneySum, type RateBook, type UnconvertedPart } from '../domain/currency';
import type { UnconvertedSpend } from '../domain/spend';
import { DEFAULT_EXACT_VISITORS_LIMIT, estimatesVisitors } from '../domain/visitor-sketch';
import { DATA_DRIVEN_MODEL, type AttributionModel, type ReportModel } from '../domain/vocab';
import type { Interval } from '../schemas/reports';
import type { ArchiveReader } from './archive-reads';
import { scaleToMarkov, withChannel, type MarkovSummary } from './markov';
import { loadMarkovFit, type MarkovFitPolicy } from './markov-store';
import { recomputeCredits } from './recompute-credits';

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
export function totalsOf(rows: readonly Metrics[], money: MoneySum, currency: string, uniques: number | null): Metrics {
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
