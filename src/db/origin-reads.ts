/**
 * Report reads narrowed by origin (one country or referring host): rollups are not split that way, so these read
 * the raw touches of the range (and the credits of those touches), grouped like the rollups — a drill-down's cost.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client';
import { creditCellOf, dimsOf, narrowing, type CreditCell, type Dim, type DimValues, type RangeFilter, type TrafficCell } from './report-dims';
import { isSharded, onEveryConversionShard, onEveryShard } from './shards';
import { mergeCreditCells, topValues } from './shard-merge';

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

export async function sumTrafficFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<TrafficCell[]> {
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

export async function countVisitorsFrom(db: Db, dims: readonly Dim[], filter: RangeFilter): Promise<Array<{ dims: DimValues; visitors: number }>> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${rawSelect('t', dims)}COUNT(DISTINCT t.visitor_id) AS visitors
    FROM touches t
    WHERE ${originWhere('t', filter)} AND t.is_bot = 0
    ${groupByPosition(dims.length)}`.execute(db);
  return rows.map((row) => ({ dims: dimsOf(row, dims), visitors: Number(row.visitors) }));
}

/** The credit cell's columns (creditCellOf), credits in `base` not split by day. */
const creditColumns = (dims: readonly Dim[], base: string) =>
  sql`${rawSelect('cc', dims)}coalesce(cc.currency, '') AS currency, CASE WHEN cc.currency = ${base} THEN '' ELSE cc.day END AS rate_day,
      SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue`;

/** Credits of the touches from the filter's origin (a conversion without a touch has no origin). */
export async function sumCreditsFrom(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  if (isSharded(db)) return sumShardedCreditsFrom(db, model, dims, filter, base);
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${creditColumns(dims, base)}
    FROM conversion_credits cc JOIN touches t ON t.id = cc.touch_id
    WHERE cc.model = ${model} AND cc.weight > 0 AND ${originWhere('cc', filter)}
    ${groupByPosition(dims.length + 2)}`.execute(db);
  return rows.map((row) => creditCellOf(row, dims));
}

/**
 * sumCreditsFrom over several touch shards (credits on the main database, or on every conversion shard when
 * conversions are sharded; touches on their shards): the touches credited in the range, those of them from the
 * origin (every shard), then the credits of those touches grouped as sumCreditsFrom groups them (and added up
 * over the conversion shards).
 */
async function sumShardedCreditsFrom(db: Db, model: string, dims: readonly Dim[], filter: RangeFilter, base: string): Promise<CreditCell[]> {
  const origin = filter.origin!;
  const narrowed = narrowing(filter).map(([dim, value]) => sql` AND ${rawDim('cc', dim)} = ${value}`);
  const credited = sql`cc.model = ${model} AND cc.weight > 0 AND cc.day >= ${filter.from} AND cc.day <= ${filter.to}${sql.join(narrowed, sql``)}`;
  const touched = await onEveryConversionShard(
    db,
    async (shard) =>
      (await sql<{ touch_id: string }>`SELECT DISTINCT cc.touch_id FROM conversion_credits cc WHERE ${credited} AND cc.touch_id IS NOT NULL`.execute(shard))
        .rows,
  );
  const ids = JSON.stringify([...new Set(touched.flat().map((row) => row.touch_id))]);
  const column = origin.facet === 'country' ? sql`country` : sql`referrer_host`;
  const fromOrigin = await onEveryShard(
    db,
    async (shard) =>
      (await sql<{ id: string }>`SELECT id FROM touches WHERE id IN (SELECT value FROM json_each(${ids})) AND ${column} = ${origin.value}`.execute(shard)).rows,
  );
  const originIds = JSON.stringify(fromOrigin.flat().map((row) => row.id));
  const perShard = await onEveryConversionShard(db, async (shard) => {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${creditColumns(dims, base)}
      FROM conversion_credits cc
      WHERE ${credited} AND cc.touch_id IN (SELECT value FROM json_each(${originIds}))
      ${groupByPosition(dims.length + 2)}`.execute(shard);
    return rows.map((row) => creditCellOf(row, dims));
  });
  return mergeCreditCells(perShard, dims);
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
