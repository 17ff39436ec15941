/** Sign-ins and bearer-key checks are throttled per client: IPv4 by address, IPv6 by /64; 429 with Retry-After. */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetRememberedBlocks } from '../../src/services/auth-throttle';
import { ADMIN, call, json, makeKey } from '../helpers';
import { csrfOf, newBrowser, visit } from '../support/dashboard';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const WRONG_KEY = 'tp_01J0000000000000000000000X_abcdefghijklmnopqrstuvwxyz012345';

beforeEach(() => forgetRememberedBlocks());

/** Signs in through the form as client `ip` at `at`. */
async function signInFrom(ip: string, key: string, at: number, settings: Record<string, string> = {}) {
  const browser = newBrowser();
  const options = { headers: { 'CF-Connecting-IP': ip }, now: () => at, env: settings };
  const page = await visit(browser, 'GET', '/signin', undefined, options);
  return visit(browser, 'POST', '/signin', { _csrf: csrfOf(await page.text()), key, next: '/' }, options);
}

const failures = async (kind: string) => (await env.DB.prepare('SELECT COUNT(*) AS n FROM auth_failures WHERE kind = ?').bind(kind).first<{ n: number }>())!.n;

describe('sign-in throttle', () => {
  it('answers 429 with Retry-After after 10 failed sign-ins in 10 minutes, even to the right key, then recovers', async () => {
    const ip = '203.0.113.10';
    const before = await failures('signin');
    for (let i = 0; i < 10; i++) expect((await signInFrom(ip, 'tp_wrong', T0 + i * 1000)).status).toBe(401);
    const blocked = await signInFrom(ip, ADMIN, T0 + 60_000);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('Retry-After')).toBe('540');
    expect(blocked.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(await blocked.text()).toContain('Too many failed sign-ins from your network. Please wait 9 min and try again.');
    expect(blocked.headers.getSetCookie().some((line) => line.startsWith('tp_session='))).toBe(false);
    // Refused attempts are not counted: the ten failures are all there is.
    expect((await failures('signin')) - before).toBe(10);
    expect((await signInFrom('203.0.113.11', ADMIN, T0 + 60_000)).status).toBe(303);
    expect((await signInFrom(ip, ADMIN, T0 + 599_999)).status).toBe(429);
    expect((await signInFrom(ip, ADMIN, T0 + 600_001)).status).toBe(303);
  });

  it('holds across isolates: the count is in D1', async () => {
    const ip = '203.0.113.12';
    const settings = { SIGNIN_MAX_FAILURES: '2', SIGNIN_WINDOW_SECONDS: '60' };
    for (let i = 0; i < 2; i++) expect((await signInFrom(ip, 'tp_wrong', T0 + i, settings)).status).toBe(401);
    forgetRememberedBlocks();
    const blocked = await signInFrom(ip, ADMIN, T0 + 10_000, settings);
    expect([blocked.status, blocked.headers.get('Retry-After')]).toEqual([429, '50']);
  });

  it('does not count successful sign-ins', async () => {
    for (let i = 0; i < 12; i++) expect((await signInFrom('203.0.113.13', ADMIN, T0 + i)).status).toBe(303);
  });

  it('counts IPv6 clients by /64', async () => {
    const settings = { SIGNIN_MAX_FAILURES: '2' };
    expect((await signInFrom('2001:db8:5:6::1', 'tp_wrong', T0, settings)).status).toBe(401);
    expect((await signInFrom('2001:db8:5:6::2', 'tp_wrong', T0, settings)).status).toBe(401);
    expect((await signInFrom('2001:db8:5:6:ffff::3', ADMIN, T0, settings)).status).toBe(429);
    expect((await signInFrom('2001:db8:5:7::1', ADMIN, T0, settings)).status).toBe(303);
  });

  it('answers in German when the browser asks for it', async () => {
    const settings = { SIGNIN_MAX_FAILURES: '1' };
    const browser = newBrowser();
    const options = { headers: { 'CF-Connecting-IP': '203.0.113.14', 'Accept-Language': 'de' }, now: () => T0, env: settings };
    for (const key of ['tp_wrong', ADMIN]) {
      const page = await visit(browser, 'GET', '/signin', undefined, options);
      const response = await visit(browser, 'POST', '/signin', { _csrf: csrfOf(await page.text()), key }, options);
      if (key === ADMIN) {
        expect(response.status).toBe(429);
        expect(await response.text()).toContain('Zu viele fehlgeschlagene Anmeldungen aus Ihrem Netz. Bitte warten Sie 10 Min.');
      }
    }
  });

  it('shares one budget among all clients where CF-Connecting-IP is not trusted (wrangler dev)', async () => {
    const settings = { SIGNIN_MAX_FAILURES: '2', TRUST_CLIENT_IP_HEADER: 'false' };
    expect((await signInFrom('198.51.100.1', 'tp_wrong', T0, settings)).status).toBe(401);
    expect((await signInFrom('198.51.100.2', 'tp_wrong', T0, settings)).status).toBe(401);
    expect((await signInFrom('198.51.100.3', ADMIN, T0, settings)).status).toBe(429);
  });
});

