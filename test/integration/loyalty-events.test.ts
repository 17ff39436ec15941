/** POST /api/v1/loyalty/events: idempotency, caps and windows on an injected clock, parallel caps, tiers, enrollment, pending purchases. */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOYALTY_EVENT_TYPES } from '../../src/domain/vocab';
import { call, json, makeKey } from '../helpers';
import { hashOf, makeRule, memberOf, postEvent, setProgram, resetLoyalty } from '../support/loyalty';

beforeEach(resetLoyalty);

const review = (key: string, ref = 'cust-1') => ({ type: 'review', idempotency_key: key, customer_ref: ref });

describe('POST /api/v1/loyalty/events', () => {
  it('books an event once: the same idempotency key answers the first result and books nothing', async () => {
    await setProgram();
    const rule = await makeRule({ kind: 'review', points: 50 });
    const key = await makeKey(['loyalty:write']);
    const response = await call('POST', '/api/v1/loyalty/events', { key, body: review('rev-1') });
    expect(response.status).toBe(201);
    const first = await json(response);
    expect(first).toEqual({ id: expect.stringMatching(/^lev_/), points: 50, status: 'available', entries: [{ rule_id: rule.id, points: 50 }] });
    const again = await call('POST', '/api/v1/loyalty/events', { key, body: review('rev-1') });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 50, earned_total: 50 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_ledger').first())!.n).toBe(1);
  });

  it('books a key once when it arrives five times at once: one 201, four 200 with the same result', async () => {
    await setProgram();
    await makeRule({ kind: 'review', points: 50 });
    const results = await Promise.all(Array.from({ length: 5 }, () => postEvent(review('same'))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 50 });
  });

  it('answers 401 without a key and 403 with a key lacking loyalty:write', async () => {
    expect((await call('POST', '/api/v1/loyalty/events', { key: null, body: review('k') })).status).toBe(401);
    expect((await call('POST', '/api/v1/loyalty/events', { key: await makeKey(['loyalty:read']), body: review('k') })).status).toBe(403);
  });

  it.each(LOYALTY_EVENT_TYPES)('a %s rule pays its events inside its window, up to its total cap', async (kind) => {
    await setProgram();
    const purchase = kind === 'purchase';
    await makeRule({
      kind,
      points: 5,
      cap_total: 2,
      starts_at: '2026-12-01T00:00:00Z',
      ends_at: '2026-12-08T00:00:00Z',
      ...(kind === 'custom' ? { event_name: 'quiz' } : {}),
    });
    const body = (key: string) => ({
      type: kind,
      idempotency_key: key,
      ...(kind === 'custom' ? { name: 'quiz' } : {}),
      ...(purchase ? { value: 3.99, currency: 'EUR' } : {}),
    });
    const expected = purchase ? 15 : 5; // a purchase: 5 per whole euro of 3.99
    expect((await postEvent(body('before'), '2026-11-30T23:59:59.999Z')).body.points).toBe(0);
    expect((await postEvent(body('in-1'), '2026-12-01T00:00:00.000Z')).body.points).toBe(expected);
    expect((await postEvent(body('in-2'), '2026-12-07T23:59:59.999Z')).body.points).toBe(expected);
    expect((await postEvent(body('in-3'), '2026-12-07T23:59:59.999Z')).body.points).toBe(0); // total cap
    await resetLoyalty();
    await setProgram();
    await makeRule({ kind, points: 5, ends_at: '2026-12-08T00:00:00Z', ...(kind === 'custom' ? { event_name: 'quiz' } : {}) });
    expect((await postEvent(body('after'), '2026-12-08T00:00:00.000Z')).body.points).toBe(0);
  });

  it('answers 422 before the program is set up', async () => {
    const response = await call('POST', '/api/v1/loyalty/events', { body: review('rev-x') });
    expect(response.status).toBe(422);
    expect(await json(response)).toEqual({ error: { code: 'unprocessable', message: 'The bonus program is not set up yet (PUT /api/v1/loyalty/program)' } });
  });

  it('refuses a custom event without a name, a name on another type, and a value without currency', async () => {
    for (const [body, message] of [
      [{ type: 'custom', idempotency_key: 'k' }, 'name: required for a custom event'],
      [{ type: 'review', idempotency_key: 'k', name: 'x' }, 'name: only a custom event has a name'],
      [{ type: 'purchase', idempotency_key: 'k', value: 10 }, 'currency: required with a value'],
    ] as const) {
      const response = await call('POST', '/api/v1/loyalty/events', { body: { customer_ref: 'c', ...body } });
      expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
    }
  });

  it('pays a rule at most cap_day times a day, cap_month a month and cap_total ever (injected clock)', async () => {
    await setProgram();
    await makeRule({ kind: 'review', points: 10, cap_day: 2, cap_month: 3, cap_total: 4 });
    const points = async (key: string, iso: string) => (await postEvent(review(key), iso)).body.points;
    expect(await points('a1', '2026-12-01T09:00:00.000Z')).toBe(10);
    expect(await points('a2', '2026-12-01T10:00:00.000Z')).toBe(10);
    expect(await points('a3', '2026-12-01T23:59:59.000Z')).toBe(0); // day cap
    expect(await points('b1', '2026-12-02T00:00:00.000Z')).toBe(10);
    expect(await points('b2', '2026-12-02T01:00:00.000Z')).toBe(0); // month cap
    expect(await points('c1', '2027-01-01T00:00:00.000Z')).toBe(10);
    expect(await points('c2', '2027-01-02T00:00:00.000Z')).toBe(0); // total cap
    const last = await postEvent(review('c3'), '2027-02-01T00:00:00.000Z');
    expect(last.body).toEqual({ id: expect.any(String), points: 0, status: 'no_points', entries: [] });
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 40 });
  });

  it('holds the caps under parallel events: ten at once against cap_day 3 pay exactly three', async () => {
    await setProgram();
    const rule = await makeRule({ kind: 'survey', points: 7, cap_day: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => postEvent({ type: 'survey', idempotency_key: `s${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.filter((r) => r.body.points === 7)).toHaveLength(3);
    expect(results.filter((r) => r.body.status === 'no_points')).toHaveLength(7);
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 21 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_entries WHERE rule_id = ?').bind(rule.id).first())!.n).toBe(3);
  });

  it("pays inside a rule's window only, and custom events by their name", async () => {
    await setProgram();
    await makeRule({ kind: 'custom', event_name: 'app_install', points: 30, starts_at: '2026-12-01T00:00:00Z', ends_at: '2026-12-24T00:00:00Z' });
    const install = (key: string) => ({ type: 'custom', name: 'app_install', idempotency_key: key });
    expect((await postEvent(install('i1'), '2026-11-30T23:59:59.000Z')).body.points).toBe(0);
    expect((await postEvent(install('i2'), '2026-12-10T12:00:00.000Z')).body.points).toBe(30);
    expect((await postEvent({ type: 'custom', name: 'newsletter', idempotency_key: 'i3' }, '2026-12-10T12:00:00.000Z')).body.points).toBe(0);
    expect((await postEvent(install('i4'), '2026-12-24T00:00:00.000Z')).body.points).toBe(0);
  });

  it('raises the tier once the points of 12 months reach it, and the next event earns with its multiplier', async () => {
    await setProgram({
      tiers: [
        { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
        { name: 'Silver', min_points_12m: 100, multiplier: 1.5 },
      ],
    });
    await makeRule({ kind: 'review', points: 55 });
    const hash = await hashOf('cust-1');
    expect((await postEvent(review('t1'))).body.points).toBe(55);
    expect(await memberOf(hash)).toMatchObject({ balance: 55, tier: 'Bronze' });
    expect((await postEvent(review('t2'))).body.points).toBe(55);
    expect(await memberOf(hash)).toMatchObject({ balance: 110, tier: 'Silver' });
    expect((await postEvent(review('t3'))).body.points).toBe(82); // floor(55 × 1.5)
    expect(await memberOf(hash)).toMatchObject({ balance: 192, tier: 'Silver' });
  });

  it('with enrollment by sign-up, books nothing for a non-member until their signup event', async () => {
    await setProgram({ enrollment: 'signup' });
    await makeRule({ kind: 'review', points: 20 });
    await makeRule({ kind: 'signup', points: 100 });
    const before = await postEvent(review('r1'));
    expect(before).toEqual({ status: 200, body: { id: null, points: 0, status: 'no_points', entries: [] } });
    expect(await memberOf(await hashOf('cust-1'))).toBeNull();
    expect((await postEvent({ type: 'signup', idempotency_key: 'su' })).body.points).toBe(100);
    expect((await postEvent(review('r2'))).body.points).toBe(20);
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 120 });
  });

  it('keeps purchase points pending for pending_days and converts the value into the rule currency', async () => {
    await setProgram({ pending_days: 14 });
    await makeRule({ kind: 'purchase', points: 1, min_order: 10 });
    const result = await postEvent({ type: 'purchase', idempotency_key: 'o1', value: 59.9, currency: 'EUR' });
    expect(result.body).toMatchObject({ points: 59, status: 'pending' });
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 0, pending: 59 });
    const pending = await env.DB.prepare('SELECT points, available_at FROM loyalty_pending').first();
    expect(pending).toEqual({ points: 59, available_at: '2026-12-16T10:00:00.000Z' });
  });
});
