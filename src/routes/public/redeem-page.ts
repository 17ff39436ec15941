/** `GET /redeem` and `POST /redeem`: the hosted form for action codes, German or English, no JavaScript. */
import { Hono } from 'hono';
import { ApiError, ERROR_STATUS } from '../../lib/errors';
import type { AppEnv } from '../../env';
import { redeemPage } from '../../views/redeem-page';
import { pickLanguage } from '../../views/redeem-texts';
import { enterCodeFor } from '../codes';
import { unavailable } from './redirect';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Accept-Language',
};

export const redeemPageRouter = new Hono<AppEnv>();

redeemPageRouter.get('/redeem', (c) => {
  const language = pickLanguage(c.req.header('Accept-Language'));
  const code = (c.req.query('c') ?? '').slice(0, 64);
  return c.html(redeemPage(language, { state: 'form', code }), 200, { ...PAGE_HEADERS, 'Content-Language': language });
});

redeemPageRouter.post('/redeem', async (c) => {
  const language = pickLanguage(c.req.header('Accept-Language'));
  const headers = { ...PAGE_HEADERS, 'Content-Language': language };
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const code = typeof form.code === 'string' ? form.code.slice(0, 100) : '';
  if (code.trim() === '') return c.html(redeemPage(language, { state: 'form', code: '' }), 400, headers);
  const outcome = await enterCodeFor(c, code, null, 'page').catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'unavailable') return null;
    throw error;
  });
  if (!outcome) return unavailable(c);
  if (outcome.status === 'accepted') return c.html(redeemPage(language, { state: 'accepted', reward: outcome.reward }), 200, headers);
  if (outcome.retryAfterSeconds) c.header('Retry-After', String(outcome.retryAfterSeconds));
  const view = { state: 'refused' as const, code: code.slice(0, 64), reason: outcome.reason, retryAfterSeconds: outcome.retryAfterSeconds };
  return c.html(redeemPage(language, view), ERROR_STATUS[outcome.reason], headers);
});
