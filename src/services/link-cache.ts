/**
 * Per-isolate cache of redirect targets by slug, so a hot link costs no D1
 * read. Entries live for a short TTL; writes to a link or its campaign evict
 * them at once in this isolate (other isolates see the change within the TTL).
 * When D1 fails, an expired entry is served rather than an error (stale if error).
 */
import { findLinkBySlug } from '../db/links';
import { findReferralByCode, type ReferralTarget } from '../db/referrals';
import { replicaOf, type Db } from '../db/client';
import { toRedirectTarget, type RedirectTarget } from '../domain/redirect';
import { d1Paused, noteD1Failure, noteD1Success } from '../lib/d1-health';

const MAX_ENTRIES = 10_000;
/** How long a request with an expired entry at hand waits for D1 before serving that entry. */
const STALE_WAIT_MS = 500;
/** How long a stale entry is served after a failed or slow read before D1 is asked again. */
const STALE_RETRY_MS = 5_000;

const STALE = Symbol('stale');

/** `promise`, or `fallback` when it has not settled within `ms` (the promise is this request's own; it is left to finish). */
function withinOr<V, F>(promise: Promise<V>, ms: number, fallback: F): Promise<V | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

interface Entry<T> {
  value: T | null;
  expiresAt: number;
}

export class SlugCache<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The cached target of `slug`, or what `load` finds (null: unknown slug, cached too).
   * Concurrent misses each load for themselves: sharing one request's pending read with
   * another would leave the second hanging if the first were cancelled.
   * Stale if error: when `load` fails, or takes longer than STALE_WAIT_MS, an expired entry
   * is served (and kept for STALE_RETRY_MS before D1 is asked again); without one the error
   * is thrown.
   */
  async get(slug: string, now: number, ttlMs: number, load: () => Promise<T | null>): Promise<T | null> {
    const hit = this.entries.get(slug);
    if (hit && hit.expiresAt > now) return hit.value;
    let value: T | null | typeof STALE;
    try {
      value = hit ? await withinOr(load(), STALE_WAIT_MS, STALE) : await load();
    } catch (error) {
      if (!hit) throw error;
      console.error(`serving a stale cache entry for ${slug}: the read failed`, error);
      value = STALE;
    }
    if (value === STALE) {
      hit!.expiresAt = now + Math.min(ttlMs, STALE_RETRY_MS);
      return hit!.value;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(slug, { value, expiresAt: now + ttlMs });
    return value;
  }

  evictSlug(slug: string): void {
    this.entries.delete(slug);
  }

  evictCampaign(campaignId: string): void {
    for (const [slug, entry] of this.entries) if ((entry.value as { campaignId?: string } | null)?.campaignId === campaignId) this.entries.delete(slug);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Redirect targets by (domain, slug), shared by every request of this isolate. */
export const redirectCache = new SlugCache<RedirectTarget>();

/** The cache key of a slug on a domain: the slug itself on the installation's own host, `<domain id>/<slug>` on a branded one. */
export const redirectKey = (domainId: string | null, slug: string): string => (domainId ? `${domainId}/${slug}` : slug);

/** How long an isolate serves a cached link or referral: LINK_CACHE_TTL_SECONDS (default 30). */
export const cacheTtlMs = (env: { LINK_CACHE_TTL_SECONDS?: string }): number => Number(env.LINK_CACHE_TTL_SECONDS ?? 30) * 1000;

/** The redirect target of a slug on a domain (null: the own host) from the isolate's cache, read from D1 only on a miss. */
export function lookupRedirectTarget(
  db: Db,
  env: { LINK_CACHE_TTL_SECONDS?: string },
  slug: string,
  now: number,
  domainId: string | null = null,
): Promise<RedirectTarget | null> {
  return redirectCache.get(
    redirectKey(domainId, slug),
    now,
    cacheTtlMs(env),
    pausingOnFailure(async () => {
      const link = await replicaFirst(db, (reader) => findLinkBySlug(reader, slug, domainId));
      return link ? toRedirectTarget(link, link.campaignUtm, link.campaignStatus) : null;
    }),
  );
}

/** Referrals by code, per isolate, for LINK_CACHE_TTL_SECONDS (campaign edits evict them). */
export const referralCache = new SlugCache<ReferralTarget>();

/** The tell-a-friend target of a referral code from the isolate's cache, read from D1 only on a miss. */
export function lookupReferralTarget(db: Db, env: { LINK_CACHE_TTL_SECONDS?: string }, code: string, now: number): Promise<ReferralTarget | null> {
  return referralCache.get(
    code,
    now,
    cacheTtlMs(env),
    pausingOnFailure(() => replicaFirst(db, (reader) => findReferralByCode(reader, code))),
  );
}

/**
 * A lookup read from the nearest read replica (see replicaOf); a miss is asked again of the primary, so a link
 * created a moment ago on another continent redirects rather than 404s while the replica catches up.
 */
export async function replicaFirst<T>(db: Db, find: (reader: Db) => Promise<T | null>): Promise<T | null> {
  const reader = replicaOf(db);
  return (await find(reader)) ?? (reader === db ? null : find(db));
}

/** A D1 read that is not tried while D1 has just failed, and that starts that pause when it fails (see d1-health). */
export function pausingOnFailure<T>(load: () => Promise<T>): () => Promise<T> {
  return async () => {
    if (d1Paused()) throw new Error('D1 failed moments ago; not read again before the pause ends');
    try {
      const value = await load();
      noteD1Success(); // any answer from D1 ends the pause, not only the next touch write
      return value;
    } catch (error) {
      noteD1Failure();
      throw error;
    }
  };
}
