/**
 * API key authentication. Keys look like `tp_<key id body>_<secret>`: the id
 * finds the row, the SHA-256 of the whole key is compared in constant time.
 * The ADMIN_TOKEN secret is a key with every scope. A verified key is
 * remembered by the isolate for a short while (see key-cache.ts).
 */
import type { Context } from 'hono';
import { secondsText } from './plural';
import { createMiddleware } from 'hono/factory';
import { findApiKeyById, revokeApiKey, touchApiKey } from '../db/api-keys';
import type { Scope } from '../domain/vocab';
import type { AppEnv } from '../env';
import { anyClientBlocked, countFailedAttempt, rememberedBlock } from '../services/auth-throttle';
import { clientHash } from './client';
import { sha256Hex, timingSafeEqualStrings } from './crypto';
import { ApiError } from './errors';
import { forgetKey, recalledKey, rememberKey, type KeyGrant } from './key-cache';
import { ID_PREFIXES, randomString } from './ids';

const KEY_PATTERN = /^tp_([0-9A-Z]{26})_([0-9A-Za-z]{32})$/;
const SECRET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new secret key for the key row `keyId` (`key_<body>`). */
export function mintKeySecret(keyId: string): string {
  return `tp_${keyId.slice(ID_PREFIXES.apiKey.length + 1)}_${randomString(32, SECRET_ALPHABET)}`;
}

const bearer = (header: string | undefined): string | null => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
};

/** Authenticates the request and refuses it unless the key has `admin` or one of `scopes`. */
export function requireScope(...scopes: Scope[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearer(c.req.header('Authorization'));
    const session = c.get('sessionScopes');
    if (!token && !session) throw new ApiError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    const granted = token ? await checkBearer(c, token) : { id: c.var.keyId, scopes: session! };
    if (!grants(granted.scopes, ...scopes)) {
      throw new ApiError('forbidden', `This route needs a key with scope ${scopes.map((s) => `"${s}"`).join(' or ')}`);
    }
    c.set('scopes', granted.scopes);
    c.set('keyId', granted.id);
    await next();
  });
}

/**
 * A bearer key's grant, throttled per client (services/auth-throttle.ts): a
 * client this isolate knows to be blocked is refused before its key is
 * checked; a failed check is counted in D1 and answers 401, or 429 once the
 * client is over API_KEY_MAX_FAILURES. A valid key pays nothing for this.
 */
async function checkBearer(c: Context<AppEnv>, token: string): Promise<KeyGrant> {
  const now = c.var.now();
  if (anyClientBlocked()) {
    const retry = rememberedBlock('api_key', await clientHash(c.env, c.req.raw.headers), now);
    if (retry !== null) throw keyChecksPaused(retry);
  }
  const granted = await authenticate(c.var.db, c.env.ADMIN_TOKEN, token, now);
  if (granted) return granted;
  const client = await clientHash(c.env, c.req.raw.headers);
  const attempt = await countFailedAttempt(c.var.db, c.env, 'api_key', client, now, (work) => c.executionCtx.waitUntil(work));
  if (attempt.retryAfterSeconds !== null) throw keyChecksPaused(attempt.retryAfterSeconds);
  throw new ApiError('unauthorized', 'The API key is invalid or revoked');
}

const keyChecksPaused = (seconds: number) =>
  new ApiError('rate_limited', `Too many failed API key checks from this network; try again in ${secondsText(seconds)}`, { 'Retry-After': String(seconds) });

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
): Promise<KeyGrant | null> {
  const tokenHash = await sha256Hex(token);
  if (adminToken && timingSafeEqualStrings(tokenHash, await adminTokenHash(adminToken))) {
    return { id: 'admin', scopes: ['admin'] };
  }
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  const recalled = recalledKey(tokenHash, now);
  if (recalled) return recalled;
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

/** Whether `scopes` (of a key or a session) grant one of `needed`; admin grants all. */
export const grants = (scopes: readonly Scope[], ...needed: Scope[]): boolean =>
  scopes.includes('admin') || needed.some((scope) => scopes.includes(scope));
