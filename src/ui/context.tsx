/** The dashboard's request context: session, CSRF token, language and security headers. */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Scope } from '../domain/vocab';
import type { Bindings, Variables } from '../env';
import { grants } from '../domain/scopes';
import { sessionStands } from '../db/sessions';
import { ApiError } from '../lib/errors';
import { safeLocalPath } from '../lib/safe-path';
import { NoticePage } from './layout';
import { formatters, LANG_COOKIE, pickLang, TEXTS, type Formatters, type Lang, type Texts } from './i18n';
import { checkCsrf, csrfToken, SESSION_COOKIE, verifySession, type Session } from './session';

export interface UiVariables extends Variables {
  session: Session;
  csrf: string;
  lang: Lang;
  t: Texts;
  fmt: Formatters;
}
export interface UiEnv {
  Bindings: Bindings;
  Variables: UiVariables;
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * Language, texts and security headers of a dashboard response: the CSP and
 * no-store on pages. Registered on the dashboard's own paths only (ui/index.ts),
 * never on '*': a sub-router's '*' middleware becomes the parent's '/*' and
 * would run on every short-URL redirect too, sending Referrer-Policy to the
 * shop's landing page and spending the hot path on Intl formatters.
 */
export const pageContext = createMiddleware<UiEnv>(async (c, next) => {
  const lang = pickLang(getCookie(c, LANG_COOKIE), c.req.header('Accept-Language'));
  c.set('lang', lang);
  c.set('t', TEXTS[lang]);
  c.set('fmt', formatters(lang));
  await next();
  const contentType = c.res.headers.get('Content-Type') ?? '';
  if (contentType.startsWith('text/html')) {
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', CSP);
    c.res.headers.set('Cache-Control', 'no-store');
  }
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'same-origin');
  c.res.headers.set('X-Frame-Options', 'DENY');
});

/** A router for dashboard pages: errors become notice pages (the context comes from `pageContext`). */
export function uiRouter(): Hono<UiEnv> {
  const router = new Hono<UiEnv>();
  router.onError((error, c) => {
    if (error instanceof ApiError && error.status < 500) {
      return c.html(<NoticePage lang={c.var.lang} t={c.var.t} title={error.code} text={error.message} />, error.status);
    }
    console.error('dashboard error', error);
    return c.html(<NoticePage lang={c.var.lang} t={c.var.t} title="500" text="Something went wrong on our side" />, 500);
  });
  return router;
}

/** The request's live session and its cookie, else null (expired, signed out, key revoked). */
async function liveSession(c: Context<UiEnv>): Promise<{ session: Session; cookie: string } | null> {
  const cookie = getCookie(c, SESSION_COOKIE);
  const session = await verifySession(c.env, cookie, c.var.now());
  if (!session || !(await sessionStands(c.var.db, session.id, session.keyId))) return null;
  c.set('session', session);
  c.set('scopes', session.scopes);
  c.set('keyId', session.keyId);
  c.set('csrf', await csrfToken(c.env, cookie!));
  return { session, cookie: cookie! };
}

const toSignIn = (c: Context<UiEnv>) =>
  redirectLocal(c, `/signin${c.req.method === 'GET' ? `?next=${encodeURIComponent(safeLocalPath(c.req.path))}` : ''}`, 302);
const csrfRefused = (c: Context<UiEnv>) => c.html(<NoticePage lang={c.var.lang} t={c.var.t} title="403" text={c.var.t.csrf} />, 403);

/**
 * Requires a live session (else 302 to /signin) with one of `scopes` (else 403),
 * and on POST a form field `_csrf` matching the session (else 403).
 */
export function requireSession(...scopes: Scope[]) {
  return createMiddleware<UiEnv>(async (c, next) => {
    const live = await liveSession(c);
    if (!live) return toSignIn(c);
    if (c.req.method === 'GET') c.set('sessionScopes', live.session.scopes);
    if (c.req.method === 'POST') {
      const body = await readForm(c);
      if (!(await checkCsrf(c.env, live.cookie, body._csrf))) return csrfRefused(c);
    }
    if (scopes.length > 0 && !grants(live.session.scopes, ...scopes)) {
      return c.html(<NoticePage lang={c.var.lang} t={c.var.t} title="403" text={c.var.t.forbidden} />, 403);
    }
    await next();
  });
}

/**
 * For an API router mounted in the dashboard, posted to by the dashboard's own
 * script with a body that is no form (a CSV upload): a live session (else 302
 * to /signin) and the CSRF token in the `X-CSRF-Token` header (else 403; a
 * cross-site form cannot set a header). The API route's own guard then checks
 * the session's scopes, as it checks a key's.
 */
export const requireSessionFetch = createMiddleware<UiEnv>(async (c, next) => {
  const live = await liveSession(c);
  if (!live) return toSignIn(c);
  if (!(await checkCsrf(c.env, live.cookie, c.req.header('X-CSRF-Token')))) return csrfRefused(c);
  c.set('sessionScopes', live.session.scopes);
  await next();
});

/**
 * The body of a posted form. A body that cannot be parsed (malformed multipart,
 * a wrong boundary) is refused with 400 and the dashboard's notice page, never a
 * 500; a body of another content type reads as an empty form.
 */
export async function readForm(c: Context<UiEnv>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    throw new ApiError('validation_error', c.var.t.formUnreadable);
  }
}

/** A 303 (or `status`) to `path` when it is a same-origin path, else to `fallback`: the one way the dashboard redirects. */
export const redirectLocal = (c: Context<UiEnv>, path: string, status: 302 | 303 = 303, fallback = '/'): Response =>
  c.redirect(safeLocalPath(path, fallback), status);
