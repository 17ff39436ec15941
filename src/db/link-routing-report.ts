/**
 * What a link's rules and variants did, from the routing rollups (schema/0033), so the breakdown covers every day,
 * archived ones too: human visits and distinct visitors per (rule, variant, after_cap) from every touch shard's
 * routing_daily and routing_visitor_days, last-touch conversions from routing_credit_daily beside the credits (every conversion shard).
 * Visits that matched no rule and got no variant (the default destination) are the link's visits and conversions
 * (touch_daily, credit_daily) less the routed ones; the rollups keep no visitor set for them (a plain touch writes
 * nothing more), so their distinct visitors are null.
 */
import type { Db } from './client';
import { onEveryConversionShard, onEveryShard } from './shards';
import { sumRowsBy } from './shard-merge';

export interface RoutingCell {
  rule: string | null;
  variant: string | null;
  after_cap: number;
  visits: number;
  /** Distinct human visitors; null for the default destination's cell (see above). */
  visitors: number | null;
  conversions: number;
}

type Key = Pick<RoutingCell, 'rule' | 'variant' | 'after_cap'>;
type SortKey = { rule: string | null; variant: string | null; after_cap: number | boolean };
const cellKey = (row: Key): string => JSON.stringify([row.rule, row.variant, row.after_cap]);
const orNull = (value: string): string | null => (value === '' ? null : value);
/** SQLite's order of the old raw read (ORDER BY rule, variant, after_cap: NULL first, then by bytes). */
const text = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
export const byCell = (a: SortKey, b: SortKey) => text(a.rule, b.rule) || text(a.variant, b.variant) || Number(a.after_cap) - Number(b.after_cap);

const ROUTED_SQL = `
  SELECT c.rule, c.variant, c.after_cap,
         (SELECT COALESCE(SUM(d.touches), 0) FROM routing_daily d JOIN routing_cells e ON e.id = d.cell
          WHERE e.link_id = ?1 AND e.rule = c.rule AND e.variant = c.variant AND e.after_cap = c.after_cap AND d.is_bot = 0) AS visits,
         (SELECT COUNT(DISTINCT v.visitor_id) FROM routing_visitor_days v JOIN routing_cells e ON e.id = v.cell
          WHERE e.link_id = ?1 AND e.rule = c.rule AND e.variant = c.variant AND e.after_cap = c.after_cap) AS visitors
  FROM (SELECT DISTINCT rule, variant, after_cap FROM routing_cells WHERE link_id = ?1) c`;

/** Human visits, distinct visitors and last-touch conversions of a link per (rule, variant, after_cap), over every day. */
export async function routingCells(db: Db, linkId: string): Promise<RoutingCell[]> {
  const perShard = await onEveryShard(db, async (shard) => {
    const [routed, all] = await shard.d1.batch([
      shard.d1.prepare(ROUTED_SQL).bind(linkId),
      shard.d1.prepare('SELECT COALESCE(SUM(touches), 0) AS visits FROM touch_daily WHERE link_id = ?1 AND is_bot = 0').bind(linkId),
    ]);
    return {
      routed: routed.results as Array<Key & { visits: number; visitors: number; rule: string; variant: string }>,
      all: (all.results[0] as { visits: number }).visits,
    };
  });
  // Credits sit beside their conversions: on every conversion shard when conversions are sharded, added up.
  const perConversionShard = await onEveryConversionShard(db, async (shard) => {
    const [credits, linkCredits] = await shard.d1.batch([
      shard.d1
        .prepare(
          `SELECT rule, variant, after_cap, SUM(conversions) AS conversions FROM routing_credit_daily
           WHERE link_id = ?1 AND model = 'last_touch' GROUP BY rule, variant, after_cap`,
        )
        .bind(linkId),
      shard.d1.prepare("SELECT COALESCE(SUM(conversions), 0) AS conversions FROM credit_daily WHERE link_id = ?1 AND model = 'last_touch'").bind(linkId),
    ]);
    return {
      credits: credits.results as Array<{ rule: string; variant: string; after_cap: number; conversions: number }>,
      all: (linkCredits.results[0] as { conversions: number }).conversions,
    };
  });
  // A visitor's touches sit on one shard, so distinct visitors add up across shards.
  const routed = sumRowsBy(
    perShard.flatMap((shard) => shard.routed.map((row) => ({ ...row, rule: orNull(row.rule), variant: orNull(row.variant) }))),
    cellKey,
    ['visits', 'visitors'],
  ).filter((cell) => cell.visits > 0);
  const conversionsOf = new Map<string, number>();
  for (const row of perConversionShard.flatMap((shard) => shard.credits)) {
    const key = cellKey({ rule: orNull(row.rule), variant: orNull(row.variant), after_cap: row.after_cap });
    conversionsOf.set(key, (conversionsOf.get(key) ?? 0) + row.conversions);
  }
  const cells: RoutingCell[] = routed.map((cell) => ({ ...cell, conversions: conversionsOf.get(cellKey(cell)) ?? 0 }));
  const defaultVisits = perShard.reduce((sum, shard) => sum + shard.all, 0) - cells.reduce((sum, cell) => sum + cell.visits, 0);
  if (defaultVisits > 0) {
    const routedConversions = [...conversionsOf.values()].reduce((sum, value) => sum + value, 0);
    const all = perConversionShard.reduce((sum, shard) => sum + shard.all, 0);
    cells.push({ rule: null, variant: null, after_cap: 0, visits: defaultVisits, visitors: null, conversions: all - routedConversions });
  }
  return cells.sort(byCell);
}
