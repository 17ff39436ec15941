/**
 * RFM, pure: recency, frequency and monetary scores 1–5 of the customers
 * buying in a range, and the named segment of each score.
 *
 * Scores are quintiles over the customers in scope, by mid-rank: a customer's
 * percentile is p = (customers with a worse value + half of those with the
 * same value) ÷ customers, and the score is 1 + ⌊5p⌋ (so p in [0, 0.2) → 1,
 * [0.2, 0.4) → 2, … [0.8, 1) → 5). Equal values always share a score; one
 * customer alone (or all equal) scores 3; five distinct values score 1 … 5.
 * Worse is: more days since the last purchase (R), fewer orders (F), less
 * revenue (M). The segment follows from R and FM = ⌊(F + M) ÷ 2⌋ by RFM_GRID.
 */
import { toCents, toMillionths } from './currency';

export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** The segment of each R score (rows, R = 5 first) and FM score (columns, FM = 1 … 5). */
export const RFM_GRID: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly [RfmSegment, RfmSegment, RfmSegment, RfmSegment, RfmSegment]>> = {
  5: ['new', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions'],
  4: ['promising', 'potential_loyalists', 'potential_loyalists', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  1: ['lost', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
};

export type Score = 1 | 2 | 3 | 4 | 5;

/**
 * The quintile score of each value among all of them (same order as given), higher values better.
 * Integer arithmetic: 1 + ⌊(10·worse + 5·equal) ÷ (2n)⌋, so a boundary is never missed by rounding.
 */
export function quintileScores(values: readonly number[]): Score[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const below = (value: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((value) => {
    const worse = below(value);
    let equal = 0;
    for (let i = worse; i < n && sorted[i] === value; i += 1) equal += 1;
    return (1 + Math.min(4, Math.floor((10 * worse + 5 * equal) / (2 * n)))) as Score;
  });
}

/** The segment of an R, F and M score. */
export const rfmSegmentOf = (r: Score, f: Score, m: Score): RfmSegment => RFM_GRID[r][Math.floor((f + m) / 2) - 1];

/** What RFM needs of one customer in scope: days since the last purchase, orders and revenue in the range. */
export interface RfmInput {
  id: string;
  channel: string;
  recencyDays: number;
  orders: number;
  /** In the reporting currency, to the cent (so equal revenue ties). */
  revenue: number;
}

export interface RfmScored extends RfmInput {
  r: Score;
  f: Score;
  m: Score;
  segment: RfmSegment;
}

/** Scores and segment of every customer in scope. */
export function scoreCustomers(customers: readonly RfmInput[]): RfmScored[] {
  const r = quintileScores(customers.map((customer) => -customer.recencyDays));
  const f = quintileScores(customers.map((customer) => customer.orders));
  const m = quintileScores(customers.map((customer) => customer.revenue));
  return customers.map((customer, i) => ({ ...customer, r: r[i], f: f[i], m: m[i], segment: rfmSegmentOf(r[i], f[i], m[i]) }));
}

export type SegmentCounts = Record<RfmSegment, number>;

/** Customers per segment (every segment present, 0 when empty). */
export function segmentCounts(scored: readonly RfmScored[]): SegmentCounts {
  const counts = Object.fromEntries(RFM_SEGMENTS.map((segment) => [segment, 0])) as SegmentCounts;
  for (const customer of scored) counts[customer.segment] += 1;
  return counts;
}

/** One row per acquisition channel: its customers and their count per segment; channels by customers (then name). */
export function rfmChannelRows(scored: readonly RfmScored[]): Array<{ channel: string; customers: number } & SegmentCounts> {
  const byChannel = new Map<string, RfmScored[]>();
  for (const customer of scored) byChannel.set(customer.channel, [...(byChannel.get(customer.channel) ?? []), customer]);
  return [...byChannel.entries()]
    .map(([channel, group]) => ({ channel, customers: group.length, ...segmentCounts(group) }))
    .sort((a, b) => b.customers - a.customers || a.channel.localeCompare(b.channel));
}

/** Per segment: customers, their share of all, revenue and mean R, F, M figures (recency days, orders, revenue per customer). */
export function segmentFigures(scored: readonly RfmScored[]) {
  return RFM_SEGMENTS.map((segment) => {
    const group = scored.filter((customer) => customer.segment === segment);
    const revenue = group.reduce((sum, customer) => sum + customer.revenue, 0);
    const mean = (pick: (customer: RfmScored) => number) => (group.length > 0 ? group.reduce((sum, customer) => sum + pick(customer), 0) / group.length : null);
    return {
      segment,
      customers: group.length,
      share: scored.length > 0 ? toMillionths(group.length / scored.length) : 0,
      revenue: toCents(revenue),
      mean_recency_days: round2(mean((customer) => customer.recencyDays)),
      mean_orders: round2(mean((customer) => customer.orders)),
      revenue_per_customer: round2(mean((customer) => customer.revenue)),
    };
  });
}

const round2 = (value: number | null) => (value === null ? null : toCents(value));
