/** Sign-in (key → session cookie), sign-out, and the language switch. */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { hashSecret } from '../../env';
import { endSession } from '../../db/sessions';
import { authenticate } from '../../services/auth';
import { toIso } from '../../lib/time';
import { hmacHex, timingSafeEqualStrings } from '../../lib/crypto';
import { randomString } from '../../lib/ids';
import { clientHash } from '../../services/client-hash';
import { safeLocalPath } from '../../lib/safe-path';
import { countFailedAttempt, minutesOf, rememberedBlock, withdrawAttempt } from '../../services/auth-throttle';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { NoticePage } from '../layout';
import { LANG_COOKIE, LANGUAGES } from '../i18n';
import { SignInPage } from '../pages/signin';
import { SESSION_COOKIE, SESSION_TTL_MS, signSession } from '../session';

/** Before a session exists, the sign-in form is bound to a random cookie (against login CSRF). */
const NONCE_COOKIE = 'tp_signin';
const NONCE_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const secure = (c: Context<UiEnv>) => new URL(c.req.url).protocol === 'https:';
const signinToken = (c: Context<UiEnv>, nonce: string) => hmacHex(hashSecret(c.env), `signin:${nonce}`);

async function signInForm(c: Context<UiEnv>, status: 200 | 401 | 429, next: string, error?: string, notice?: string) {
  let nonce = getCookie(c, NONCE_COOKIE);
  if (nonce?.length !== 32) {
    nonce = randomString(32, NONCE_ALPHABET);
    setCookie(c, NONCE_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/signin' });
  }
  const token = await signinToken(c, nonce);
  return c.html(<SignInPage lang={c.var.lang} t={c.var.t} token={token} next={next} error={error} notice={notice} />, status);
}

export const authPages = uiRouter();

authPages.get('/signin', (c) => signInForm(c, 200, safeLocalPath(c.req.query('next')), undefined, c.req.query('out') ? c.var.t.sessionEnded : undefined));

/** The sign-in form again with 429, Retry-After and when to try again. */
function signInPaused(c: Context<UiEnv>, next: string, seconds: number) {
  c.header('Retry-After', String(seconds));
  return signInForm(c, 429, next, c.var.t.signInPaused.replace('{minutes}', String(minutesOf(seconds))));
}

/**
 * Signing in is throttled per client (SIGNIN_MAX_FAILURES): each attempt is
 * counted as a failure before the key is checked (so a burst of parallel
 * guesses cannot slip past the count) and taken back when the key is good.
 */
authPages.post('/signin', async (c) => {
  const form = await readForm(c);
  const next = safeLocalPath(form.next);
  const nonce = getCookie(c, NONCE_COOKIE);
  const token = typeof form._csrf === 'string' ? form._csrf : '';
  if (!nonce || !timingSafeEqualStrings(token, await signinToken(c, nonce))) {
    return c.html(<NoticePage lang={c.var.lang} t={c.var.t} title="403" text={c.var.t.csrf} />, 403);
  }
  const key = typeof form.key === 'string' ? form.key.trim() : '';
  const now = c.var.now();
  const client = await clientHash(c.env, c.req.raw.headers);
  const remembered = rememberedBlock('signin', client, now);
  if (remembered !== null) return signInPaused(c, next, remembered);
  const attempt = await countFailedAttempt(c.var.db, c.env, 'signin', client, now, (work) => c.executionCtx.waitUntil(work));
  if (attempt.retryAfterSeconds !== null) return signInPaused(c, next, attempt.retryAfterSeconds);
  const granted = key ? await authenticate(c.var.db, c.env.ADMIN_TOKEN, key, now) : null;
  if (!granted) return signInForm(c, 401, next, c.var.t.badKey);
  await withdrawAttempt(c.var.db, attempt);
  const cookie = await signSession(c.env, { id: randomString(24, NONCE_ALPHABET), keyId: granted.id, scopes: granted.scopes, expiresAt: now + SESSION_TTL_MS });
  setCookie(c, SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge: SESSION_TTL_MS / 1000 });
  deleteCookie(c, NONCE_COOKIE, { path: '/signin' });
  return redirectLocal(c, next);
});

authPages.post('/signout', requireSession(), async (c) => {
  // The cookie is deleted, and a copy of it kept anywhere stops working too.
  await endSession(c.var.db, c.var.session.id, toIso(c.var.session.expiresAt));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
  return redirectLocal(c, '/signin?out=1');
});

authPages.get('/settings/language/:lang', (c) => {
  const lang = c.req.param('lang');
  if ((LANGUAGES as readonly string[]).includes(lang)) {
    setCookie(c, LANG_COOKIE, lang, { sameSite: 'Lax', secure: secure(c), path: '/', maxAge: 365 * 86_400 });
  }
  return redirectLocal(c, c.req.query('back') ?? '/');
});
