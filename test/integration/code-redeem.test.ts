import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { formatCode, generateCodes } from '../../src/domain/codes';
import { hmacHex } from '../../src/lib/crypto';
import { call, json, makeCampaign, MOBILE_SAFARI } from '../helpers';
import { mintCodes } from '../support/codes';
import { roundTripDb } from '../support/round-trips';
import { createDb } from '../../src/db/client';
import type { Bindings } from '../../src/env';
import { drainCodeEntries, enterActionCode, recordCodeEntry } from '../../src/services/code-entry';

let ipCounter = 0;
/** A client IP of its own per test keeps the rate limiter's counts apart. */
const freshClient = () => ({ 'CF-Connecting-IP': `203.0.113.${++ipCounter}`, 'User-Agent': MOBILE_SAFARI });

const redeem = (code: string, headers: Record<string, string>, extra: Record<string, unknown> = {}, now?: () => number) =>
  call('POST', '/api/v1/codes/redeem', { key: null, body: { code, ...extra }, headers, now });

/** A D1 binding that lets only code-entry log writes through: proves a request made no lookup. */
function writeOnlyLogDb(): D1Database {
  const real = env.DB;
  return {
    prepare(query: string) {
      if (!/^insert into "code_entries"/i.test(query)) throw new Error(`unexpected query: ${query}`);
      return real.prepare(query);
    },
    batch: (statements: D1PreparedStatement[]) => real.batch(statements),
  } as unknown as D1Database;
}

describe('POST /api/v1/codes/redeem', () => {
  it('accepts a code once, logs a code_entry touch (offline) and sets the visitor cookie', async () => {
    const { batch, codes } = await mintCodes({ count: 3, reward: 'A free coffee' });
    const headers = freshClient();
    const response = await redeem(formatCode(codes[0]).toLowerCase(), headers, { customer_ref: 'cust-1' });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'accepted', campaign_id: batch.campaign_id, batch_id: batch.id, reward: 'A free coffee' });
    const visitorId = /tp_vid=(v_[0-9A-Z]{26});/.exec(response.headers.get('Set-Cookie') ?? '')![1];

    const touch = await env.DB.prepare("SELECT * FROM touches WHERE type = 'code_entry' AND campaign_id = ?").bind(batch.campaign_id).first<any>();
    expect(touch).toMatchObject({ channel: 'offline', visitor_id: visitorId, visitor_kind: 'cookie', link_id: null, device_class: 'mobile', is_bot: 0 });
    const entry = await env.DB.prepare('SELECT * FROM code_entries WHERE batch_id = ?').bind(batch.id).first<any>();
    expect(entry).toMatchObject({ source: 'api', result: 'accepted', input: codes[0], touch_id: touch.id, visitor_id: visitorId });
    expect(entry.customer_hash).toBe(await hmacHex('test-hash-secret', 'cust-1'));
    const again = await redeem(codes[0], headers);
    expect(again.status).toBe(410);
    expect(await json(again)).toEqual({ error: { code: 'code_used_up', message: 'This code has already been used' } });
  });

  it('keeps an existing visitor cookie', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const visitor = 'v_01JD0000000000000000000000';
    const response = await redeem(codes[0], { ...freshClient(), Cookie: `tp_vid=${visitor}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const entry = await env.DB.prepare('SELECT t.visitor_id FROM code_entries e JOIN touches t ON t.id = e.touch_id WHERE e.input = ?')
      .bind(codes[0])
      .first<any>();
    expect(entry.visitor_id).toBe(visitor);
  });

  it('answers invalid_code for a typo without reading the database', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const typo = codes[0].slice(0, 3) + (codes[0][3] === 'A' ? 'B' : 'A') + codes[0].slice(4);
    const response = await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: typo }, headers: freshClient(), env: { DB: writeOnlyLogDb() } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'invalid_code', message: 'This is not a valid code: check it for typos' } });
    // Input that matched no code is kept only as its keyed hash.
    const entry = await env.DB.prepare('SELECT result, batch_id FROM code_entries WHERE input = ?')
      .bind(`h:${await hmacHex('test-hash-secret', `code-input:${typo}`)}`)
      .first<any>();
    expect(entry).toEqual({ result: 'invalid_code', batch_id: null });
  });

  it.each([
    ['unknown_code', 404, 'There is no such code', {}],
    ['code_expired', 410, 'This code has expired', { expires_at: '2020-01-01T00:00:00Z' }],
    ['code_not_started', 410, 'This code is not valid yet', { starts_at: '2099-01-01T00:00:00Z' }],
  ] as const)('answers %s', async (code, status, message, window) => {
    const { codes } = await mintCodes({ count: 1, ...window });
    const entered = code === 'unknown_code' ? generateCodes(1)[0] : codes[0];
    const response = await redeem(entered, freshClient());
    expect(response.status).toBe(status);
    expect(await json(response)).toEqual({ error: { code, message } });
  });

  it('answers 400 naming the field for malformed input', async () => {
    const response = await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: '' } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message: 'code: Too small: expected string to have >=1 characters' } });
  });

  it('accepts exactly one of 20 concurrent entries of a single-use code', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(codes[0], { 'CF-Connecting-IP': `198.51.100.${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(410)]);
    const row = await env.DB.prepare('SELECT redemptions FROM action_codes WHERE code = ?').bind(codes[0]).first<any>();
    expect(row.redemptions).toBe(1);
  });

  it('honours max_redemptions_per_code', async () => {
    const { codes } = await mintCodes({ count: 1, max_redemptions_per_code: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await redeem(codes[0], freshClient())).status);
    expect(statuses).toEqual([200, 200, 200, 410]);
  });

  it('rate-limits after 10 failures in 10 minutes, then recovers', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const headers = freshClient();
    const t0 = Date.parse('2026-11-22T10:00:00.000Z');
    for (let i = 0; i < 10; i++) {
      const miss = await redeem(generateCodes(1)[0], headers, {}, () => t0 + i * 1000);
      expect(miss.status).toBe(404);
    }
    const blocked = await redeem(codes[0], headers, {}, () => t0 + 60_000);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('Retry-After')).toBe('540');
    expect(await json(blocked)).toEqual({
      error: {
        code: 'rate_limited',
        message: 'Too many unknown, used-up or expired codes were entered from this network; try again in 540 seconds (mistyped codes do not count)',
      },
    });
    const otherClient = await redeem(generateCodes(1)[0], freshClient(), {}, () => t0 + 60_000);
    expect(otherClient.status).toBe(404);
    const stillBlocked = await redeem(codes[0], headers, {}, () => t0 + 599_999);
    expect(stillBlocked.status).toBe(429);
    const recovered = await redeem(codes[0], headers, {}, () => t0 + 600_001);
    expect(recovered.status).toBe(200);
  });

  it('does not count mistyped codes (failing the check character): the next valid code is accepted', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const headers = freshClient();
    const typo = codes[0].slice(0, 3) + (codes[0][3] === 'A' ? 'B' : 'A') + codes[0].slice(4);
    for (let i = 0; i < 15; i++) expect((await redeem(typo, headers)).status).toBe(400);
    expect((await redeem(codes[0], headers)).status).toBe(200);
  });

  it('counts IPv6 clients by their /64: a neighbour in the same network shares the budget', async () => {
    const settings = { CODE_ENTRY_MAX_FAILURES: '3', CODE_ENTRY_WINDOW_SECONDS: '600' };
    const from = (ip: string) =>
      call('POST', '/api/v1/codes/redeem', { key: null, body: { code: generateCodes(1)[0] }, headers: { 'CF-Connecting-IP': ip }, env: settings });
    for (const ip of ['2001:db8:77:1::1', '2001:db8:77:1::2', '2001:db8:77:1:ffff::3']) expect((await from(ip)).status).toBe(404);
    const neighbour = await from('2001:db8:77:1:abcd::9');
    expect(neighbour.status).toBe(429);
    expect(Number(neighbour.headers.get('Retry-After'))).toBeGreaterThan(590);
    expect((await from('2001:db8:77:2::1')).status).toBe(404);
  });

  it('takes the limit from settings', async () => {
    const headers = freshClient();
    const settings = { CODE_ENTRY_MAX_FAILURES: '2', CODE_ENTRY_WINDOW_SECONDS: '30' };
    const t0 = Date.parse('2026-11-22T10:00:00.000Z');
    const send = (at: number) =>
      call('POST', '/api/v1/codes/redeem', { key: null, body: { code: generateCodes(1)[0] }, headers, env: settings, now: () => at });
    expect((await send(t0)).status).toBe(404);
    expect((await send(t0 + 1000)).status).toBe(404);
    const blocked = await send(t0 + 2000);
    expect([blocked.status, blocked.headers.get('Retry-After')]).toEqual([429, '28']);
    expect((await send(t0 + 30_001)).status).toBe(404);
  });
});

