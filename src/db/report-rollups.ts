/**
 * Report reads over the rollup tables (schema/0003_conversions.sql): their cost
 * follows the number of (day × dimension) cells, not the number of raw events.
 * '' in a rollup key column means "none" and is mapped back to null here.
 */
import { sql, type RawBuilder } from 'kysely';
import { estimateStored, SKETCH_SHAPES, type SketchDim } from '../domain/visitor-sketch';
import type { Db } from './client';
import { isSharded, onEveryShard } from './shards';
import { addTraffic, addVisitors, mergeShardCells, topValues } from './shard-merge';

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
  /**
   * Only visits from one country or referring host, and the conversions credited
   * to them. Rollups are not split that way: these reads go to the raw touches of
   * the range (and the credits of those touches), a drill-down's cost.
   */
  origin?: { facet: 'country' | 'referrer'; value: string };
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

/** Human visits by type and bot touches, grouped by `dims` (every touch shard's rollups added up). */
export async function sumTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  return mergeShardCells(await onEveryShard(db, (shard) => sumShardTraffic(shard, dims, filter)), dims, addTraffic);
}

async function sumShardTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  if (filter.origin) return sumTrafficFrom(db, dims, filter);
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
  return mergeShardCells(await onEveryShard(db, (shard) => countShardVisitors(shard, dims, filter)), dims, addVisitors);
}

async function countShardVisitors(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  if (filter.origin) return countVisitorsFrom(db, dims, filter);
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
 * The sketches of every touch shard join the union register by register before the
 * estimate, so it is the estimate one database holding every touch would give.
 */
export async function estimateUniqueVisitors(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  if (filter.origin) return countUniqueVisitors(db, dims, filter);
  const needed = [...dims.filter((dim) => dim !== 'day'), ...narrowing(filter).map(([dim]) => dim)];
  const shape = SKETCH_SHAPES.find((candidate) => needed.every((dim) => candidate.dims.includes(dim as SketchDim)));
  // No sketch splits this way (say, one link on one channel): count exactly, as a narrow filter holds few visits.
  if (!shape) return countUniqueVisitors(db, dims, filter);
  const perShard = await onEveryShard(
    db,
    async (shard) =>
      (
        await sql<Record<string, string>>`
          SELECT day, campaign_id, channel, device_class, link_id, registers
          FROM visitor_sketch
          WHERE shape = ${shape.shape} AND ${timeRange(dims, filter)}${campaignFilter(filter, dims)}`.execute(shard)
      ).rows,
  );
  const rows = perShard.flat();
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

/** A credit cell from a row of `dims`, currency, rate_day, conversions and revenue. */
const creditCellOf = (row: Record<string, unknown>, dims: readonly Dim[]): CreditCell => ({
  dims: dimsOf(row, dims),
  currency: nullIfEmpty(row.currency),
  day: String(row.rate_day),
  conversions: Number(row.conversions),
  revenue: Number(row.revenue),
});

/**
 * Stored credits of `model` (conversions = summed weights), grouped by `dims`,
 * currency and the day of the conversions (for their exchange rate); credits in
 * `base`, which need no rate, are not split by day.
 */
export async function sumStoredCredits(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  if (filter.origin) return sumCreditsFrom(db, model, dims, filter, base);
  const day = hourly(dims) ? sql`substr(hour, 1, 10)` : sql`day`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}currency, CASE WHEN currency = ${base} THEN '' ELSE ${day} END AS rate_day,
      SUM(conversions) AS conversions, SUM(revenue) AS revenue
    FROM ${sql.table(hourly(dims) ? 'credit_hourly' : 'credit_daily')}
    WHERE model = ${model} AND ${timeRange(dims, filter)}${campaignFilter(filter, dims)}
    GROUP BY ${dimHead(dims)}currency, rate_day`.execute(db);
  return rows.map((row) => creditCellOf(row, dims));
}

// Reads narrowed by origin (country or referring host): raw touches of the range, grouped like the rollups.

/** A raw table's column for a report dimension (the rollups' '' for none). */
function rawDim(alias: 't' | 'cc', dim: Dim): RawBuilder<unknown> {
  if (dim === 'hour') throw new Error('origin reads are daily');
  if (dim === 'day') return alias === 't' ? sql`substr(t.occurred_at, 1, 10)` : sql`cc.day`;
  if (dim === 'campaign_id' || dim === 'link_id') return sql`coalesce(${sql.ref(`${alias}.${dim}`)}, '')`;
  if (dim === 'device_class' && alias === 'cc') return sql`coalesce(cc.device_class, '')`;
  return sql.ref(`${alias}.${dim}`);
}

function rawSelect(alias: 't' | 'cc', dims: readonly Dim[]): RawBuilder<unknown> {
  return dims.length === 0 ? sql`` : sql`${sql.join(dims.map((dim) => sql`${rawDim(alias, dim)} AS ${sql.ref(dim)}`))}, `;
}

/** GROUP BY the first `count` selected columns, by position (their names could be either table's). */
const groupByPosition = (count: number) => (count === 0 ? sql`` : sql`GROUP BY ${sql.raw(Array.from({ length: count }, (_, i) => i + 1).join(', '))}`);

/** Touches from the filter's origin, narrowed like the rollups: those of the range, or (credits) of any time. */
function originWhere(alias: 't' | 'cc', filter: RangeFilter): RawBuilder<unknown> {
  const origin = filter.origin!;
  const column = origin.facet === 'country' ? sql`t.country` : sql`t.referrer_host`;
  const narrowed = narrowing(filter).map(([dim, value]) => sql` AND ${rawDim(alias, dim)} = ${value}`);
  const range =
    alias === 't' ? sql`t.occurred_at >= ${filter.from} AND t.occurred_at < ${`${filter.to}T24`}` : sql`cc.day >= ${filter.from} AND cc.day <= ${filter.to}`;
  return sql`${range} AND ${column} = ${origin.value}${sql.join(narrowed, sql``)}`;
}

async function sumTrafficFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  const human = (type: string) => sql`SUM(CASE WHEN t.is_bot = 0 AND t.type = ${type} THEN 1 ELSE 0 END)`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${rawSelect('t', dims)}SUM(1 - t.is_bot) AS visits, ${human('click')} AS clicks, ${human('scan')} AS scans,
      ${human('code_entry')} AS code_entries, SUM(t.is_bot) AS bots
    FROM touches t
    WHERE ${originWhere('t', filter)}
    ${groupByPosition(dims.length)}`.execute(db);
  return rows.map((row) => ({
    dims: dimsOf(row, dims),
    visits: Number(row.visits ?? 0),
    clicks: Number(row.clicks ?? 0),
    scans: Number(row.scans ?? 0),
    code_entries: Number(row.code_entries ?? 0),
    bots: Number(row.bots ?? 0),
  }));
}

async function countVisitorsFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${rawSelect('t', dims)}COUNT(DISTINCT t.visitor_id) AS visitors
    FROM touches t
    WHERE ${originWhere('t', filter)} AND t.is_bot = 0
    ${groupByPosition(dims.length)}`.execute(db);
  return rows.map((row) => ({ dims: dimsOf(row, dims), visitors: Number(row.visitors) }));
}

/** Credits of the touches from the filter's origin (a conversion without a touch has no origin). */
async function sumCreditsFrom(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  if (isSharded(db)) return sumShardedCreditsFrom(db, model, dims, filter, base);
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${rawSelect('cc', dims)}coalesce(cc.currency, '') AS currency,
      CASE WHEN cc.currency = ${base} THEN '' ELSE cc.day END AS rate_day,
      SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue
    FROM conversion_credits cc JOIN touches t ON t.id = cc.touch_id
    WHERE cc.model = ${model} AND cc.weight > 0 AND ${originWhere('cc', filter)}
    ${groupByPosition(dims.length + 2)}`.execute(db);
  return rows.map((row) => creditCellOf(row, dims));
}

