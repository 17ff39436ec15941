/**
 * Per-isolate memory of verified API keys, so that a busy key (a shop posting
 * conversions) costs no D1 read per request. Only successful verifications are
 * remembered, by the SHA-256 of the whole key, for KEY_CACHE_TTL_MS. A key
 * revoked through this isolate is forgotten at once; other isolates stop
 * accepting it at the latest KEY_CACHE_TTL_MS after the revocation.
 */
import type { Scope } from '../domain/vocab';

export const KEY_CACHE_TTL_MS = 30_000;
const MAX_KEYS = 1_000;

export interface KeyGrant {
  id: string;
  scopes: readonly Scope[];
}

const verified = new Map<string, KeyGrant & { expiresAt: number }>();

/** The grant remembered for a key hash, unless it expired. */
export function recalledKey(keyHash: string, now: number): KeyGrant | null {
  const entry = verified.get(keyHash);
  if (!entry) return null;
  if (now < entry.expiresAt) return { id: entry.id, scopes: entry.scopes };
  verified.delete(keyHash);
  return null;
}

/** Remembers a key just verified against its stored row. */
export function rememberKey(keyHash: string, grant: KeyGrant, now: number): void {
  if (verified.size >= MAX_KEYS) verified.clear();
  verified.set(keyHash, { ...grant, expiresAt: now + KEY_CACHE_TTL_MS });
}

/** Forgets every remembered secret of key `id` (it was revoked). */
export function forgetKey(id: string): void {
  for (const [hash, entry] of verified) if (entry.id === id) verified.delete(hash);
}
