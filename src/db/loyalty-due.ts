/** What the cron finds due in the bonus program: pending points past their return window, members with lots past their expiry. */
import type { Db } from './client';

/** Up to `limit` pending rows available by `now` (ISO), the oldest first. */
export async function findDuePending(db: Db, now: string, limit: number): Promise<Array<{ ledgerId: string; memberId: string }>> {
  const { results } = await db.d1
    .prepare('SELECT ledger_id AS ledgerId, member_id AS memberId FROM loyalty_pending WHERE available_at <= ? ORDER BY available_at, ledger_id LIMIT ?')
    .bind(now, limit)
    .all<{ ledgerId: string; memberId: string }>();
  return results;
}

/** Up to `limit` members with a lot that expired after their `expired_through` and by `now` (ISO). */
export async function findMembersWithDueLots(db: Db, now: string, limit: number): Promise<string[]> {
  const { results } = await db.d1
    .prepare(
      `SELECT DISTINCT l.member_id FROM loyalty_ledger l JOIN loyalty_members m ON m.id = l.member_id
       WHERE l.lot <> 0 AND l.expires_at <= ?1 AND l.expires_at > coalesce(m.expired_through, '') LIMIT ?2`,
    )
    .bind(now, limit)
    .all<{ member_id: string }>();
  return results.map((row) => row.member_id);
}

/** Marks the event of ledger row `ledgerId` (a release) available. */
export const markEventAvailable = (db: Db, ledgerId: string): D1PreparedStatement =>
  db.d1.prepare("UPDATE loyalty_events SET status = 'available' WHERE id = (SELECT event_id FROM loyalty_ledger WHERE id = ?)").bind(ledgerId);
