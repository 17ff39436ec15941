/**
 * Per-isolate cache of redirect targets by slug, so a hot link costs no D1
 * read. Entries live for a short TTL; writes to a link or its campaign evict
 * them at once in this isolate (other isolates see the change within the TTL).
 */
import { findLinkBySlug } from '../db/links';
import type { Db } from '../db/client';
import { toRedirectTarget, type RedirectTarget } from '../domain/redirect';

const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T | null;
  expiresAt: number;
}

export class SlugCache<T extends { campaignId: string }> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The cached target of `slug`, or what `load` finds (null: unknown slug, cached too).
   * Concurrent misses each load for themselves: sharing one request's pending read with
   * another would leave the second hanging if the first were cancelled.
   */
  async get(slug: string, now: number, ttlMs: number, load: () => Promise<T | null>): Promise<T | null> {
    const hit = this.entries.get(slug);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = await load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(slug, { value, expiresAt: now + ttlMs });
    return value;
  }

  evictSlug(slug: string): void {
    this.entries.delete(slug);
  }

  evictCampaign(campaignId: string): void {
    for (const [slug, entry] of this.entries) if (entry.value?.campaignId === campaignId) this.entries.delete(slug);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Redirect targets by slug, shared by every request of this isolate. */
export const redirectCache = new SlugCache<RedirectTarget>();

/** How long an isolate serves a cached link or referral: LINK_CACHE_TTL_SECONDS (default 30). */
export const cacheTtlMs = (env: { LINK_CACHE_TTL_SECONDS?: string }): number => Number(env.LINK_CACHE_TTL_SECONDS ?? 30) * 1000;

/** The redirect target of a slug from the isolate's cache, read from D1 only on a miss. */
export function lookupRedirectTarget(db: Db, env: { LINK_CACHE_TTL_SECONDS?: string }, slug: string, now: number): Promise<RedirectTarget | null> {
  return redirectCache.get(slug, now, cacheTtlMs(env), async () => {
    const link = await findLinkBySlug(db, slug);
    return link ? toRedirectTarget(link, link.campaignUtm, link.campaignStatus) : null;
  });
}
