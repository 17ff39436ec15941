/**
 * API key authentication. Keys look like `tp_<key id body>_<secret>`: the id
 * finds the row, the SHA-256 of the whole key is compared in constant time.
 * The ADMIN_TOKEN secret is a key with every scope. A verified key is
 * remembered by the isolate for a short while (see key-cache.ts).
 */
import { findApiKeyById, revokeApiKey, touchApiKey } from '../db/api-keys';
import type { AppEnv } from '../env';
import { sha256Hex, timingSafeEqualStrings } from '../lib/crypto';
import { forgetKey, recalledKey, rememberKey, type KeyGrant } from './key-cache';
import { ID_PREFIXES, randomString } from '../lib/ids';

const KEY_PATTERN = /^tp_([0-9A-Z]{26})_([0-9A-Za-z]{32})$/;
const SECRET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new secret key for the key row `keyId` (`key_<body>`). */
export function mintKeySecret(keyId: string): string {
  return `tp_${keyId.slice(ID_PREFIXES.apiKey.length + 1)}_${randomString(32, SECRET_ALPHABET)}`;
}

/** SHA-256 of the ADMIN_TOKEN secret, computed once per isolate (the value, never a shared promise). */
const adminTokenHashes = new Map<string, string>();

async function adminTokenHash(adminToken: string): Promise<string> {
  let hash = adminTokenHashes.get(adminToken);
  if (hash === undefined) {
    hash = await sha256Hex(adminToken);
    if (adminTokenHashes.size >= 4) adminTokenHashes.clear();
    adminTokenHashes.set(adminToken, hash);
  }
  return hash;
}

/**
 * The key row behind `token` (or the admin token), or null when the token is
 * unknown or revoked. Its last use is recorded when it is verified against the
 * row, i.e. at most once per KEY_CACHE_TTL_MS per isolate (touchApiKey keeps a minute's precision).
 */
export async function authenticate(
  db: AppEnv['Variables']['db'],
  adminToken: string,
  token: string,
  now: number,
  options: { knownOnly?: boolean } = {},
): Promise<KeyGrant | null> {
  const tokenHash = await sha256Hex(token);
  if (adminToken && timingSafeEqualStrings(tokenHash, await adminTokenHash(adminToken))) {
    return { id: 'admin', scopes: ['admin'] };
  }
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  const recalled = recalledKey(tokenHash, now);
  if (recalled) return recalled;
  // A throttled client is served only with a key this isolate has just verified (or the admin token): no new key is checked for it.
  if (options.knownOnly) return null;
  const row = await findApiKeyById(db, `${ID_PREFIXES.apiKey}_${match[1]}`);
  if (!row || row.revokedAt || !timingSafeEqualStrings(tokenHash, row.keyHash)) return null;
  await touchApiKey(db, row.id, now);
  const grant = { id: row.id, scopes: row.scopes };
  rememberKey(tokenHash, grant, now);
  return grant;
}

/** Revokes key `id` (false when there is no such live key); this isolate stops accepting it at once. */
export async function revokeKey(db: AppEnv['Variables']['db'], id: string, now: number): Promise<boolean> {
  const revoked = await revokeApiKey(db, id, now);
  forgetKey(id);
  return revoked;
}
