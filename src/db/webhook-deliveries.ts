/** Outgoing webhook deliveries: the outbox rows, claimed before each attempt and updated with its outcome. */
import type { DeliveryState } from '../domain/webhooks';
import { type Db, jsonInsertStatements, runAtomically } from './client';
import { pageOf, type Page } from './pagination';
import type { WebhookDeliveryRow } from './webhook-schema';

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  event: string;
  body: string;
  state: DeliveryState;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  responseMs: number | null;
  responseExcerpt: string | null;
  createdAt: string;
}

export type NewDelivery = Pick<WebhookDelivery, 'id' | 'endpointId' | 'messageId' | 'event' | 'body' | 'maxAttempts' | 'nextAttemptAt' | 'createdAt'>;

const toDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  messageId: row.message_id,
  event: row.event,
  body: row.body,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  nextAttemptAt: row.next_attempt_at,
  lastAttemptAt: row.last_attempt_at,
  lastStatus: row.last_status,
  lastError: row.last_error,
  responseMs: row.response_ms,
  responseExcerpt: row.response_excerpt,
  createdAt: row.created_at,
});

/** Writes outbox rows (one per message and endpoint), all or none, a few statements however many. */
export async function insertDeliveries(db: Db, deliveries: readonly NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries.map((d) => ({
    id: d.id,
    endpoint_id: d.endpointId,
    message_id: d.messageId,
    event: d.event,
    body: d.body,
    max_attempts: d.maxAttempts,
    next_attempt_at: d.nextAttemptAt,
    created_at: d.createdAt,
  }));
  const columns = ['id', 'endpoint_id', 'message_id', 'event', 'body', 'max_attempts', 'next_attempt_at', 'created_at'] as const;
  await runAtomically(db, jsonInsertStatements(db, 'webhook_deliveries', columns, rows, { orIgnore: false }));
}

/** One delivery by id. */
export async function findDelivery(db: Db, id: string): Promise<WebhookDelivery | null> {
  const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDelivery(row) : null;
}

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(db: Db, endpointId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (cursor) query = query.where('id', '<', cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows.map(toDelivery), limit);
}

/** Ids of pending deliveries due at `now` whose endpoint is enabled, oldest due first. */
export async function findDueDeliveryIds(db: Db, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select('d.id')
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('e.enabled', '=', 1)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Takes a due pending delivery for one attempt: moves its due time to the lease's end, so no other runner sends
 * it meanwhile (and a runner that dies mid-attempt leaves it due again after the lease). Null when it is not due,
 * not pending, its endpoint is disabled (a queued retry then waits for the endpoint to be enabled again, as the
 * cron does), or another runner took it.
 */
export async function claimDelivery(db: Db, id: string, now: string, leaseUntil: string): Promise<WebhookDelivery | null> {
  const row = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where('endpoint_id', 'in', db.selectFrom('webhook_endpoints').select('id').where('enabled', '=', 1))
    .returningAll()
    .executeTakeFirst();
  return row ? toDelivery(row) : null;
}

export interface AttemptRecord {
  state: DeliveryState;
  nextAttemptAt: string | null;
  lastAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  responseMs: number;
  responseExcerpt: string | null;
}

/** Stores one attempt's outcome and counts it. */
export async function recordAttempt(db: Db, id: string, record: AttemptRecord): Promise<WebhookDelivery | null> {
  const row = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      state: record.state,
      next_attempt_at: record.nextAttemptAt,
      last_attempt_at: record.lastAttemptAt,
      last_status: record.lastStatus,
      last_error: record.lastError,
      response_ms: record.responseMs,
      response_excerpt: record.responseExcerpt,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toDelivery(row) : null;
}

/** Deletes finished deliveries created before `before` (the log's retention). */
export async function deleteFinishedDeliveries(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('webhook_deliveries').where('state', '!=', 'pending').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
