/** Refunds: the refunded share leaves every report's revenue, the order's points are reversed in proportion, exactly once. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runAtomically } from '../../src/db/client';
import { credit, debit, pend, release } from '../../src/db/loyalty-ledger';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { reattributePending } from '../../src/services/late-touches';
import { runLoyaltyCron } from '../../src/services/loyalty-cron';
import { call, json, makeKey } from '../helpers';
import { makeRule, setProgram } from '../support/loyalty';
import { db, memberRow, memberWith } from '../support/loyalty-members';

let day = 0;
/** Each test on its own day, so its report is its own. */
const clock = () => {
  day++;
  const at = Date.UTC(2026, 9, day, 12);
  return { at, iso: new Date(at).toISOString(), date: new Date(at).toISOString().slice(0, 10), now: () => at };
};

async function sale(now: () => number, customer: string, value: number | null = 100) {
  const body = {
    type: value === null ? 'lead' : 'sale',
    order_id: `order-${crypto.randomUUID()}`,
    customer_ref: customer,
    value,
    currency: value === null ? null : 'EUR',
  };
  const response = await call('POST', '/api/v1/conversions', { body: value === null ? { ...body, value: undefined, currency: undefined } : body, now });
  return (await json(response)).id as string;
}

const refund = (conversionId: string, body: Record<string, unknown>, now: () => number, key?: string) =>
  call('POST', `/api/v1/conversions/${conversionId}/refund`, { body, now, key });

/** The direct channel's conversions and revenue in the channels report of one day. */
async function directRow(date: string) {
  const body = await json(await call('GET', `/api/v1/reports/channels?from=${date}&to=${date}&model=linear`));
  const row = body.rows.find((r: any) => r.channel === 'direct');
  return { conversions: row?.conversions ?? 0, revenue: row?.revenue ?? 0, total: body.totals.revenue };
}

const ref = () => `cust-${crypto.randomUUID()}`;
let serial = 0;
const ledgerId = () => `led_refund_test_${++serial}`;