describe('the codes exist per campaign', () => {
  it('ties an accepted entry to its campaign', async () => {
    const campaign = await makeCampaign({ name: 'Pack run' });
    const { codes } = await mintCodes({ count: 1, campaign_id: campaign.id });
    expect((await json(await redeem(codes[0], freshClient()))).campaign_id).toBe(campaign.id);
  });
});

describe('deciding an entry', () => {
  const input = (code: string, ip: string) => ({
    code,
    customerRef: null,
    source: 'api' as const,
    visitorId: null,
    facts: { method: 'POST', userAgent: MOBILE_SAFARI, referer: null, ip, country: null, region: null, city: null },
  });

  it('takes one D1 round trip: the limiter, the redemption and the refusal reason travel in one batch', async () => {
    const { codes } = await mintCodes({ count: 3 });
    const settings = { ...(env as Bindings), CODE_ENTRY_MAX_FAILURES: '1' };
    const decide = async (code: string, ip: string) => {
      const counted = roundTripDb();
      const outcome = await enterActionCode(createDb(counted.DB), settings, input(code, ip), Date.now());
      return [outcome.status === 'accepted' ? 'accepted' : outcome.reason, counted.roundTrips()];
    };
    await decide(codes[0], '192.0.2.207'); // reads the cached webhook subscriptions once
    expect(await decide(codes[1], '192.0.2.207')).toEqual(['accepted', 1]);
    expect(await decide(codes[1], '192.0.2.208')).toEqual(['code_used_up', 1]);
    expect(await decide(generateCodes(1)[0], '192.0.2.208')).toEqual(['unknown_code', 1]);
    // A failure is counted once its entry is logged: log one for this client, then even a fresh code is refused, unspent.
    await recordCodeEntry(
      settings,
      input('XXXX', '192.0.2.209'),
      { status: 'rejected', reason: 'unknown_code', code: 'XXXX', batchId: null, campaignId: null, retryAfterSeconds: null },
      Date.now(),
    );
    await drainCodeEntries(settings, 5000);
    expect(await decide(codes[2], '192.0.2.209')).toEqual(['rate_limited', 1]);
    const unspent = await env.DB.prepare('SELECT redemptions FROM action_codes WHERE code = ?').bind(codes[2]).first<{ redemptions: number }>();
    expect(unspent).toEqual({ redemptions: 0 });
  });
});
