/**
 * The dimensions, filters and cells report reads share (db/report-rollups.ts over the rollups, db/origin-reads.ts
 * over the origin rollups): '' in a rollup key column means "none" and is mapped back to null here.
 */
import { sql, type RawBuilder } from 'kysely';

/** Grouping dimensions a report may ask for. */
export type Dim = 'day' | 'hour' | 'channel' | 'campaign_id' | 'link_id' | 'device_class' | RoutingDim;
/** The dimensions of routed visits (schema/0033's rollups): the rule matched, the variant got, after the cap ('0'/'1'). */
export const ROUTING_DIMS = ['rule', 'variant', 'after_cap'] as const;
export type RoutingDim = (typeof ROUTING_DIMS)[number];
export type DimValues = Partial<Record<Dim, string | null>>;

export interface RangeFilter {
  /** First and last UTC day, inclusive ('YYYY-MM-DD'). */
  from: string;
  to: string;
  campaignId?: string;
  /** Narrow to one link, channel or device class (daily tables only: the hourly ones split by campaign and channel). */
  linkId?: string;
  channel?: string;
  deviceClass?: string;
  /**
   * Only visits from one country or referring host, and the conversions credited
   * to them: read from the origin rollups (db/origin-reads.ts, schema/0032).
   */
  origin?: { facet: 'country' | 'referrer'; value: string };
  /** Only routed visits (a rule, a variant or after the cap) and their credits, read from the routing rollups (db/routing-rollups.ts). */
  routed?: boolean;
}

/** The filter's narrowing dimensions with their values (campaign, link, channel, device class). */
export function narrowing(filter: RangeFilter): Array<[Dim, string]> {
  const pairs: Array<[Dim, string | undefined]> = [
    ['campaign_id', filter.campaignId],
    ['link_id', filter.linkId],
    ['channel', filter.channel],
    ['device_class', filter.deviceClass],
  ];
  return pairs.filter((pair): pair is [Dim, string] => pair[1] !== undefined);
}

export interface TrafficCell {
  dims: DimValues;
  visits: number;
  clicks: number;
  scans: number;
  code_entries: number;
  bots: number;
}

export interface CreditCell {
  dims: DimValues;
  currency: string | null;
  /** The UTC day of the conversions, for their exchange rate ('' where the currency needs none). */
  day: string;
  conversions: number;
  revenue: number;
}

const HOURLY: ReadonlySet<Dim> = new Set(['hour']);
export const hourly = (dims: readonly Dim[]) => dims.some((dim) => HOURLY.has(dim));

export function timeRange(dims: readonly Dim[], filter: RangeFilter): RawBuilder<unknown> {
  return hourly(dims) ? sql`hour >= ${filter.from} AND hour <= ${`${filter.to}T23`}` : sql`day >= ${filter.from} AND day <= ${filter.to}`;
}

export function campaignFilter(filter: RangeFilter, dims: readonly Dim[] = []): RawBuilder<unknown> {
  const pairs = narrowing(filter);
  if (hourly(dims) && pairs.some(([dim]) => dim !== 'campaign_id' && dim !== 'channel')) throw new Error('hourly rollups split by campaign and channel only');
  return narrowingSql(filter);
}

/** `AND dim = value` for each narrowing of the filter, over a rollup table keyed by those dimensions. */
export const narrowingSql = (filter: RangeFilter): RawBuilder<unknown> =>
  sql.join(
    narrowing(filter).map(([dim, value]) => sql` AND ${sql.ref(dim)} = ${value}`),
    sql``,
  );
const dimList = (dims: readonly Dim[]) => sql.join(dims.map((dim) => sql.ref(dim)));
/** `dims` as the head of a SELECT list ('' for none). */
export const dimHead = (dims: readonly Dim[]) => (dims.length === 0 ? sql`` : sql`${dimList(dims)}, `);
/** GROUP BY `dims`, or nothing: no dimensions make the whole range one row. */
export const groupBy = (dims: readonly Dim[]) => (dims.length === 0 ? sql`` : sql`GROUP BY ${dimList(dims)}`);
export const nullIfEmpty = (value: unknown): string | null => (value === '' || value === null || value === undefined ? null : String(value));
export const dimsOf = (row: Record<string, unknown>, dims: readonly Dim[]): DimValues => Object.fromEntries(dims.map((dim) => [dim, nullIfEmpty(row[dim])]));

/** A credit cell from a row of `dims`, currency, rate_day, conversions and revenue. */
export const creditCellOf = (row: Record<string, unknown>, dims: readonly Dim[]): CreditCell => ({
  dims: dimsOf(row, dims),
  currency: nullIfEmpty(row.currency),
  day: String(row.rate_day),
  conversions: Number(row.conversions),
  revenue: Number(row.revenue),
});
