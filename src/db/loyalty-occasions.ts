/** The queue of earning occasions whose booking failed (schema/0017), worked by the cron. */
import type { Db } from './client';

export interface QueuedOccasion {
  key: string;
  /** The occasion as JSON (services/loyalty-earn.ts). */
  occasion: string;
}

/** Queues an occasion (once per key; a second failure only counts an attempt). */
export async function queueOccasion(db: Db, key: string, customerHash: string, occasion: string, error: string, at: string): Promise<void> {
  await db.d1
    .prepare(
      `INSERT INTO loyalty_pending_occasions (idempotency_key, customer_hash, occasion, last_error, queued_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error`,
    )
    .bind(key, customerHash, occasion, error.slice(0, 500), at)
    .run();
}

/** Up to `limit` queued occasions, fewest failed attempts first. */
export async function findQueuedOccasions(db: Db, limit: number): Promise<QueuedOccasion[]> {
  const { results } = await db.d1
    .prepare('SELECT idempotency_key AS key, occasion FROM loyalty_pending_occasions ORDER BY attempts, queued_at LIMIT ?')
    .bind(limit)
    .all<QueuedOccasion>();
  return results;
}

/** Takes a booked occasion off the queue. */
export async function removeQueuedOccasion(db: Db, key: string): Promise<void> {
  await db.d1.prepare('DELETE FROM loyalty_pending_occasions WHERE idempotency_key = ?').bind(key).run();
}

/** Counts a failed retry. */
export async function noteOccasionFailure(db: Db, key: string, error: string): Promise<void> {
  await db.d1
    .prepare('UPDATE loyalty_pending_occasions SET attempts = attempts + 1, last_error = ? WHERE idempotency_key = ?')
    .bind(error.slice(0, 500), key)
    .run();
}
