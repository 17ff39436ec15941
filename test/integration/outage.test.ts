/**
 * D1 failing under the redirect (fault injection over the real local D1): a
 * customer gets a friendly 503 with Retry-After, never a 500; a cached link
 * keeps redirecting; a visit is acknowledged only when its touch can be kept.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Bindings } from '../../src/env';
import { d1Paused, noteD1Success } from '../../src/lib/d1-health';
import { refuseTouchesFor } from '../../src/services/touch-recorder';
import { formatCode } from '../../src/domain/codes';
import { BASE, call, json, makeLink, MOBILE_SAFARI } from '../helpers';
import { mintCodes } from '../support/codes';

/** The real D1, except that every read of a link fails as a locked database does. */
function failingReads(d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, property, receiver) {
      // A session (replicaOf) of this binding is the binding itself: its reads stay under this test's control.
      if (property === 'withSession') return () => receiver;
      if (property !== 'prepare') return Reflect.get(target, property);
      return (query: string) => {
        if (/^\s*select[\s\S]*\bfrom\s+"?links"?/i.test(query)) throw new Error('D1_ERROR: database is locked: SQLITE_BUSY');
        return target.prepare(query);
      };
    },
  });
}

const touchCount = async (linkId: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM touches WHERE link_id = ?').bind(linkId).first<{ n: number }>())!.n;

const visit = (slug: string, options: { env?: Partial<Bindings>; now?: () => number; language?: string } = {}) =>
  call('GET', `/${slug}`, {
    key: null,
    headers: { 'User-Agent': MOBILE_SAFARI, 'Accept-Language': options.language ?? 'en' },
    env: options.env,
    now: options.now,
  });

describe('redirect while D1 fails', () => {
  it('answers an uncached link with the 503 page and Retry-After, in the visitor’s language', async () => {
    await makeLink({ slug: 'outage-uncached' });
    const response = await visit('outage-uncached', { env: { DB: failingReads(env.DB) }, language: 'de-DE,de;q=0.9' });
    // The failure pauses uncached reads of this isolate for 2 s: the next one answers 503 without asking D1 …
    expect(d1Paused()).toBe(true);
    expect((await visit('outage-uncached')).status).toBe(503);
    // … until D1 takes a write again.
    noteD1Success();
    expect((await visit('outage-uncached')).status).toBe(302);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('10');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Bitte versuchen Sie es gleich noch einmal');
  });

  it('serves an expired cached link (stale if error) and still records its touch', async () => {
    const link = await makeLink({ slug: 'outage-stale' });
    const t0 = Date.parse('2026-05-01T10:00:00Z');
    expect((await visit('outage-stale', { now: () => t0 })).status).toBe(302);
    const later = await visit('outage-stale', { env: { DB: failingReads(env.DB) }, now: () => t0 + 120_000 });
    expect(later.status).toBe(302);
    expect(later.headers.get('Location')).toMatch(/^https:\/\/shop\.example\/spring\?/);
    expect(await touchCount(link.id)).toBe(2);
  });

  it('answers 503 instead of acknowledging a visit it cannot keep (buffer at its bound, no queue)', async () => {
    const link = await makeLink({ slug: 'outage-full' });
    // wrangler.toml binds the queue; a deployment may unbind it
    const response = await visit('outage-full', { env: { TOUCH_BUFFER_MAX_ROWS: '0', TOUCH_QUEUE: undefined } });
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('10');
    expect(await response.text()).toContain('Please try again in a moment');
    expect(await touchCount(link.id)).toBe(0);
  });

  it('sends the touch to the queue instead when the buffer is at its bound and a queue is bound', async () => {
    const link = await makeLink({ slug: 'outage-queue' });
    const sent: unknown[] = [];
    const queue = { sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)) } as unknown as Queue;
    const response = await visit('outage-queue', { env: { TOUCH_BUFFER_MAX_ROWS: '0', TOUCH_QUEUE: queue } });
    expect(response.status).toBe(302);
    const clickId = new URL(response.headers.get('Location')!).searchParams.get('tp_click');
    expect(sent).toEqual([expect.objectContaining({ id: clickId, link_id: link.id, type: 'click' })]);
    expect(await touchCount(link.id)).toBe(0);
  });
});

