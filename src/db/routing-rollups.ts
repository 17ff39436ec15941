/**
 * Report reads over the routing rollups (schema/0033): traffic, distinct visitors and credits of routed visits (a
 * rule matched, a variant picked, or after the cap), by day, campaign, link, rule, variant and after_cap. The same
 * cell shapes as db/report-rollups.ts, which sends a filter with `routed` here; every day is kept (archived ones too).
 */
import { sql } from 'kysely';
import type { Db } from './client';
import { onEveryConversionShard } from './shards';
import { mergeCreditCells } from './shard-merge';
import {
  creditCellOf,
  dimHead,
  dimsOf,
  groupBy,
  hourly,
  narrowingSql,
  type CreditCell,
  type Dim,
  type DimValues,
  type RangeFilter,
  type TrafficCell,
} from './report-dims';

const ROUTED_DIMS: ReadonlySet<Dim> = new Set(['day', 'campaign_id', 'link_id', 'rule', 'variant', 'after_cap']);

/** Refuses what the routing rollups do not split by (hours, channels, device classes, origins). */
function check(dims: readonly Dim[], filter: RangeFilter): void {
  if (hourly(dims) || dims.some((dim) => !ROUTED_DIMS.has(dim)) || filter.channel || filter.deviceClass || filter.origin) {
    throw new Error('the routing rollups split by day, campaign, link, rule, variant and after_cap only');
  }
}

const range = (filter: RangeFilter) => sql`day >= ${filter.from} AND day <= ${filter.to}${narrowingSql(filter)}`;

/** Human visits by type and bot touches of routed visits, grouped by `dims`, on one touch shard. */
export async function sumRoutedTraffic(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  check(dims, filter);
  const byType = (type: string) => sql`SUM(CASE WHEN is_bot = 0 AND type = ${type} THEN touches ELSE 0 END)`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}
      SUM(CASE WHEN is_bot = 0 THEN touches ELSE 0 END) AS visits,
      ${byType('click')} AS clicks, ${byType('scan')} AS scans, 0 AS code_entries,
      SUM(CASE WHEN is_bot = 1 THEN touches ELSE 0 END) AS bots
    FROM routing_daily JOIN routing_cells c ON c.id = routing_daily.cell
    WHERE ${range(filter)}
    ${groupBy(dims)}`.execute(db);
  return rows.map((row) => ({
    dims: dimsOf(row, dims),
    visits: Number(row.visits),
    clicks: Number(row.clicks),
    scans: Number(row.scans),
    code_entries: 0,
    bots: Number(row.bots),
  }));
}

/** Distinct human visitors of routed visits over the range, grouped by `dims`, on one touch shard. */
export async function countRoutedVisitors(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  check(dims, filter);
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${dimHead(dims)}COUNT(DISTINCT visitor_id) AS visitors
    FROM routing_visitor_days JOIN routing_cells c ON c.id = routing_visitor_days.cell
    WHERE ${range(filter)}
    ${groupBy(dims)}`.execute(db);
  return rows.map((row) => ({ dims: dimsOf(row, dims), visitors: Number(row.visitors) }));
}

/** Stored credits of `model` given to routed visits, grouped by `dims`, currency and (outside `base`) day; the main database. */
export async function sumRoutedCredits(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  check(dims, filter);
  // Kept beside the credits: on every conversion shard when conversions are sharded, added up.
  const perShard = await onEveryConversionShard(db, async (shard) => {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${dimHead(dims)}currency, CASE WHEN currency = ${base} THEN '' ELSE day END AS rate_day,
        SUM(conversions) AS conversions, SUM(revenue) AS revenue
      FROM routing_credit_daily
      WHERE model = ${model} AND ${range(filter)}
      GROUP BY ${dimHead(dims)}currency, rate_day`.execute(shard);
    return rows.map((row) => creditCellOf(row, dims));
  });
  return mergeCreditCells(perShard, dims);
}
