/** What the earning step reads about a member and an occasion before it books: paid counts per rule, acquisition channel, a touch's place. */
import type { Db } from './client';
import { customerDb, onEveryShard } from './shards';
import { monthDays } from './loyalty-earning';
import { acquisitionOf } from './loyalty';

/** How often each of `ruleIds` paid the member on `day`, in its month and ever. */
export async function findPaidCounts(
  db: Db,
  memberId: string,
  ruleIds: readonly string[],
  day: string,
): Promise<Map<string, { day: number; month: number; total: number }>> {
  if (ruleIds.length === 0) return new Map();
  const [monthStart, monthEnd] = monthDays(day);
  const { results } = await db.d1
    .prepare(
      `SELECT rule_id, sum(day = ?2) AS d, sum(day BETWEEN ?3 AND ?4) AS m, count(*) AS t FROM loyalty_entries
       WHERE member_id = ?1 AND rule_id IN (${ruleIds.map(() => '?').join(', ')}) GROUP BY rule_id`,
    )
    .bind(memberId, day, monthStart, monthEnd, ...ruleIds)
    .all<{ rule_id: string; d: number; m: number; t: number }>();
  return new Map(results.map((row) => [row.rule_id, { day: row.d, month: row.m, total: row.t }]));
}

/**
 * A customer's acquisition channel, as the loyalty report defines it (db/loyalty.ts): the channel of the
 * first-touch credit of their first conversion, `direct` when it had none; null when they never converted.
 */
export async function findAcquisitionChannel(db: Db, customerHash: string): Promise<string | null> {
  // The customer's conversions sit on the customer's database (the main one unless conversions are sharded).
  const home = customerDb(db, customerHash);
  const row = await home.d1
    .prepare(
      `SELECT ${acquisitionOf('c.id')}
       FROM conversions c WHERE c.customer_hash = ? ORDER BY c.occurred_at, c.id LIMIT 1`,
    )
    .bind(customerHash)
    .first<{ channel: string }>();
  return row?.channel ?? null;
}

/** The country and region of a touch (a conversion's last touch), for place rules. */
export async function findTouchPlace(db: Db, touchId: string): Promise<{ country: string | null; region: string | null } | null> {
  // A touch sits on one shard: looked up on each (its visitor is not known here), the first found.
  const found = await onEveryShard(db, (shard) =>
    shard.d1.prepare('SELECT country, region FROM touches WHERE id = ?').bind(touchId).first<{ country: string | null; region: string | null }>(),
  );
  return found.find((row) => row !== null) ?? null;
}
