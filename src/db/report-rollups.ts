/**
 * Report reads over the rollup tables (schema/0003_conversions.sql): their cost
 * follows the number of (day × dimension) cells, not the number of raw events.
 * '' in a rollup key column means "none" and is mapped back to null here.
 */
import { sql, type RawBuilder } from 'kysely';
import { estimateStored, SKETCH_SHAPES, type SketchDim } from '../domain/visitor-sketch';
import type { Db } from './client';

/** Grouping dimensions a report may ask for. */
export type Dim = 'day' | 'hour' | 'channel' | 'campaign_id' | 'link_id' | 'device_class';
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
const hourly = (dims: readonly Dim[]) => dims.some((dim) => HOURLY.has(dim));

function timeRange(dims: readonly Dim[], filter: RangeFilter): RawBuilder<unknown> {
  return hourly(dims) ? sql`hour >= ${filter.from} AND hour <= ${`${filter.to}T23`}` : sql`day >= ${filter.from} AND day <= ${filter.to}`;
}

function campaignFilter(filter: RangeFilter, dims: readonly Dim[] = []): RawBuilder<unknown> {
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
const dimHead = (dims: readonly Dim[]) => (dims.length === 0 ? sql`` : sql`${dimList(dims)}, `);
/** GROUP BY `dims`, or nothing: no dimensions make the whole range one row. */
const groupBy = (dims: readonly Dim[]) => (dims.length === 0 ? sql`` : sql`GROUP BY ${dimList(dims)}`);
const nullIfEmpty = (value: unknown): string | null => (value === '' || value === null || value === undefined ? null : String(value));
const dimsOf = (row: Record<string, unknown>, dims: readonly Dim[]): DimValues => Object.fromEntries(dims.map((dim) => [dim, nullIfEmpty(row[dim])]));

/** Human visits by type and bot touches, grouped by `dims`. */
export async function sumTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  const byType = (type: string) => (hourly(dims) ? sql`0` : sql`SUM(CASE WHEN is_bot = 0 AND type = ${type} THEN touches ELSE 0 END)`);
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}
      SUM(CASE WHEN is_bot = 0 THEN touches ELSE 0 END) AS visits,
      ${byType('click')} AS clicks, ${byType('scan')} AS scans, ${byType('code_entry')} AS code_entries,
      SUM(CASE WHEN is_bot = 1 THEN touches ELSE 0 END) AS bots
    FROM ${sql.table(hourly(dims) ? 'touch_hourly' : 'touch_daily')}
    WHERE ${timeRange(dims, filter)}${campaignFilter(filter, dims)}
    ${groupBy(dims)}`.execute(db);
  return rows.map((row) => ({
    dims: dimsOf(row, dims),
    visits: Number(row.visits),
    clicks: Number(row.clicks),
    scans: Number(row.scans),
    code_entries: Number(row.code_entries),
    bots: Number(row.bots),
  }));
}

/** Distinct human visitors over the whole range, grouped by `dims` (daily dimensions only; none: one count for the range). */
export async function countUniqueVisitors(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}COUNT(DISTINCT visitor_id) AS visitors
    FROM visitor_daily
    WHERE ${timeRange(dims, filter)}${campaignFilter(filter, dims)}
    ${groupBy(dims)}`.execute(db);
  return rows.map((row) => ({ dims: dimsOf(row, dims), visitors: Number(row.visitors) }));
}

/**
 * Estimated distinct human visitors over the whole range, grouped by `dims`
 * (daily dimensions only): the union of the day sketches of the fewest-cell
 * shape that splits by every dimension asked for (and by campaign or link when filtered).
 */
export async function estimateUniqueVisitors(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  const needed = [...dims.filter((dim) => dim !== 'day'), ...narrowing(filter).map(([dim]) => dim)];
  const shape = SKETCH_SHAPES.find((candidate) => needed.every((dim) => candidate.dims.includes(dim as SketchDim)));
  // No sketch splits this way (say, one link on one channel): count exactly, as a narrow filter holds few visits.
  if (!shape) return countUniqueVisitors(db, dims, filter);
  const { rows } = await sql<Record<string, string>>`
    SELECT day, campaign_id, channel, device_class, link_id, registers
    FROM visitor_sketch
    WHERE shape = ${shape.shape} AND ${timeRange(dims, filter)}${campaignFilter(filter, dims)}`.execute(db);
  const groups = new Map<string, { dims: DimValues; sketches: string[] }>();
  for (const row of rows) {
    const values = dimsOf(row, dims);
    const key = JSON.stringify(dims.map((dim) => values[dim]));
    const group = groups.get(key) ?? { dims: values, sketches: [] };
    group.sketches.push(row.registers);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({ dims: group.dims, visitors: estimateStored(group.sketches) }));
}

/**
 * Stored credits of `model` (conversions = summed weights), grouped by `dims`,
 * currency and the day of the conversions (for their exchange rate); credits in
 * `base`, which need no rate, are not split by day.
 */
export async function sumStoredCredits(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  const day = hourly(dims) ? sql`substr(hour, 1, 10)` : sql`day`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}currency, CASE WHEN currency = ${base} THEN '' ELSE ${day} END AS rate_day,
      SUM(conversions) AS conversions, SUM(revenue) AS revenue
    FROM ${sql.table(hourly(dims) ? 'credit_hourly' : 'credit_daily')}
    WHERE model = ${model} AND ${timeRange(dims, filter)}${campaignFilter(filter, dims)}
    GROUP BY ${dimHead(dims)}currency, rate_day`.execute(db);
  return rows.map((row) => ({
    dims: dimsOf(row, dims),
    currency: nullIfEmpty(row.currency),
    day: String(row.rate_day),
    conversions: Number(row.conversions),
    revenue: Number(row.revenue),
  }));
}

/** Names of campaigns and slugs of links, for labelling report rows. */
export async function findLabels(db: Db, campaignIds: readonly string[], linkIds: readonly string[]) {
  const campaigns = new Map<string, string>();
  const links = new Map<string, string>();
  for (let i = 0; i < campaignIds.length; i += 90) {
    const rows = await db
      .selectFrom('campaigns')
      .select(['id', 'name'])
      .where('id', 'in', campaignIds.slice(i, i + 90))
      .execute();
    for (const row of rows) campaigns.set(row.id, row.name);
  }
  for (let i = 0; i < linkIds.length; i += 90) {
    const rows = await db
      .selectFrom('links')
      .select(['id', 'slug'])
      .where('id', 'in', linkIds.slice(i, i + 90))
      .execute();
    for (const row of rows) links.set(row.id, row.slug);
  }
  return { campaigns, links };
}
