/**
 * Throttling of authentication per client (lib/client.ts: an IPv4 address or
 * an IPv6 /64): failed dashboard sign-ins (SIGNIN_MAX_FAILURES in
 * SIGNIN_WINDOW_SECONDS) and failed bearer-key checks (API_KEY_MAX_FAILURES in
 * API_KEY_WINDOW_SECONDS). Failures are stored in D1 (auth_failures), so the
 * limit holds across isolates; attempts refused with 429 are not counted, so
 * Retry-After is exact for a client that waits.
 *
 * Each isolate also remembers, as plain numbers, which clients it has seen
 * blocked and until when; their requests are refused before any key is
 * checked, without a D1 read. A valid key costs nothing extra: while no
 * client is blocked in the isolate, not even the client's hash is computed.
 */
import { countAuthFailure, deleteAuthFailure } from '../db/auth-failures';
import type { Db } from '../db/client';
import { parseRateLimit, retryAfterSeconds, type RateLimit } from '../domain/rate-limit';
import type { AuthFailureKind } from '../domain/vocab';
import type { Bindings } from '../env';
import { newId } from '../lib/ids';

/** The limit of `kind` from the settings (defaults: 10 failed sign-ins, 20 failed key checks, per 10 minutes). */
export function authLimit(env: Bindings, kind: AuthFailureKind): RateLimit {
  return kind === 'signin'
    ? parseRateLimit(env.SIGNIN_MAX_FAILURES, env.SIGNIN_WINDOW_SECONDS, { maxFailures: 10, windowSeconds: 600 })
    : parseRateLimit(env.API_KEY_MAX_FAILURES, env.API_KEY_WINDOW_SECONDS, { maxFailures: 20, windowSeconds: 600 });
}

/** `${kind}:${client hash}` → epoch ms until which this isolate refuses the client unchecked. */
const blockedUntil = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

/** Whether this isolate remembers any blocked client (when not, nobody's hash need be computed). */
export const anyClientBlocked = (): boolean => blockedUntil.size > 0;

/** Seconds the isolate still refuses `client` for `kind`, or null. */
export function rememberedBlock(kind: AuthFailureKind, client: string, now: number): number | null {
  const until = blockedUntil.get(`${kind}:${client}`);
  if (until === undefined) return null;
  if (until > now) return Math.max(1, Math.ceil((until - now) / 1000));
  blockedUntil.delete(`${kind}:${client}`);
  return null;
}

function rememberBlock(kind: AuthFailureKind, client: string, now: number, seconds: number): void {
  if (blockedUntil.size >= MAX_REMEMBERED) {
    for (const [key, until] of blockedUntil) if (until <= now) blockedUntil.delete(key);
    if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.clear();
  }
  blockedUntil.set(`${kind}:${client}`, now + seconds * 1000);
}

export interface CountedAttempt {
  /** The stored failure's id (take it back with `withdrawAttempt` if the attempt succeeds). */
  id: string;
  /** Set when the client was already over its limit: refuse with 429; the attempt is not counted. */
  retryAfterSeconds: number | null;
}

/**
 * Counts an attempt of `client` as a failure, in one D1 round trip, and says
 * whether the client was already over its limit (then the row is taken back
 * after the response through `defer`, and the isolate remembers the block).
 */
export async function countFailedAttempt(
  db: Db,
  env: Bindings,
  kind: AuthFailureKind,
  client: string,
  now: number,
  defer: (work: Promise<unknown>) => void,
): Promise<CountedAttempt> {
  const limit = authLimit(env, kind);
  const id = newId('authFailure', now);
  const nth = await countAuthFailure(db, { id, kind, clientHash: client, occurredAt: now }, now - limit.windowMs, limit.maxFailures);
  const retry = retryAfterSeconds(nth, now, limit);
  if (retry !== null) {
    rememberBlock(kind, client, now, retry);
    defer(deleteAuthFailure(db, id).catch((error) => console.error('taking back a refused attempt failed', error)));
  }
  return { id, retryAfterSeconds: retry };
}

/** Takes back an attempt counted in advance that succeeded. */
export const withdrawAttempt = (db: Db, attempt: CountedAttempt): Promise<void> => deleteAuthFailure(db, attempt.id);

/** "N minutes" (rounded up) for a human-facing message. */
export const minutesOf = (seconds: number): number => Math.max(1, Math.ceil(seconds / 60));

/** Forgets every remembered block: what a fresh isolate knows (tests use it to show the D1 count alone holds). */
export const forgetRememberedBlocks = (): void => blockedUntil.clear();
