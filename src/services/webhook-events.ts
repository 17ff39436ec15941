/**
 * Emitting webhook events: `emitEvent` is called where a fact happens (a conversion recorded, a code redeemed…)
 * and writes one outbox row per enabled endpoint subscribed to the event, right after the fact. With no such
 * endpoint it costs nothing: which events any endpoint subscribes to is cached per isolate as plain data for a
 * few seconds (an endpoint saved in this isolate clears it; other isolates see it within the TTL).
 * The rows are then sent by `sendEmitted` after the response (the request's db remembers what it emitted), by the
 * queue when WEBHOOK_QUEUE is bound, else by the cron.
 */
import type { Db } from '../db/client';
import { insertDeliveries, type NewDelivery } from '../db/webhook-deliveries';
import { findSubscribedEndpoints, findSubscribedEvents } from '../db/webhook-endpoints';
import type { WebhookEvent } from '../domain/vocab';
import { MAX_ATTEMPTS, messageBody } from '../domain/webhooks';
import type { Bindings } from '../env';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { deliverIds } from './webhook-delivery';

const SUBSCRIPTIONS_TTL_MS = 10_000;
/** First attempts made right after a request (without a queue); the cron sends the rest of a large burst. */
const SEND_NOW_MAX = 24;
let subscriptions: { events: Set<string>; at: number } | null = null;

/** Drops the cached subscriptions (an endpoint was created, changed or deleted). */
export function forgetSubscriptions(): void {
  subscriptions = null;
}

/** Whether any enabled endpoint subscribes to `event` (cached): lets a caller skip reads an event would need. */
export async function isSubscribed(db: Db, event: WebhookEvent): Promise<boolean> {
  try {
    return await anySubscribed(db, event);
  } catch {
    return false;
  }
}

// The cache's age is measured on the isolate's own clock, not the request's (which tests pin to other days).
async function anySubscribed(db: Db, event: WebhookEvent): Promise<boolean> {
  const cached = subscriptions;
  const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
  if (cached && age >= 0 && age < SUBSCRIPTIONS_TTL_MS) return cached.events.has(event);
  const events = await findSubscribedEvents(db);
  subscriptions = { events, at: Date.now() };
  return events.has(event);
}

/** Deliveries written by a request, keyed by its own db (a per-request object): sent after its response. */
const emitted = new WeakMap<Db, string[]>();

/**
 * Records `event` with `data` for every enabled endpoint subscribed to it. Never throws: the fact it reports is
 * already stored, and a failure here is logged instead of failing the request that caused it.
 */
export async function emitEvent(db: Db, event: WebhookEvent, data: unknown, now: number): Promise<void> {
  await emitEvents(db, event, [data], now);
}

/** `emitEvent` for several facts of one kind at once (a bulk of links): one message each, one write for all. */
export async function emitEvents(db: Db, event: WebhookEvent, items: readonly unknown[], now: number): Promise<void> {
  try {
    if (items.length === 0 || !(await anySubscribed(db, event))) return;
    const endpoints = await findSubscribedEndpoints(db, event);
    if (endpoints.length === 0) return;
    const rows: NewDelivery[] = items.flatMap((data) => {
      const messageId = newId('webhookMessage', now);
      const body = messageBody(event, toIso(now), data);
      return endpoints.map((endpoint) => ({
        id: newId('webhookDelivery', now),
        endpointId: endpoint.id,
        messageId,
        event,
        body,
        maxAttempts: MAX_ATTEMPTS,
        nextAttemptAt: toIso(now),
        createdAt: toIso(now),
      }));
    });
    await insertDeliveries(db, rows);
    emitted.set(db, [...(emitted.get(db) ?? []), ...rows.map((row) => row.id)]);
  } catch (error) {
    console.error(`webhooks: emitting ${event} failed; the event is not sent`, error);
  }
}

/** Sends what this request emitted: to the queue when bound, else attempted here (after the response). */
export async function sendEmitted(db: Db, env: Bindings, now: number): Promise<void> {
  const ids = emitted.get(db);
  if (!ids) return;
  emitted.delete(db);
  await sendDeliveries(db, env, ids, now);
}

/** True when this request emitted deliveries still to be sent. */
export const hasEmitted = (db: Db): boolean => emitted.has(db);

/** First attempts of new deliveries: queued when WEBHOOK_QUEUE is bound, else made now; the cron retries either way. */
export async function sendDeliveries(db: Db, env: Bindings, ids: readonly string[], now: number): Promise<void> {
  try {
    if (env.WEBHOOK_QUEUE) {
      for (let i = 0; i < ids.length; i += 100) await env.WEBHOOK_QUEUE.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { deliveryId: id } })));
    } else await deliverIds(db, env, ids.slice(0, SEND_NOW_MAX), now);
  } catch (error) {
    console.error('webhooks: sending new deliveries failed; the cron retries them', error);
  }
}
