/** Sign-in (key → session cookie), sign-out, and the language switch. */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { hashSecret } from '../../env';
import { endSession } from '../../db/sessions';
import { authenticate } from '../../lib/auth';
import { toIso } from '../../lib/time';
import { hmacHex, timingSafeEqualStrings } from '../../lib/crypto';
import { randomString } from '../../lib/ids';
import { requireSession, safeBack, uiRouter, type UiEnv } from '../context';
import { LANG_COOKIE, LANGUAGES } from '../i18n';
import { SignInPage } from '../pages/signin';
import { SESSION_COOKIE, SESSION_TTL_MS, signSession } from '../session';

/** Before a session exists, the sign-in form is bound to a random cookie (against login CSRF). */
const NONCE_COOKIE = 'tp_signin';
const NONCE_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const secure = (c: Context<UiEnv>) => new URL(c.req.url).protocol === 'https:';
const signinToken = (c: Context<UiEnv>, nonce: string) => hmacHex(hashSecret(c.env), `signin:${nonce}`);

async function signInForm(c: Context<UiEnv>, status: 200 | 401 | 403, next: string, error?: string, notice?: string) {
  let nonce = getCookie(c, NONCE_COOKIE);
  if (!nonce || nonce.length !== 32) {
    nonce = randomString(32, NONCE_ALPHABET);
    setCookie(c, NONCE_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/signin' });
  }
  const token = await signinToken(c, nonce);
  return c.html(<SignInPage lang={c.var.lang} t={c.var.t} token={token} next={next} error={error} notice={notice} />, status);
}

export const authPages = uiRouter();

authPages.get('/signin', (c) => signInForm(c, 200, safeBack(c.req.query('next')), undefined, c.req.query('out') ? c.var.t.sessionEnded : undefined));

authPages.post('/signin', async (c) => {
  const form = await c.req.parseBody();
  const next = safeBack(typeof form.next === 'string' ? form.next : undefined);
  const nonce = getCookie(c, NONCE_COOKIE);
  const token = typeof form._csrf === 'string' ? form._csrf : '';
  if (!nonce || !timingSafeEqualStrings(token, await signinToken(c, nonce))) return c.text(c.var.t.csrf, 403);
  const key = typeof form.key === 'string' ? form.key.trim() : '';
  const now = c.var.now();
  const granted = key ? await authenticate(c.var.db, c.env.ADMIN_TOKEN, key, now) : null;
  if (!granted) return signInForm(c, 401, next, c.var.t.badKey);
  const cookie = await signSession(c.env, { id: randomString(24, NONCE_ALPHABET), keyId: granted.id, scopes: granted.scopes, expiresAt: now + SESSION_TTL_MS });
  setCookie(c, SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge: SESSION_TTL_MS / 1000 });
  deleteCookie(c, NONCE_COOKIE, { path: '/signin' });
  return c.redirect(next, 303);
});

authPages.post('/signout', requireSession(), async (c) => {
  // The cookie is deleted, and a copy of it kept anywhere stops working too.
  await endSession(c.var.db, c.var.session.id, toIso(c.var.session.expiresAt));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
  return c.redirect('/signin?out=1', 303);
});

authPages.get('/settings/language/:lang', (c) => {
  const lang = c.req.param('lang');
  if ((LANGUAGES as readonly string[]).includes(lang)) {
    setCookie(c, LANG_COOKIE, lang, { sameSite: 'Lax', secure: secure(c), path: '/', maxAge: 365 * 86_400 });
  }
  return c.redirect(safeBack(c.req.query('back')), 303);
});
