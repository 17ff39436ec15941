/**
 * Report reads over the rollup tables (schema/0003_conversions.sql): their cost
 * follows the number of (day × dimension) cells, not the number of raw events.
 * '' in a rollup key column means "none" and is mapped back to null here.
 */
import { sql } from 'kysely';
import { estimateStored, SKETCH_SHAPES, type SketchDim } from '../domain/visitor-sketch';
import type { Db } from './client';
import { countVisitorsFrom, sumCreditsFrom, sumTrafficFrom } from './origin-reads';
import {
  campaignFilter,
  creditCellOf,
  dimHead,
  dimsOf,
  groupBy,
  hourly,
  narrowing,
  timeRange,
  type CreditCell,
  type Dim,
  type DimValues,
  type RangeFilter,
  type TrafficCell,
} from './report-dims';
import { countRoutedVisitors, sumRoutedCredits, sumRoutedTraffic } from './routing-rollups';
import { onEveryConversionShard, onEveryShard } from './shards';
import { addTraffic, addVisitors, mergeCreditCells, mergeShardCells } from './shard-merge';

/** Human visits by type and bot touches, grouped by `dims` (every touch shard's rollups added up). */
export async function sumTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  return mergeShardCells(await onEveryShard(db, (shard) => sumShardTraffic(shard, dims, filter)), dims, addTraffic);
}

async function sumShardTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  if (filter.origin) return sumTrafficFrom(db, dims, filter);
  if (filter.routed) return sumRoutedTraffic(db, dims, filter);
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
  if (filter.routed) return countRoutedVisitors(db, dims, filter);
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
  if (filter.origin || filter.routed) return countUniqueVisitors(db, dims, filter);
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

/**
 * Stored credits of `model` (conversions = summed weights), grouped by `dims`,
 * currency and the day of the conversions (for their exchange rate); credits in
 * `base`, which need no rate, are not split by day.
 */
export async function sumStoredCredits(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  if (filter.origin) return sumCreditsFrom(db, model, dims, filter, base);
  if (filter.routed) return sumRoutedCredits(db, model, dims, filter, base);
  // Every conversion shard's credit rollups, added up (one database unless conversions are sharded).
  return mergeCreditCells(await onEveryConversionShard(db, (shard) => sumShardCredits(shard, model, dims, filter, base)), dims);
}

async function sumShardCredits(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  const day = hourly(dims) ? sql`substr(hour, 1, 10)` : sql`day`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}currency, CASE WHEN currency = ${base} THEN '' ELSE ${day} END AS rate_day,
      SUM(conversions) AS conversions, SUM(revenue) AS revenue
    FROM ${sql.table(hourly(dims) ? 'credit_hourly' : 'credit_daily')}
    WHERE model = ${model} AND ${timeRange(dims, filter)}${campaignFilter(filter, dims)}
    GROUP BY ${dimHead(dims)}currency, rate_day`.execute(db);
  return rows.map((row) => creditCellOf(row, dims));
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