describe('bearer-key throttle', () => {
  const get = (ip: string, key: string | null, at = T0, settings: Record<string, string> = {}) =>
    call('GET', '/api/v1/campaigns', { key, headers: { 'CF-Connecting-IP': ip }, now: () => at, env: settings });

  it('keeps serving the key it verified moments ago to a blocked network (a shop beside an attacker)', async () => {
    const ip = '2001:db8:bb:1::1';
    const shop = await makeKey(['reports:read']);
    expect((await get(ip, shop, T0)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await get(ip, WRONG_KEY, T0 + 1000 + i * 100)).status).toBe(401);
    expect((await get(ip, WRONG_KEY, T0 + 5_000)).status).toBe(429);
    expect((await get(ip, shop, T0 + 6_000)).status).toBe(200);
  });

  it('answers 429 rate_limited with Retry-After after 20 failed checks in 10 minutes', async () => {
    const ip = '2001:db8:aa:1::1';
    const before = await failures('api_key');
    for (let i = 0; i < 20; i++) expect((await get(ip, WRONG_KEY, T0 + i * 1000)).status).toBe(401);
    const blocked = await get('2001:db8:aa:1::2', 'tp_garbage', T0 + 30_000);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('Retry-After')).toBe('570');
    expect(await json(blocked)).toEqual({
      error: { code: 'rate_limited', message: 'Too many failed API key checks from this network; try again in 570 seconds' },
    });
    expect((await failures('api_key')) - before).toBe(20);
    // The isolate now refuses the client before checking any new key, even a valid one it has not verified lately …
    const unverified = await makeKey(['reports:read']);
    const remembered = await get(ip, unverified, T0 + 40_000);
    expect([remembered.status, remembered.headers.get('Retry-After')]).toEqual([429, '560']);
    // … while a key it knows (the admin token, or a shop's busy key verified here moments ago) keeps working on a shared network.
    expect((await get(ip, ADMIN, T0 + 40_000)).status).toBe(200);
    expect((await get('2001:db8:aa:2::1', ADMIN, T0 + 40_000)).status).toBe(200);
    expect((await get(ip, WRONG_KEY, T0 + 620_000)).status).toBe(401);
  });

  it('holds across isolates: a wrong key from a blocked client gets 429 from the D1 count', async () => {
    const ip = '203.0.113.20';
    const settings = { API_KEY_MAX_FAILURES: '3', API_KEY_WINDOW_SECONDS: '100' };
    for (let i = 0; i < 3; i++) expect((await get(ip, WRONG_KEY, T0 + i, settings)).status).toBe(401);
    forgetRememberedBlocks();
    const blocked = await get(ip, WRONG_KEY, T0 + 10_000, settings);
    expect([blocked.status, blocked.headers.get('Retry-After')]).toEqual([429, '90']);
  });

  it('counts only failed checks: valid keys, cached or not, never add up', async () => {
    const ip = '203.0.113.21';
    const key = await makeKey(['reports:read']);
    const before = await failures('api_key');
    const settings = { API_KEY_MAX_FAILURES: '2' };
    for (let i = 0; i < 25; i++) expect((await get(ip, i % 2 ? ADMIN : key, T0 + i * 40_000, settings)).status).toBe(200);
    expect(await failures('api_key')).toBe(before);
  });

  it('does not count requests without a key (401, nothing to check)', async () => {
    const before = await failures('api_key');
    for (let i = 0; i < 3; i++) expect((await get('203.0.113.22', null, T0, { API_KEY_MAX_FAILURES: '1' })).status).toBe(401);
    expect(await failures('api_key')).toBe(before);
  });
});