describe('refunds', () => {
  it('refunds in full: revenue leaves the report, the conversion still counts, pending points are taken back', async () => {
    const { iso, date, now } = clock();
    const customer = ref();
    const member = await memberWith(customer, 0, iso);
    const conversion = await sale(now, customer, 200);
    await runAtomically(
      db(),
      pend(
        db(),
        { memberId: member },
        { id: ledgerId(), source: 'purchase', amount: 200, at: iso, conversionId: conversion, availableAt: '2026-12-31T00:00:00.000Z' },
      ),
    );
    expect(await directRow(date)).toEqual({ conversions: 1, revenue: 200, total: 200 });

    const response = await refund(conversion, { refund_id: 'R-1' }, now, await makeKey(['conversions:write']));
    expect(response.status).toBe(201);
    expect(await json(response)).toEqual({ conversion_id: conversion, refund_id: 'R-1', amount: 200, refunded: 200, remaining_value: 0, points_reversed: 200 });
    expect(await directRow(date)).toEqual({ conversions: 1, revenue: 0, total: 0 });
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 0, debt: 0, spent_total: 0 });
    // The customer reports count the order, at its net value.
    const loyalty = await json(await call('GET', `/api/v1/reports/loyalty?from=${date}&to=${date}`));
    expect(loyalty.rows.find((row: any) => row.channel === 'direct')).toMatchObject({ customers: 1, orders: 1, revenue: 0 });
    const pending = await env.DB.prepare('SELECT points FROM loyalty_pending WHERE conversion_id = ?').bind(conversion).all();
    expect(pending.results).toEqual([{ points: 0 }]);
    // Every model's credits carry the net value.
    const credits = await env.DB.prepare('SELECT DISTINCT revenue FROM conversion_credits WHERE conversion_id = ?').bind(conversion).all();
    expect(credits.results).toEqual([{ revenue: 0 }]);
  });

  it('refunds in part twice: revenue drops by each amount, points in proportion, pending first then available with the lot expiry', async () => {
    const { at, iso, date, now } = clock();
    const customer = ref();
    const member = await memberWith(customer, 0, iso);
    const conversion = await sale(now, customer, 80);
    const pendingId = ledgerId();
    await runAtomically(
      db(),
      pend(db(), { memberId: member }, { id: pendingId, source: 'purchase', amount: 100, at: iso, conversionId: conversion, availableAt: iso }),
    );

    const first = await json(await refund(conversion, { amount: 20, refund_id: 'part-1', currency: 'EUR' }, now));
    expect(first).toEqual({ conversion_id: conversion, refund_id: 'part-1', amount: 20, refunded: 20, remaining_value: 60, points_reversed: 25 });
    expect(await directRow(date)).toEqual({ conversions: 1, revenue: 60, total: 60 });
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 75, debt: 0, spent_total: 0 });
    expect(await json(await call('GET', `/api/v1/conversions/${conversion}`))).toMatchObject({ value: 80, refunded: 20 });

    // The return window ends: the 75 left become available, expiring in a year.
    await runAtomically(db(), release(db(), pendingId, ledgerId(), new Date(at + 1000).toISOString(), '2027-10-02T12:00:00.000Z'));
    const second = await json(await refund(conversion, { amount: 30, refund_id: 'part-2' }, now));
    // 50 of 80 refunded: floor(100 × 50 / 80) = 62 in all, 25 of them before.
    expect(second).toEqual({ conversion_id: conversion, refund_id: 'part-2', amount: 30, refunded: 50, remaining_value: 30, points_reversed: 37 });
    expect(await directRow(date)).toEqual({ conversions: 1, revenue: 30, total: 30 });
    expect(await memberRow(member)).toEqual({ balance: 38, pending: 0, debt: 0, spent_total: 0 });
    const reversals = await env.DB.prepare(
      "SELECT points, pending, debt, lot, expires_at FROM loyalty_ledger WHERE conversion_id = ? AND kind = 'reverse' ORDER BY pending",
    )
      .bind(conversion)
      .all();
    expect(reversals.results).toEqual([
      { points: 0, pending: -25, debt: 0, lot: 0, expires_at: null },
      { points: -37, pending: 0, debt: 0, lot: -37, expires_at: '2027-10-02T12:00:00.000Z' },
    ]);
  });

  it('turns what was already spent into debt: the balance never goes below zero', async () => {
    const { iso, now } = clock();
    const customer = ref();
    const member = await memberWith(customer, 0, iso);
    const conversion = await sale(now, customer, 50);
    await runAtomically(
      db(),
      credit(db(), { memberId: member }, { id: ledgerId(), kind: 'earn', source: 'purchase', amount: 100, at: iso, conversionId: conversion, expiresAt: null }),
    );
    await runAtomically(db(), debit(db(), { memberId: member }, { id: ledgerId(), kind: 'spend', source: 'reward', amount: 80, at: iso }));

    const body = await json(await refund(conversion, {}, now));
    expect(body).toMatchObject({ amount: 50, refunded: 50, remaining_value: 0, points_reversed: 100 });
    expect(body.refund_id).toMatch(/^rfn_/);
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 0, debt: 80, spent_total: 80 });
  });

  it('is idempotent on refund_id, also when the same refund arrives five times at once', async () => {
    const { iso, date, now } = clock();
    const customer = ref();
    const member = await memberWith(customer, 0, iso);
    const conversion = await sale(now, customer, 100);
    await runAtomically(
      db(),
      credit(db(), { memberId: member }, { id: ledgerId(), kind: 'earn', source: 'purchase', amount: 100, at: iso, conversionId: conversion, expiresAt: null }),
    );

    const responses = await Promise.all(Array.from({ length: 5 }, () => refund(conversion, { amount: 10, refund_id: 'same' }, now)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const bodies = await Promise.all(responses.map((r) => json(r)));
    for (const body of bodies)
      expect(body).toEqual({ conversion_id: conversion, refund_id: 'same', amount: 10, refunded: 10, remaining_value: 90, points_reversed: 10 });
    expect(await directRow(date)).toMatchObject({ revenue: 90 });
    expect(await memberRow(member)).toMatchObject({ balance: 90 });
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE conversion_id = ?').bind(conversion).first();
    expect(stored).toEqual({ n: 1 });
  });

  it('never refunds more than the value, however many refunds race', async () => {
    const { iso, date, now } = clock();
    const customer = ref();
    await memberWith(customer, 0, iso);
    const conversion = await sale(now, customer, 100);
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => refund(conversion, { amount: 30, refund_id: `race-${i}` }, now)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 201, 422]);
    const refused = await json(responses.find((r) => r.status === 422)!);
    expect(refused).toEqual({ error: { code: 'unprocessable', message: 'amount: more than the 10 EUR left to refund' } });
    expect(await directRow(date)).toMatchObject({ conversions: 1, revenue: 10 });
  });

  it('refuses what cannot be refunded', async () => {
    const { now } = clock();
    const customer = ref();
    const conversion = await sale(now, customer, 40);
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      [conversion, { amount: 40.01 }, 422, 'amount: more than the 40 EUR left to refund'],
      [conversion, { currency: 'USD' }, 422, 'currency: the conversion is in EUR'],
      [conversion, { amount: 0 }, 400, 'amount: Too small: expected number to be >0'],
      ['cnv_missing', {}, 404, 'Conversion not found'],
      [await sale(now, customer, null), {}, 422, 'This conversion has no value to refund'],
    ];
    for (const [id, body, status, message] of cases) {
      const response = await refund(id, body, now);
      expect([response.status, (await json(response)).error.message]).toEqual([status, message]);
    }
    expect((await refund(conversion, {}, now)).status).toBe(201);
    expect((await json(await refund(conversion, { amount: 1 }, now))).error.message).toBe('This conversion has been refunded in full already');
  });

  it('keeps the net value when a late touch makes the conversion attributed again', async () => {
    const { iso, now } = clock();
    const conversion = await sale(now, ref(), 100);
    await refund(conversion, { amount: 25 }, now);
    const { version } = (await env.DB.prepare('INSERT INTO pending_attributions (conversion_id) VALUES (?) RETURNING version')
      .bind(conversion)
      .first<{ version: number }>())!;
    await reattributePending(db(), env as Bindings, [{ conversionId: conversion, version }], Date.parse(iso));
    const credits = await env.DB.prepare('SELECT model, revenue FROM conversion_credits WHERE conversion_id = ? ORDER BY model').bind(conversion).all();
    expect(credits.results.map((row: any) => row.revenue)).toEqual([75, 75, 75, 75, 75]);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM pending_attributions WHERE conversion_id = ?').bind(conversion).first()).toEqual({ n: 0 });
  });

  it('takes back the points a sale earned by itself, pending then released, in proportion', async () => {
    const { at, now } = clock();
    await setProgram({ pending_days: 14 });
    await makeRule({ kind: 'purchase', points: 2 });
    const customer = ref();
    const conversion = await sale(now, customer, 60);
    const hash = await customerHashOf(env as Bindings, customer);
    const member = (await env.DB.prepare('SELECT id FROM loyalty_members WHERE customer_hash = ?').bind(hash).first<{ id: string }>())!.id;
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 120, debt: 0, spent_total: 0 });

    expect(await json(await refund(conversion, { amount: 15 }, now))).toMatchObject({ remaining_value: 45, points_reversed: 30 });
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 90, debt: 0, spent_total: 0 });
    // The return window passes: the cron releases what is left.
    const later = at + 15 * 86_400_000;
    await runLoyaltyCron(db(), later);
    expect(await memberRow(member)).toEqual({ balance: 90, pending: 0, debt: 0, spent_total: 0 });
    expect(await json(await refund(conversion, {}, () => later))).toMatchObject({ refunded: 60, remaining_value: 0, points_reversed: 90 });
    expect(await memberRow(member)).toEqual({ balance: 0, pending: 0, debt: 0, spent_total: 0 });
  });
});
