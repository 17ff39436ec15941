/**
 * Sending webhook deliveries: one signed attempt (Standard Webhooks headers, 10 s timeout, redirects not
 * followed), its outcome logged on the delivery and its consequences for the endpoint (a success ends a run of
 * failures; a delivery that failed all its attempts counts towards disabling; 410 Gone disables at once). The
 * runners: due deliveries (the cron), given ids (right after the request that emitted them), the queue consumer.
 */
import type { Db } from '../db/client';
import { claimDelivery, deleteFinishedDeliveries, findDelivery, findDueDeliveryIds, recordAttempt, type WebhookDelivery } from '../db/webhook-deliveries';
import { countEndpointFailure, disableWebhookEndpoint, findWebhookEndpoint, resetEndpointFailures, type WebhookEndpoint } from '../db/webhook-endpoints';
import { webhookTargetProblem } from '../domain/webhook-targets';
import {
  asksToStop,
  ATTEMPT_TIMEOUT_MS,
  CLAIM_LEASE_MS,
  DISABLE_AFTER_FAILED_DELIVERIES,
  EXCERPT_BYTES,
  isSuccess,
  LOG_RETENTION_DAYS,
  nextAttemptAt,
  PING_EVENT,
} from '../domain/webhooks';
import { type Bindings, secretsKey } from '../env';
import { open } from '../lib/secret-box';
import { toIso } from '../lib/time';
import { signWebhook } from '../lib/webhook-signature';

/** The secret box label of endpoint secrets. */
export const ENDPOINT_SECRET_LABEL = 'webhook-endpoint';

/** Outgoing connections a runner keeps open at once (a Worker may hold six). */
const CONCURRENCY = 6;
/** Deliveries one cron run sends at most. */
const DUE_PER_RUN = 60;

/** WEBHOOK_ALLOW_LOOPBACK: http and loopback targets, for local trials only. */
export const allowsLoopback = (env: Pick<Bindings, 'WEBHOOK_ALLOW_LOOPBACK'>): boolean => env.WEBHOOK_ALLOW_LOOPBACK === 'true';

interface Response1 {
  status: number | null;
  error: string | null;
  excerpt: string | null;
}

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // A multi-byte character cut at the limit is dropped rather than shown broken.
  return new TextDecoder().decode(bytes.subarray(0, EXCERPT_BYTES)).replace(/\uFFFD+$/, '');
}

async function send(env: Bindings, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: number): Promise<Response1> {
  const problem = webhookTargetProblem(endpoint.url, allowsLoopback(env));
  if (problem) return { status: null, error: `refused: the URL ${problem}`, excerpt: null };
  const secret = await open(secretsKey(env), ENDPOINT_SECRET_LABEL, endpoint.secretSealed);
  if (!secret) return { status: null, error: 'the signing secret cannot be opened (was SECRETS_KEY changed?)', excerpt: null };
  const timestamp = Math.floor(now / 1000);
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Touchpoint-Webhooks/1',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(secret, delivery.messageId, timestamp, delivery.body),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const excerpt = await readExcerpt(response);
    return { status: response.status, error: isSuccess(response.status) ? null : `HTTP ${response.status}`, excerpt };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { status: null, error: timedOut ? `no response within ${ATTEMPT_TIMEOUT_MS / 1000} s` : `request failed: ${String(error)}`, excerpt: null };
  }
}

/**
 * One attempt at `delivery` now. A scheduled attempt moves the delivery along the retry schedule; a manual one
 * (replay) leaves a pending delivery's schedule as it was and otherwise records only its own outcome.
 */
export async function attemptDelivery(db: Db, env: Bindings, delivery: WebhookDelivery, now: number, manual = false): Promise<WebhookDelivery> {
  const endpoint = await findWebhookEndpoint(db, delivery.endpointId);
  if (!endpoint) return delivery;
  const started = Date.now();
  const outcome = await send(env, endpoint, delivery, now);
  const ok = isSuccess(outcome.status);
  const attempts = delivery.attempts + 1;
  let next: number | null = null;
  if (!ok && !manual) next = nextAttemptAt(attempts, delivery.maxAttempts, now);
  const state = ok ? 'succeeded' : manual && delivery.state === 'pending' ? 'pending' : next === null ? 'failed' : 'pending';
  const nextAt = manual && state === 'pending' ? delivery.nextAttemptAt : next === null ? null : toIso(next);
  const updated = await recordAttempt(db, delivery.id, {
    state,
    nextAttemptAt: nextAt,
    lastAttemptAt: toIso(now),
    lastStatus: outcome.status,
    lastError: outcome.error,
    responseMs: Date.now() - started,
    responseExcerpt: outcome.excerpt,
  });
  if (ok) await resetEndpointFailures(db, endpoint.id);
  else if (asksToStop(outcome.status) && delivery.event !== PING_EVENT)
    await disableWebhookEndpoint(db, endpoint.id, 'the receiver answered 410 Gone', toIso(now));
  else if (state === 'failed' && !manual && delivery.event !== PING_EVENT)
    await countEndpointFailure(db, endpoint.id, DISABLE_AFTER_FAILED_DELIVERIES, toIso(now));
  return updated ?? delivery;
}

/**
 * Claims `id` if it is due and attempts it; the delivery afterwards, or null when it was not this runner's to send.
 * A runner that took `now` once and has been busy since passes `leaseFrom` = `now` plus the time it has spent, so the
 * lease still covers this attempt (a lease already past would let the next cron send the delivery a second time).
 */
export async function attemptIfDue(db: Db, env: Bindings, id: string, now: number, leaseFrom = now): Promise<WebhookDelivery | null> {
  const claimed = await claimDelivery(db, id, toIso(now), toIso(leaseFrom + CLAIM_LEASE_MS));
  return claimed ? attemptDelivery(db, env, claimed, now) : null;
}

/** Attempts the given deliveries (those still due), a few at a time. */
export async function deliverIds(db: Db, env: Bindings, ids: readonly string[], now: number): Promise<Array<WebhookDelivery | null>> {
  const out: Array<WebhookDelivery | null> = [];
  const started = Date.now();
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const leaseFrom = now + Math.max(0, Date.now() - started);
    out.push(...(await Promise.all(ids.slice(i, i + CONCURRENCY).map((id) => attemptIfDue(db, env, id, now, leaseFrom)))));
  }
  return out;
}

/** The cron's part: every delivery due now (a bounded number per run). Returns how many were attempted. */
export async function deliverDue(db: Db, env: Bindings, now: number): Promise<number> {
  const ids = await findDueDeliveryIds(db, toIso(now), DUE_PER_RUN);
  const done = await deliverIds(db, env, ids, now);
  return done.filter(Boolean).length;
}

/** The minute cron's part: sends what is due and trims the log to LOG_RETENTION_DAYS. */
export async function runWebhookCron(db: Db, env: Bindings, now: number): Promise<void> {
  await deliverDue(db, env, now);
  await deleteFinishedDeliveries(db, toIso(now - LOG_RETENTION_DAYS * 86_400_000));
}

/** Replays one delivery now, whatever its state, with its own webhook-id. */
export async function replayDelivery(db: Db, env: Bindings, id: string, now: number): Promise<WebhookDelivery | null> {
  const delivery = await findDelivery(db, id);
  return delivery ? attemptDelivery(db, env, delivery, now, true) : null;
}
