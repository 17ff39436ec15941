/**
 * What a route needs of a key, said once: the OpenAPI security requirement
 * (with the scopes, so the document tells a client which key to use, and the
 * auth tests derive their matrix from it) and the middleware that enforces it.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { grants } from '../domain/scopes';
import type { Scope } from '../domain/vocab';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/errors';
import { secondsText } from '../lib/plural';
import { authenticate } from '../services/auth';
import { anyClientBlocked, countFailedAttempt, rememberedBlock } from '../services/auth-throttle';
import { clientHash } from '../services/client-hash';
import type { KeyGrant } from '../services/key-cache';

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
    if (retry !== null) {
      // Blocked: the shop's busy key (verified here moments ago) keeps working on a network an attacker shares; nothing new is checked.
      const known = await authenticate(c.var.db, c.env.ADMIN_TOKEN, token, now, { knownOnly: true });
      if (known) return known;
      throw keyChecksPaused(retry);
    }
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

/** Spread into createRoute: a bearer key with one of `scopes` (admin grants all). */
export const guarded = (...scopes: Scope[]) => ({ security: [{ bearer: [...scopes] }], middleware: requireScope(...scopes) });
