/**
 * A link's traffic, all time: human clicks and scans from the daily rollup and
 * distinct visitors from the visitor sets or sketches, added up over every touch shard.
 */
import { estimatesVisitors, estimateStored } from '../domain/visitor-sketch';
import type { Db } from './client';
import { onEveryShard } from './shards';
import { sumRowsBy } from './shard-merge';

export interface LinkStats {
  clicks: number;
  scans: number;
  unique_visitors: number;
}

/**
 * Human clicks and scans of links, all time, from the daily rollup; each link's
 * distinct visitors counted exactly from its daily visitor sets (its cells, then the
 * visitors of each day it has traffic on, by visitor_days' key; they outlive the raw touches, see schema/0025) while
 * it has at most `exactVisitorsLimit` human visits, estimated from its day
 * sketches above that — so a hot link costs its day cells, not its touches.
 * Three reads for any number of links (a page of them costs no query per row).
 */
export async function linksStats(db: Db, linkIds: readonly string[], exactVisitorsLimit: number): Promise<Map<string, LinkStats>> {
  const stats = new Map<string, LinkStats>(linkIds.map((id) => [id, { clicks: 0, scans: 0, unique_visitors: 0 }]));
  if (linkIds.length === 0) return stats;
  const ids = JSON.stringify(linkIds);
  // With several touch shards every read runs on each and adds up (a visitor's touches sit on one shard).
  const traffic = sumRowsBy(
    await onEveryShard(db, (shard) =>
      shard.d1
        .prepare(
          `SELECT link_id, coalesce(SUM(CASE WHEN type = 'click' THEN touches END), 0) AS clicks,
                  coalesce(SUM(CASE WHEN type = 'scan' THEN touches END), 0) AS scans, coalesce(SUM(touches), 0) AS visits
           FROM touch_daily WHERE link_id IN (SELECT value FROM json_each(?1)) AND is_bot = 0 GROUP BY link_id`,
        )
        .bind(ids)
        .all<{ link_id: string; clicks: number; scans: number; visits: number }>()
        .then((r) => r.results),
    ).then((perShard) => perShard.flat()),
    (row) => row.link_id,
    ['clicks', 'scans', 'visits'],
  );
  const busy: string[] = [];
  for (const row of traffic) {
    stats.set(row.link_id, { clicks: Number(row.clicks), scans: Number(row.scans), unique_visitors: 0 });
    if (estimatesVisitors(Number(row.visits), exactVisitorsLimit)) busy.push(row.link_id);
  }
  const quiet = traffic.map((row) => row.link_id).filter((id) => !busy.includes(id));
  const [exact, sketches] = await Promise.all([
    quiet.length === 0
      ? []
      : onEveryShard(db, (shard) =>
          shard.d1
            .prepare(`SELECT c.link_id, COUNT(DISTINCT v.visitor_id) AS n
               FROM touch_cells c
               JOIN (SELECT DISTINCT link_id, day FROM touch_daily WHERE link_id IN (SELECT value FROM json_each(?1)) AND is_bot = 0) d
                 ON d.link_id = c.link_id
               JOIN visitor_days v ON v.day = d.day AND v.cell = c.id
               WHERE c.link_id IN (SELECT value FROM json_each(?1))
               GROUP BY c.link_id`)
            .bind(JSON.stringify(quiet))
            .all<{ link_id: string; n: number }>()
            .then((r) => r.results),
        ).then((perShard) => perShard.flat()),
    busy.length === 0
      ? []
      : onEveryShard(db, (shard) =>
          shard.d1
            .prepare('SELECT link_id, registers FROM visitor_sketch WHERE shape = 3 AND link_id IN (SELECT value FROM json_each(?1))')
            .bind(JSON.stringify(busy))
            .all<{ link_id: string; registers: string }>()
            .then((r) => r.results),
        ).then((perShard) => perShard.flat()),
  ]);
  for (const row of exact) stats.get(row.link_id)!.unique_visitors += Number(row.n);
  for (const id of busy) stats.get(id)!.unique_visitors = estimateStored(sketches.filter((row) => row.link_id === id).map((row) => row.registers));
  return stats;
}

/** linksStats of one link. */
export async function linkStats(db: Db, linkId: string, exactVisitorsLimit: number): Promise<LinkStats> {
  return (await linksStats(db, [linkId], exactVisitorsLimit)).get(linkId)!;
}
