/**
 * Dashboard sessions: the API key is exchanged for a signed cookie holding
 * the key id, its scopes and an expiry (12 h). The cookie is HMAC-signed with
 * the hash secret (and the admin token, so rotating it ends every session);
 * each request re-checks that the key was not revoked and the session not
 * signed out since (by its random id). The CSRF token of a form is an HMAC of
 * the session cookie, so it changes with every sign-in.
 */
import { SCOPES, type Scope } from '../domain/vocab';
import { hashSecret, type Bindings } from '../env';
import { hmacHex, timingSafeEqualStrings } from '../lib/crypto';

export const SESSION_COOKIE = 'tp_session';
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface Session {
  /** Random id, remembered when the session is signed out. */
  id: string;
  keyId: string;
  scopes: readonly Scope[];
  /** Epoch milliseconds after which the cookie is refused. */
  expiresAt: number;
}

const signingSecret = (env: Bindings) => `${hashSecret(env)}\u0000session\u0000${env.ADMIN_TOKEN}`;

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64Url = (text: string) => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
};

/** The cookie value of a new session. */
export async function signSession(env: Bindings, session: Session): Promise<string> {
  const payload = toBase64Url(JSON.stringify({ i: session.id, k: session.keyId, s: session.scopes, e: session.expiresAt }));
  return `${payload}.${await hmacHex(signingSecret(env), `session:${payload}`)}`;
}

/** The session of a cookie value, or null when it is forged, malformed or expired at `now`. */
export async function verifySession(env: Bindings, value: string | undefined, now: number): Promise<Session | null> {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  const expected = await hmacHex(signingSecret(env), `session:${payload}`);
  if (!timingSafeEqualStrings(value.slice(dot + 1), expected)) return null;
  try {
    const data = JSON.parse(fromBase64Url(payload)) as { i?: unknown; k?: unknown; s?: unknown; e?: unknown };
    if (typeof data.i !== 'string' || typeof data.k !== 'string' || typeof data.e !== 'number' || !Array.isArray(data.s)) return null;
    const scopes = data.s.filter((scope): scope is Scope => (SCOPES as readonly unknown[]).includes(scope));
    if (data.e <= now) return null;
    return { id: data.i, keyId: data.k, scopes, expiresAt: data.e };
  } catch {
    return null;
  }
}

/** The CSRF token every form of this session carries. */
export const csrfToken = (env: Bindings, cookieValue: string): Promise<string> => hmacHex(signingSecret(env), `csrf:${cookieValue}`);

/** Whether `token` is the CSRF token of the session cookie `cookieValue`. */
export async function checkCsrf(env: Bindings, cookieValue: string, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || token === '') return false;
  return timingSafeEqualStrings(token, await csrfToken(env, cookieValue));
}
