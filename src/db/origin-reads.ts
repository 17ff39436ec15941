/**
 * Report reads narrowed by origin (one country or referring host) and the top origins of a filter's visits, from
 * the origin rollups (schema/0032_origin_rollups.sql): origin_days and its touch_cells on each touch shard (traffic,
 * exact distinct visitors), credit_origin_daily on the main database (credits). They outlive raw touches and
 * credits, so an archived range reads as it did before.
 */
import { sql, type RawBuilder } from 'kysely';
import { ATTRIBUTION_MODELS } from '../domain/vocab';
import type { Db } from './client';
import { creditCellOf, dimsOf, narrowing, type CreditCell, type Dim, type DimValues, type RangeFilter, type TrafficCell } from './report-dims';
import { isSharded, onEveryConversionShard, onEveryShard } from './shards';
import { mergeCreditCells, topValues } from './shard-merge';

/** The origin_days column of a facet. */
const facetColumn = (facet: 'country' | 'referrer') => (facet === 'country' ? 'country' : 'referrer_host');

/** An origin_days/touch_cells column for a report dimension (the rollups' '' for none). */
function cellDim(dim: Dim): RawBuilder<unknown> {
  if (dim === 'hour') throw new Error('origin reads are daily');
  return dim === 'day' ? sql`d.day` : sql.ref(`c.${dim}`);
}

const cellSelect = (dims: readonly Dim[]) => (dims.length === 0 ? sql`` : sql`${sql.join(dims.map((dim) => sql`${cellDim(dim)} AS ${sql.ref(dim)}`))}, `);

/** GROUP BY the first `count` selected columns, by position. */
const groupByPosition = (count: number) => (count === 0 ? sql`` : sql`GROUP BY ${sql.raw(Array.from({ length: count }, (_, i) => i + 1).join(', '))}`);

/** The day range, the filter's origin (if any) and its narrowing, over origin_days d JOIN touch_cells c. */
function cellWhere(filter: RangeFilter): RawBuilder<unknown> {
  const origin = filter.origin ? sql` AND ${sql.ref(`d.${facetColumn(filter.origin.facet)}`)} = ${filter.origin.value}` : sql``;
  const narrowed = narrowing(filter).map(([dim, value]) => sql` AND ${cellDim(dim)} = ${value}`);
  return sql`d.day >= ${filter.from} AND d.day <= ${filter.to}${origin}${sql.join(narrowed, sql``)}`;
}

const ORIGIN_CELLS = sql`origin_days d JOIN touch_cells c ON c.id = d.cell`;

/** Human visits by type and bot touches from the filter's origin, grouped by `dims` (one shard). */
export async function sumTrafficFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${cellSelect(dims)}SUM(d.visits) AS visits, SUM(d.clicks) AS clicks, SUM(d.scans) AS scans,
      SUM(d.code_entries) AS code_entries, SUM(d.bots) AS bots
    FROM ${ORIGIN_CELLS}
    WHERE ${cellWhere(filter)}
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

/** Exact distinct human visitors from the filter's origin, grouped by `dims` (one shard; visitors are partitioned, so shards add). */
export async function countVisitorsFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${cellSelect(dims)}COUNT(DISTINCT d.visitor_id) AS visitors
    FROM ${ORIGIN_CELLS}
    WHERE ${cellWhere(filter)} AND d.visits > 0 AND d.visitor_id <> ''
    ${groupByPosition(dims.length)}`.execute(db);
  return rows.map((row) => ({ dims: dimsOf(row, dims), visitors: Number(row.visitors) }));
}

/**
 * Credits of `model` given to touches from the filter's origin (a conversion without a touch has no origin), grouped
 * by `dims`, currency and the day of the conversions (credits in `base` not split by day), from credit_origin_daily,
 * kept beside the credits: on every conversion shard when conversions are sharded, added up.
 */
export async function sumCreditsFrom(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  // The five models are columns of one row per cell (schema/0036); no other model is kept there.
  if (!(ATTRIBUTION_MODELS as readonly string[]).includes(model)) return [];
  const [credited, carried] = [sql.ref(`c_${model}`), sql.ref(`r_${model}`)];
  const origin = filter.origin!;
  const head = dims.length === 0 ? sql`` : sql`${sql.join(dims.map((dim) => sql.ref(dim)))}, `;
  const narrowed = narrowing(filter).map(([dim, value]) => sql` AND ${sql.ref(dim)} = ${value}`);
  const perShard = await onEveryConversionShard(db, async (shard) => {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${head}currency, CASE WHEN currency = ${base} THEN '' ELSE day END AS rate_day, SUM(${credited}) AS conversions,
        SUM(${carried}) AS revenue
      FROM credit_origin_daily
      WHERE ${credited} >= 1e-9 AND day >= ${filter.from} AND day <= ${filter.to}
        AND ${sql.ref(facetColumn(origin.facet))} = ${origin.value}${sql.join(narrowed, sql``)}
      GROUP BY ${head}currency, rate_day`.execute(shard);
    return rows.map((row) => creditCellOf(row, dims));
  });
  return mergeCreditCells(perShard, dims);
}

/** The `limit` countries or referring hosts with the most human visits among the filter's origin (null: unknown), most first. */
export async function topOriginValues(
  db: Db,
  facet: 'country' | 'referrer',
  filter: RangeFilter,
  limit: number,
): Promise<Array<{ value: string | null; visits: number }>> {
  // Several shards: each gives every value of the range (no LIMIT), so the merged top is exact.
  const perShard = await onEveryShard(
    db,
    async (shard) =>
      (
        await sql<{ value: string; visits: number }>`
          SELECT ${sql.ref(`d.${facetColumn(facet)}`)} AS value, SUM(d.visits) AS visits
          FROM ${ORIGIN_CELLS}
          WHERE ${cellWhere(filter)}
          GROUP BY 1
          HAVING SUM(d.visits) > 0
          ORDER BY 2 DESC, 1
          LIMIT ${isSharded(db) ? -1 : limit}`.execute(shard)
      ).rows,
  );
  return topValues(perShard, limit);
}
