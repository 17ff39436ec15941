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

/** The settings key of the expiry scan's watermark: lots expiring before it have all been seen. */
const EXPIRY_WATERMARK = 'loyalty_expiry_watermark';

/**
 * Members with a lot that expired after their `expired_through` and by `now` (ISO): from the oldest such lots,
 * at most `limit` lots looked at, never below the watermark — so a run reads the lots expiring since the last
 * runs, not every lot that ever expired. `watermark` is where the next run may start.
 */
export async function findMembersWithDueLots(db: Db, now: string, limit: number): Promise<{ members: string[]; watermark: string }> {
  const { results } = await db.d1
    .prepare(
      `SELECT l.member_id, l.expires_at FROM loyalty_ledger l JOIN loyalty_members m ON m.id = l.member_id
       WHERE l.lot <> 0 AND l.expires_at <= ?1 AND l.expires_at > coalesce(m.expired_through, '')
         AND l.expires_at >= coalesce((SELECT value FROM settings WHERE key = ?2), '')
       ORDER BY l.expires_at LIMIT ?3`,
    )
    .bind(now, EXPIRY_WATERMARK, limit)
    .all<{ member_id: string; expires_at: string }>();
  // A full page may end inside a run of lots with the same expiry: start the next run at that expiry again.
  const watermark = results.length < limit ? now : results[results.length - 1].expires_at;
  return { members: [...new Set(results.map((row) => row.member_id))], watermark };
}

/** Moves the expiry scan's watermark forward (never back). */
export const advanceExpiryWatermark = (db: Db, watermark: string): D1PreparedStatement =>
  db.d1
    .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)')
    .bind(EXPIRY_WATERMARK, watermark);

/** Marks the event of ledger row `ledgerId` (a release) available. */
export const markEventAvailable = (db: Db, ledgerId: string): D1PreparedStatement =>
  db.d1.prepare("UPDATE loyalty_events SET status = 'available' WHERE id = (SELECT event_id FROM loyalty_ledger WHERE id = ?)").bind(ledgerId);
