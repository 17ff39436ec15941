/**
 * Visitor identity: a first-party cookie with a random id, or, when the
 * request asks not to be tracked (DNT, Sec-GPC) or cookieless mode is on,
 * a hash of a daily-rotating salt, IP and user agent. No IP is stored.
 */
import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { hashSecret } from '../env';
import { hmacHex } from './crypto';
import { newId } from './ids';

export const VISITOR_COOKIE = 'tp_vid';
const VISITOR_PATTERN = /^v_[0-9A-Z]{26}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export type VisitorKind = 'cookie' | 'hash';

export interface VisitorDecision {
  /** The cookie's visitor id, or null when the visitor is to be hashed. */
  id: string | null;
  /** Set-Cookie value to send, when a new id was minted. */
  setCookie: string | null;
}

/** Whether the request opts out of tracking cookies. */
export const optsOut = (headers: Headers, cookieless: boolean): boolean => cookieless || headers.get('DNT') === '1' || headers.get('Sec-GPC') === '1';

/** Reads or mints the visitor cookie on the hot path (no I/O). */
export function decideVisitor(c: Context<AppEnv>, now: number): VisitorDecision {
  if (optsOut(c.req.raw.headers, c.env.COOKIELESS === 'true')) return { id: null, setCookie: null };
  const existing = getCookie(c, VISITOR_COOKIE);
  if (existing && VISITOR_PATTERN.test(existing)) return { id: existing, setCookie: null };
  const id = newId('visitor', now);
  const secure = c.req.url.startsWith('https:') ? '; Secure' : '';
  return { id, setCookie: `${VISITOR_COOKIE}=${id}; Max-Age=${ONE_YEAR_SECONDS}; Path=/; HttpOnly; SameSite=Lax${secure}` };
}

/** The stand-in id of a cookieless visitor: stable for one UTC day, unlinkable across days. */
export async function hashedVisitorId(secret: string, ip: string, userAgent: string, now: number): Promise<string> {
  const day = new Date(now).toISOString().slice(0, 10);
  const salt = await hmacHex(secret, `visitor-salt:${day}`);
  return `h_${(await hmacHex(salt, `${ip}|${userAgent}`)).slice(0, 32)}`;
}

export { hashSecret };
