/**
 * Per-isolate cache of redirect targets by slug, so a hot link costs no D1
 * read. Entries live for a short TTL; writes to a link or its campaign evict
 * them at once in this isolate (other isolates see the change within the TTL).
 */
import type { RedirectTarget } from '../domain/redirect';

const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T | null;
  expiresAt: number;
}

export class SlugCache<T extends { campaignId: string }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loading = new Map<string, Promise<T | null>>();

  /** The cached target of `slug`, or what `load` finds (null: unknown slug, cached too). */
  async get(slug: string, now: number, ttlMs: number, load: () => Promise<T | null>): Promise<T | null> {
    const hit = this.entries.get(slug);
    if (hit && hit.expiresAt > now) return hit.value;
    let pending = this.loading.get(slug);
    if (!pending) {
      pending = load().finally(() => this.loading.delete(slug));
      this.loading.set(slug, pending);
    }
    const value = await pending;
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
