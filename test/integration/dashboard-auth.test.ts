import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { deleteExpiredEndedSessions } from '../../src/db/sessions';
import type { Bindings } from '../../src/env';
import { CSP } from '../../src/ui/context';
import { signSession, verifySession, SESSION_TTL_MS } from '../../src/ui/session';
import { ADMIN, call, makeKey } from '../helpers';
import { csrfOf, newBrowser, signIn, visit } from '../support/dashboard';

const bindings = env as unknown as Bindings;

describe('dashboard sessions', () => {
  it('redirects a page request without a session to /signin', async () => {
    const response = await visit(newBrowser(), 'GET', '/');
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/signin?next=%2F');
  });

  it('exchanges the admin key for a signed HttpOnly SameSite=Strict cookie', async () => {
    const browser = newBrowser();
    const response = await signIn(browser, ADMIN);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('tp_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Max-Age=43200/);
    const page = await visit(browser, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toBe(CSP);
    expect(await page.text()).toContain('<h1>Overview</h1>');
  });

  it('refuses an unknown key with 401 and no session', async () => {
    const browser = newBrowser();
    const response = await signIn(browser, 'tp_nope');
    expect(response.status).toBe(401);
    expect(browser.cookies.has('tp_session')).toBe(false);
  });

  it('refuses a sign-in form without its token', async () => {
    const response = await visit(newBrowser(), 'POST', '/signin', { key: ADMIN });
    expect(response.status).toBe(403);
  });

  it('signs, verifies and expires sessions after 12 hours', async () => {
    const now = Date.parse('2026-05-01T10:00:00Z');
    const value = await signSession(bindings, { id: 'sess-1', keyId: 'admin', scopes: ['admin'], expiresAt: now + SESSION_TTL_MS });
    expect(await verifySession(bindings, value, now)).toEqual({ id: 'sess-1', keyId: 'admin', scopes: ['admin'], expiresAt: now + SESSION_TTL_MS });
    expect(await verifySession(bindings, value, now + SESSION_TTL_MS - 1)).not.toBeNull();
    expect(await verifySession(bindings, value, now + SESSION_TTL_MS)).toBeNull();
    const [payload, mac] = value.split('.');
    const forged = btoa(JSON.stringify({ i: 'sess-1', k: 'admin', s: ['admin'], e: now + 10 * SESSION_TTL_MS })).replace(/=+$/, '');
    expect(await verifySession(bindings, `${forged}.${mac}`, now)).toBeNull();
    expect(await verifySession(bindings, `${payload}.${mac.replace(/^./, mac[0] === 'a' ? 'b' : 'a')}`, now)).toBeNull();
  });

  it('sends an expired session to /signin', async () => {
    const browser = newBrowser();
    const start = Date.parse('2026-05-01T10:00:00Z');
    await signIn(browser, ADMIN, { now: () => start });
    expect((await visit(browser, 'GET', '/', undefined, { now: () => start + SESSION_TTL_MS - 1000 })).status).toBe(200);
    expect((await visit(browser, 'GET', '/', undefined, { now: () => start + SESSION_TTL_MS })).status).toBe(302);
  });

  it('ends the session of a key revoked after sign-in', async () => {
    const key = await makeKey(['reports:read']);
    const browser = newBrowser();
    await signIn(browser, key);
    expect((await visit(browser, 'GET', '/')).status).toBe(200);
    const keyId = `key_${key.split('_')[1]}`;
    expect((await call('DELETE', `/api/v1/keys/${keyId}`)).status).toBe(204);
    expect((await visit(browser, 'GET', '/')).status).toBe(302);
  });

  it('refuses a form posted without or with a wrong CSRF token (403)', async () => {
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    expect((await visit(browser, 'POST', '/campaigns', { name: 'No token' })).status).toBe(403);
    expect((await visit(browser, 'POST', '/campaigns', { name: 'Bad token', _csrf: 'f'.repeat(64) })).status).toBe(403);
    const csrf = csrfOf(await (await visit(browser, 'GET', '/')).text());
    const created = await visit(browser, 'POST', '/campaigns', { name: 'With token', _csrf: csrf });
    expect(created.status).toBe(303);
    expect(created.headers.get('Location')).toMatch(/^\/campaigns\/cmp_/);
  });

  it('follows the key scopes: a reports:read key sees no create form and may not post', async () => {
    const browser = newBrowser();
    await signIn(browser, await makeKey(['reports:read']));
    const page = await (await visit(browser, 'GET', '/')).text();
    expect(page).not.toContain('action="/campaigns"');
    expect((await visit(browser, 'POST', '/campaigns', { name: 'X', _csrf: csrfOf(page) })).status).toBe(403);
  });

  it('refuses a conversions:write key on the campaign pages', async () => {
    const browser = newBrowser();
    await signIn(browser, await makeKey(['conversions:write']));
    expect((await visit(browser, 'GET', '/')).status).toBe(403);
  });

  it('signs out (POST with CSRF) and then redirects pages to /signin', async () => {
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const csrf = csrfOf(await (await visit(browser, 'GET', '/')).text());
    expect((await visit(browser, 'POST', '/signout', {})).status).toBe(403);
    const kept = new Map(browser.cookies);
    const out = await visit(browser, 'POST', '/signout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(browser.cookies.has('tp_session')).toBe(false);
    expect((await visit(browser, 'GET', '/')).status).toBe(302);
    // A copy of the cookie kept from before the sign-out no longer opens anything.
    const copy = { ...browser, cookies: kept };
    expect((await visit(copy, 'GET', '/')).status).toBe(302);
    expect((await visit(copy, 'POST', '/campaigns', { _csrf: csrf, name: 'After sign-out' })).status).toBe(302);
    // A new sign-in is a new session.
    await signIn(browser, ADMIN);
    expect((await visit(browser, 'GET', '/')).status).toBe(200);
  });

  it('forgets signed-out sessions once their cookies would have expired', async () => {
    await env.DB.prepare("INSERT INTO ended_sessions (id, expires_at) VALUES ('old', '2026-01-01T00:00:00.000Z'), ('live', '2999-01-01T00:00:00.000Z')").run();
    expect(await deleteExpiredEndedSessions(createDb(env.DB), '2026-06-01T00:00:00.000Z')).toBe(1);
    expect((await env.DB.prepare("SELECT id FROM ended_sessions WHERE id IN ('old', 'live')").all()).results).toEqual([{ id: 'live' }]);
  });
});
