/**
 * POST /api/v1/imports/conversions: historic orders recorded through the conversion service — attributed to the
 * touches before them, promo codes redeemed, loyalty points earned — one result per row; a re-run is all duplicates.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { storeTouches, touchRow } from '../support/attribution-fixture';
import { roundTripDb } from '../support/round-trips';
import { hashOf, makeRule, memberOf, resetLoyalty, setProgram } from '../support/loyalty';

const now = () => Date.parse('2026-12-02T10:00:00.000Z');
const importOrders = (text: string, key?: string) =>
  call('POST', '/api/v1/imports/conversions', { rawBody: text, headers: { 'Content-Type': 'text/csv' }, key, now });

beforeEach(resetLoyalty);

describe('POST /api/v1/imports/conversions', () => {
  it('records good rows, skips orders already recorded and fails refused rows, each with its own result', async () => {
    await setProgram();
    await makeRule({ kind: 'purchase', points: 1 });
    const campaign = await makeCampaign({ name: 'Import Orders' });
    const click = touchRow({ campaign_id: campaign.id, channel: 'email', occurred_at: '2026-03-10T11:00:00.000Z' });
    await storeTouches([click]);
    const promo = await call('POST', '/api/v1/promo-codes', {
      body: { campaign_id: campaign.id, code: 'IMPORTONCE', max_redemptions: 1, starts_at: '2026-01-01T00:00:00Z' },
      now,
    });
    expect(promo.status).toBe(201);

    const csv = [
      'order_id,occurred_at,value,currency,customer_ref,click_id,promo_code,type',
      `imp-o1,2026-03-10T12:00:00Z,42.50,EUR,imp-cust-1,${click.id},,`,
      'imp-o2,2026-04-01T09:00:00Z,20,eur,,,importonce,sale',
      'imp-o3,2026-04-02T09:00:00Z,30,EUR,,,IMPORTONCE,sale',
      'imp-o1,2026-03-10T12:00:00Z,99,EUR,imp-cust-1,,,',
      'imp-o4,2026-04-03T09:00:00Z,"12,50",EUR,,,,',
      'imp-o5,2026-04-03T09:00:00Z,12.50,,,,,',
      ',2026-04-03T09:00:00Z,,,,,,',
      'imp-o6,2027-01-01T00:00:00Z,,,,,,',
      'imp-o7,2026-05-01T00:00:00+02:00,,,,,,lead',
    ].join('\r\n');

    const response = await importOrders(csv);
    expect(response.status).toBe(200);
    const body = await json(response);
    const ids = body.results.map((row: { id?: string }) => row.id);
    expect(body).toEqual({
      counts: { rows: 9, created: 3, duplicate: 1, failed: 5 },
      results: [
        { row: 1, line: 2, status: 'created', id: ids[0] },
        { row: 2, line: 3, status: 'created', id: ids[1] },
        { row: 3, line: 4, status: 'failed', error: { code: 'code_used_up', message: 'This code has reached its 1 redemptions' } },
        { row: 4, line: 5, status: 'duplicate', id: ids[0] },
        { row: 5, line: 6, status: 'failed', error: { code: 'validation_error', message: 'value: must be a number like 19.99' } },
        { row: 6, line: 7, status: 'failed', error: { code: 'validation_error', message: 'currency: required when value is given' } },
        { row: 7, line: 8, status: 'failed', error: { code: 'validation_error', message: 'order_id: Required' } },
        { row: 8, line: 9, status: 'failed', error: { code: 'validation_error', message: 'occurred_at: must not be in the future' } },
        { row: 9, line: 10, status: 'created', id: ids[8] },
      ],
    });

    // Attributed as usual: the email click before the order; the promo order to its redemption.
    const first = await json(await call('GET', `/api/v1/conversions/${ids[0]}`));
    expect(first).toMatchObject({ type: 'sale', order_id: 'imp-o1', value: 42.5, currency: 'EUR', occurred_at: '2026-03-10T12:00:00.000Z' });
    expect(first.attribution).toEqual([{ channel: 'email', campaign_id: campaign.id, link_id: null, weight: 1 }]);
    const second = await json(await call('GET', `/api/v1/conversions/${ids[1]}`));
    expect(second).toMatchObject({ promo_code: 'importonce', currency: 'EUR', value: 20 });
    expect(second.attribution).toEqual([{ channel: 'offline', campaign_id: campaign.id, link_id: null, weight: 1 }]);
    expect(await json(await call('GET', `/api/v1/conversions/${ids[8]}`))).toMatchObject({
      type: 'lead',
      value: null,
      occurred_at: '2026-04-30T22:00:00.000Z',
    });

    // An imported sale earns its purchase points through the usual path, dated at the order.
    const member = await memberOf(await hashOf('imp-cust-1'));
    expect(member).toMatchObject({ balance: 42, earned_total: 42 });
    const events = await env.DB.prepare('SELECT type, points, conversion_id, occurred_at FROM loyalty_events WHERE member_id = ?').bind(member.id).all();
    expect(events.results).toEqual([{ type: 'purchase', points: 42, conversion_id: ids[0], occurred_at: '2026-03-10T12:00:00.000Z' }]);

    // The same file again records nothing new and earns nothing twice.
    const again = await json(await importOrders(csv));
    expect(again.counts).toEqual({ rows: 9, created: 0, duplicate: 4, failed: 5 });
    expect(again.results.filter((row: { status: string }) => row.status === 'duplicate').map((row: { id: string }) => row.id)).toEqual([
      ids[0],
      ids[1],
      ids[0],
      ids[8],
    ]);
    expect(again.results[2].error.code).toBe('code_used_up');
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversions WHERE order_id LIKE 'imp-o%'").first();
    expect(stored).toEqual({ n: 3 });
    expect(await memberOf(await hashOf('imp-cust-1'))).toMatchObject({ balance: 42, earned_total: 42 });
  });

  it('answers 413 above 100 rows and needs conversions:write', async () => {
    const rows = Array.from({ length: 101 }, (_, i) => `imp-many-${i},2026-03-01T00:00:00Z`);
    const tooMany = await importOrders(['order_id,occurred_at', ...rows].join('\n'));
    expect(tooMany.status).toBe(413);
    expect(await json(tooMany)).toEqual({ error: { code: 'payload_too_large', message: 'The file has 101 rows; one request takes at most 100' } });
    expect((await importOrders('order_id,occurred_at\n', await makeKey(['links:write']))).status).toBe(403);
    expect((await importOrders('order_id,occurred_at,value,currency\n', await makeKey(['conversions:write']))).status).toBe(200);
    expect(await json(await importOrders('order_id,value\n'))).toEqual({ error: { code: 'validation_error', message: 'Missing required column occurred_at' } });
  });
});

describe('a conversion import of 100 rows', () => {
  it("stays within D1's 1,000 queries per Worker invocation, each row with click, customer, promo code and points", async () => {
    await setProgram();
    await makeRule({ kind: 'purchase', points: 1 });
    const campaign = await makeCampaign({ name: 'Import Budget' });
    const clicks = Array.from({ length: 100 }, () => touchRow({ campaign_id: campaign.id, channel: 'email', occurred_at: '2026-03-10T11:00:00.000Z' }));
    await storeTouches(clicks);
    await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: 'IMPORTBUDGET', starts_at: '2026-01-01T00:00:00Z' }, now });
    const rows = clicks.map((click, i) => `imp-budget-${i},2026-03-10T12:00:00Z,10,EUR,imp-budget-cust-${i},${click.id},IMPORTBUDGET`);
    const counting = roundTripDb();
    const response = await call('POST', '/api/v1/imports/conversions', {
      rawBody: ['order_id,occurred_at,value,currency,customer_ref,click_id,promo_code', ...rows].join('\n'),
      headers: { 'Content-Type': 'text/csv' },
      env: { DB: counting.DB },
      now,
    });
    expect((await json(response)).counts).toEqual({ rows: 100, created: 100, duplicate: 0, failed: 0 });
    // A D1 batch is one subrequest, however many statements it holds.
    expect(counting.roundTrips()).toBeLessThanOrEqual(1000);
  }, 60_000);
});