/**
 * sumCreditsFrom over several touch shards (credits on the main database, touches on their shards): the
 * touches credited in the range (main), those of them from the origin (every shard), then the credits of
 * those touches grouped on the main database as sumCreditsFrom groups them.
 */
async function sumShardedCreditsFrom(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  const origin = filter.origin!;
  const narrowed = narrowing(filter).map(([dim, value]) => sql` AND ${rawDim('cc', dim)} = ${value}`);
  const credited = sql`cc.model = ${model} AND cc.weight > 0 AND cc.day >= ${filter.from} AND cc.day <= ${filter.to}${sql.join(narrowed, sql``)}`;
  const { rows: touched } = await sql<{ touch_id: string }>`
    SELECT DISTINCT cc.touch_id FROM conversion_credits cc WHERE ${credited} AND cc.touch_id IS NOT NULL`.execute(db);
  const ids = JSON.stringify(touched.map((row) => row.touch_id));
  const column = origin.facet === 'country' ? sql`country` : sql`referrer_host`;
  const fromOrigin = await onEveryShard(
    db,
    async (shard) =>
      (await sql<{ id: string }>`SELECT id FROM touches WHERE id IN (SELECT value FROM json_each(${ids})) AND ${column} = ${origin.value}`.execute(shard)).rows,
  );
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${rawSelect('cc', dims)}coalesce(cc.currency, '') AS currency,
      CASE WHEN cc.currency = ${base} THEN '' ELSE cc.day END AS rate_day,
      SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue
    FROM conversion_credits cc
    WHERE ${credited} AND cc.touch_id IN (SELECT value FROM json_each(${JSON.stringify(fromOrigin.flat().map((row) => row.id))}))
    ${groupByPosition(dims.length + 2)}`.execute(db);
  return rows.map((row) => creditCellOf(row, dims));
}

/** The `limit` countries or referring hosts with the most human visits among the filter's origin (raw touches). */
export async function topOriginValues(
  db: Db,
  facet: 'country' | 'referrer',
  filter: RangeFilter,
  limit: number,
): Promise<Array<{ value: string | null; visits: number }>> {
  const column = facet === 'country' ? sql`t.country` : sql`t.referrer_host`;
  const perShard = await onEveryShard(
    db,
    async (shard) =>
      (
        await sql<{ value: string | null; visits: number }>`
          SELECT ${column} AS value, COUNT(*) AS visits
          FROM touches t
          WHERE ${originWhere('t', filter)} AND t.is_bot = 0
          GROUP BY 1
          ORDER BY 2 DESC, coalesce(value, '')
          LIMIT ${isSharded(db) ? -1 : limit}`.execute(shard)
      ).rows,
  );
  return topValues(perShard, limit);
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
