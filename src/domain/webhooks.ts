/**
 * Outgoing webhooks (Standard Webhooks): the retry schedule, when an endpoint is given up on, and the
 * message body. Pure rules; the delivery itself is services/webhook-delivery.ts.
 */

export const DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The event of a test ping (`POST /api/v1/webhooks/:id/test`); not subscribable. */
export const PING_EVENT = 'webhook.test';

/**
 * Seconds to wait after a failed attempt before the next one (the Standard Webhooks example schedule, cut at
 * 10 hours): the first attempt is immediate, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — 8 attempts over
 * about 27.6 hours.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** An endpoint is disabled when this many deliveries in a row failed every attempt (about 28 hours of failing each). */
export const DISABLE_AFTER_FAILED_DELIVERIES = 5;

/** Milliseconds an attempt waits for the response (its status and first kilobyte) before counting as failed. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** Days a finished delivery stays in the log (the cron deletes older ones; pending ones stay until they finish). */
export const LOG_RETENTION_DAYS = 30;

/** Bytes of a response body kept in the delivery log. */
export const EXCERPT_BYTES = 1024;

/** While an attempt is in flight its delivery is leased for this long, so the cron and the queue never send it twice at once. */
export const CLAIM_LEASE_MS = 60_000;

/** When the next attempt is due after `attempts` attempts failed (ms), or null when none is left. */
export function nextAttemptAt(attempts: number, maxAttempts: number, now: number): number | null {
  if (attempts >= maxAttempts) return null;
  const delay = RETRY_DELAYS_SECONDS[Math.min(attempts, RETRY_DELAYS_SECONDS.length) - 1] ?? 0;
  return now + delay * 1000;
}

/** A 2xx answer is a success; anything else (3xx included: redirects are not followed) a failure. */
export const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** 410 Gone: the receiver asks to stop; the endpoint is disabled at once (Standard Webhooks). */
export const asksToStop = (status: number | null): boolean => status === 410;

/** The message body, as the specification recommends: `{type, timestamp, data}`, minified. */
export const messageBody = (type: string, timestamp: string, data: unknown): string => JSON.stringify({ type, timestamp, data });
