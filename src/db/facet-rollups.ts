/**
 * Top countries and referring hosts of human visits, from touch_facet_daily
 * (schema/0015_touch_facets.sql): the cost follows the day × value cells of the
 * range, not the raw touches.
 */
import { sql } from 'kysely';
import type { Db } from './client';
import { topOriginValues } from './origin-reads';
import { narrowingSql, type RangeFilter } from './report-dims';
import { isSharded, onEveryShard } from './shards';
import { topValues } from './shard-merge';

export const FACETS = ['country', 'referrer'] as const;
export type Facet = (typeof FACETS)[number];

/** The `limit` values of `facet` with the most human visits in the range (null value: unknown), most first. */
export async function topFacetValues(db: Db, facet: Facet, filter: RangeFilter, limit: number): Promise<Array<{ value: string | null; visits: number }>> {
  if (filter.origin) return topOriginValues(db, facet, filter, limit);
  // Several shards: each gives every value of the range (no LIMIT), so the merged top is exact.
  const perShard = await onEveryShard(
    db,
    async (shard) =>
      (
        await sql<{ value: string; visits: number }>`
          SELECT value, SUM(visits) AS visits
          FROM touch_facet_daily
          WHERE facet = ${facet} AND day >= ${filter.from} AND day <= ${filter.to}${narrowingSql(filter)}
          GROUP BY value
          HAVING SUM(visits) > 0
          ORDER BY SUM(visits) DESC, value
          LIMIT ${isSharded(db) ? -1 : limit}`.execute(shard)
      ).rows,
  );
  return topValues(perShard, limit);
}