describe('POST /api/v1/maintenance/flush', () => {
  it('writes what another request has buffered, by polling, and answers with the counts once nothing is pending', async () => {
    const link = await makeLink({ slug: 'flush-me' });
    const ctx = createExecutionContext();
    const redirect = await createApp().fetch(new Request(`${BASE}/flush-me`, { headers: { 'User-Agent': MOBILE_SAFARI } }), env as Bindings, ctx);
    expect(redirect.status).toBe(302);
    const response = await call('POST', '/api/v1/maintenance/flush');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ touches: { written: 1, pending: 0 }, code_entries: { written: 0, pending: 0 } });
    expect(await touchCount(link.id)).toBe(1);
    await waitOnExecutionContext(ctx);
  });

  it('answers at once with zero counts when nothing is pending', async () => {
    const response = await call('POST', '/api/v1/maintenance/flush?timeout_seconds=1');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ touches: { written: 0, pending: 0 }, code_entries: { written: 0, pending: 0 } });
  });
});

describe('POST /api/v1/maintenance/flush?stopping=true', () => {
  it('makes new redirects of this isolate answer 503 from then on, so nothing acknowledged is left for the stop', async () => {
    await makeLink({ slug: 'flush-stopping' });
    try {
      expect((await call('POST', '/api/v1/maintenance/flush?stopping=true')).status).toBe(200);
      const response = await visit('flush-stopping');
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('10');
    } finally {
      refuseTouchesFor(0);
    }
    expect((await visit('flush-stopping')).status).toBe(302);
  });
});

describe('code entry while its log cannot be kept', () => {
  const redeem = (code: string, options: { env?: Partial<Bindings> } = {}) =>
    call('POST', '/api/v1/codes/redeem', { key: null, body: { code }, headers: { 'CF-Connecting-IP': '203.0.113.250' }, env: options.env });
  const redeemedCount = async (code: string) =>
    (await env.DB.prepare('SELECT redemptions FROM action_codes WHERE code = ?').bind(code).first<{ redemptions: number }>())!.redemptions;

  it('answers 503 with Retry-After while the process is stopping, and redeems nothing', async () => {
    const { codes } = await mintCodes({ count: 1 });
    try {
      refuseTouchesFor(60);
      const response = await redeem(formatCode(codes[0]));
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('10');
      expect(await json(response)).toEqual({ error: { code: 'unavailable', message: 'Code entry is paused for a moment; try again in 10 seconds' } });
      const page = await call('POST', '/redeem', {
        key: null,
        rawBody: new URLSearchParams({ code: formatCode(codes[0]) }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'en' },
      });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('Please try again in a moment');
    } finally {
      refuseTouchesFor(0);
    }
    expect(await redeemedCount(codes[0])).toBe(0);
    expect((await redeem(formatCode(codes[0]))).status).toBe(200);
  });

  it('answers 503 (not 500) when D1 fails during the redemption', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const failing = new Proxy(env.DB, {
      get(target, property, receiver) {
        // A session (replicaOf) of this binding is the binding itself: its reads stay under this test's control.
        if (property === 'withSession') return () => receiver;
        if (property !== 'prepare') return Reflect.get(target, property);
        return (query: string) => {
          if (/action_codes/i.test(query)) throw new Error('D1_ERROR: database is locked: SQLITE_BUSY');
          return target.prepare(query);
        };
      },
    });
    const response = await redeem(formatCode(codes[0]), { env: { DB: failing } });
    expect(response.status).toBe(503);
    expect((await json(response)).error.code).toBe('unavailable');
  });
});
