/**
 * What a link's rules and variants did: its human visits per (rule, variant, after the cap) from the raw touches
 * on every shard, and the last-touch conversion credit of those touches (conversion_paths on the main database).
 */
import type { Db } from './client';
import { onEveryShard } from './shards';
import { sumRowsBy } from './shard-merge';

export interface RoutingCell {
  rule: string | null;
  variant: string | null;
  after_cap: number;
  visits: number;
  visitors: number;
  conversions: number;
}

const cellKey = (row: { rule: string | null; variant: string | null; after_cap: number }): string => JSON.stringify([row.rule, row.variant, row.after_cap]);

/** Human visits, distinct visitors and last-touch conversions of a link per (rule, variant, after_cap); the raw touches still kept. */
export async function routingCells(db: Db, linkId: string): Promise<RoutingCell[]> {
  const perShard = await onEveryShard(db, (shard) =>
    shard.d1
      .prepare(
        `SELECT rule, variant, after_cap, COUNT(*) AS visits, COUNT(DISTINCT visitor_id) AS visitors
         FROM touches WHERE link_id = ?1 AND is_bot = 0 GROUP BY rule, variant, after_cap ORDER BY rule, variant, after_cap`,
      )
      .bind(linkId)
      .all<Omit<RoutingCell, 'conversions'>>()
      .then((r) => r.results),
  );
  // A visitor's touches sit on one shard, so distinct visitors add up across shards.
  const cells = sumRowsBy(perShard.flat(), cellKey, ['visits', 'visitors']).map((row) => ({ ...row, conversions: 0 }));
  const credits = (
    await db.d1
      .prepare('SELECT touch_id, w_last_touch AS weight FROM conversion_paths WHERE link_id = ?1 AND touch_id IS NOT NULL AND w_last_touch > 0')
      .bind(linkId)
      .all<{ touch_id: string; weight: number }>()
  ).results;
  if (credits.length === 0) return cells;
  const ids = JSON.stringify(credits.map((credit) => credit.touch_id));
  const touches = (
    await onEveryShard(db, (shard) =>
      shard.d1
        .prepare('SELECT id, rule, variant, after_cap FROM touches WHERE id IN (SELECT value FROM json_each(?1)) AND is_bot = 0')
        .bind(ids)
        .all<{ id: string; rule: string | null; variant: string | null; after_cap: number }>()
        .then((r) => r.results),
    )
  ).flat();
  const byKey = new Map(cells.map((cell) => [cellKey(cell), cell]));
  const weightOf = new Map(credits.map((credit) => [credit.touch_id, credit.weight]));
  for (const touch of touches) {
    const cell = byKey.get(cellKey(touch));
    if (cell) cell.conversions += weightOf.get(touch.id)!;
  }
  return cells;
}
