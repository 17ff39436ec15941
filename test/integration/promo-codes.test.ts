import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hasValidCheck, normaliseCode } from '../../src/domain/codes';
import { call, json, makeCampaign, makeKey } from '../helpers';

async function makePromo(fields: Record<string, unknown> = {}) {
  const campaignId = fields.campaign_id ?? (await makeCampaign()).id;
  const response = await call('POST', '/api/v1/promo-codes', { body: { code: `S${crypto.randomUUID().slice(0, 8)}`, ...fields, campaign_id: campaignId } });
  if (response.status !== 201) throw new Error(`promo: ${response.status} ${await response.text()}`);
  return json(response);
}

const validate = (body: Record<string, unknown>, key?: string) => call('POST', '/api/v1/promo-codes/validate', { body, key });
const redeem = (body: Record<string, unknown>, key?: string) => call('POST', '/api/v1/promo-codes/redeem', { body, key });

describe('promo codes', () => {
  it('creates a vanity code, unique regardless of case, dashes and look-alikes', async () => {
    const campaign = await makeCampaign();
    const promo = await makePromo({ campaign_id: campaign.id, code: 'Sommer25', discount: '25 % off', max_per_customer: 1, min_order_value: 30 });
    expect(promo).toMatchObject({
      kind: 'vanity',
      code: 'SOMMER25',
      count: 1,
      codes: ['SOMMER25'],
      discount: '25 % off',
      channel: 'offline',
      redemptions: 0,
      status: 'active',
    });
    for (const taken of ['sommer25', 'S0MMER-25']) {
      const clash = await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: taken } });
      expect(clash.status).toBe(409);
      expect((await json(clash)).error.code).toBe('conflict');
    }
  });

  it('generates unique single-use codes in bulk and exports them', async () => {
    const promo = await makePromo({ code: undefined, count: 50, prefix: 'VP', discount: '10 EUR', channel: 'email' });
    expect(promo).toMatchObject({ kind: 'unique', code: null, prefix: 'VP', count: 50, channel: 'email' });
    expect(new Set(promo.codes).size).toBe(50);
    for (const code of promo.codes) expect(hasValidCheck(normaliseCode(code))).toBe(true);
    const csv = (await (await call('GET', `/api/v1/promo-codes/${promo.id}/codes.csv`)).text()).trimEnd().split('\r\n');
    expect(csv[0]).toBe('code,promo_code_id,campaign_id,redemptions');
    expect(csv).toHaveLength(51);
    const first = await redeem({ code: promo.codes[0], order_id: 'o-1' });
    expect(first.status).toBe(201);
    const second = await redeem({ code: promo.codes[0], order_id: 'o-2' });
    expect([second.status, (await json(second)).error.code]).toEqual([410, 'code_used_up']);
    expect((await redeem({ code: promo.codes[1], order_id: 'o-2' })).status).toBe(201);
  });

  it('validates a code with its discount', async () => {
    const promo = await makePromo({ discount: '5 EUR', max_redemptions: 10, min_order_value: 20 });
    const response = await validate({ code: promo.code.toLowerCase(), order_value: 20 });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      valid: true,
      code: promo.code,
      promo_code_id: promo.id,
      campaign_id: promo.campaign_id,
      discount: '5 EUR',
      min_order_value: 20,
      remaining: 10,
    });
  });

  it.each([
    ['unknown_code', 404, {}, { code: 'NOPE-NOPE' }],
    ['code_not_started', 410, { starts_at: '2099-01-01T00:00:00Z' }, {}],
    ['code_expired', 410, { ends_at: '2020-01-01T00:00:00Z' }, {}],
    ['below_minimum_order', 422, { min_order_value: 50 }, { order_value: 49.5 }],
  ] as const)('validate and redeem answer %s', async (code, status, promoFields, input) => {
    const promo = await makePromo(promoFields);
    for (const send of [validate, (body: Record<string, unknown>) => redeem({ ...body, order_id: 'o-x' })]) {
      const response = await send({ code: promo.code, ...input });
      expect(response.status).toBe(status);
      expect((await json(response)).error.code).toBe(code);
    }
  });

  it('answers code_used_up when the total is reached', async () => {
    const promo = await makePromo({ max_redemptions: 2 });
    expect((await redeem({ code: promo.code, order_id: 'a' })).status).toBe(201);
    expect((await redeem({ code: promo.code, order_id: 'b' })).status).toBe(201);
    for (const response of [await validate({ code: promo.code }), await redeem({ code: promo.code, order_id: 'c' })]) {
      expect([response.status, (await json(response)).error]).toEqual([410, { code: 'code_used_up', message: 'This code has reached its 2 redemptions' }]);
    }
  });

  it('limits redemptions per customer', async () => {
    const promo = await makePromo({ max_per_customer: 2 });
    expect((await redeem({ code: promo.code, order_id: 'p1', customer_ref: 'anna' })).status).toBe(201);
    expect((await redeem({ code: promo.code, order_id: 'p2', customer_ref: 'anna' })).status).toBe(201);
    const third = await redeem({ code: promo.code, order_id: 'p3', customer_ref: 'anna' });
    expect([third.status, (await json(third)).error]).toEqual([
      410,
      { code: 'customer_limit_reached', message: 'This customer has used the code 2 times (limit 2)' },
    ]);
    expect((await json(await validate({ code: promo.code, customer_ref: 'anna' }))).error.code).toBe('customer_limit_reached');
    expect((await validate({ code: promo.code, customer_ref: 'ben' })).status).toBe(200);
    expect((await redeem({ code: promo.code, order_id: 'p4', customer_ref: 'ben' })).status).toBe(201);
  });

  it('redeems idempotently on order_id and logs one promo_redemption touch for the campaign', async () => {
    const promo = await makePromo({ discount: '10 %', max_redemptions: 5, channel: 'email' });
    const first = await redeem({ code: promo.code, order_id: 'order-77', order_value: 80, customer_ref: 'cara' });
    expect(first.status).toBe(201);
    const body = await json(first);
    expect(body).toMatchObject({
      promo_code_id: promo.id,
      campaign_id: promo.campaign_id,
      code: promo.code,
      order_id: 'order-77',
      order_value: 80,
      discount: '10 %',
    });
    const replay = await redeem({ code: promo.code, order_id: 'order-77', order_value: 80, customer_ref: 'cara' });
    expect(replay.status).toBe(200);
    expect(await json(replay)).toEqual(body);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => redeem({ code: promo.code, order_id: 'order-78' })));
    expect(concurrent.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const touches = await env.DB.prepare("SELECT id, channel, campaign_id, is_bot FROM touches WHERE type = 'promo_redemption' AND campaign_id = ? ORDER BY id")
      .bind(promo.campaign_id)
      .all<any>();
    expect(touches.results).toHaveLength(2);
    expect(touches.results[0]).toEqual({ id: body.touch_id, channel: 'email', campaign_id: promo.campaign_id, is_bot: 0 });
    expect((await json(await call('GET', `/api/v1/promo-codes/${promo.id}`))).redemptions).toBe(2);
  });

  it('never lets concurrent checkouts overshoot the total', async () => {
    const promo = await makePromo({ max_redemptions: 3 });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => redeem({ code: promo.code, order_id: `race-${i}` })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 410)).toHaveLength(9);
  });

  it('updates, archives and lists promotions', async () => {
    const campaign = await makeCampaign();
    const promo = await makePromo({ campaign_id: campaign.id, max_redemptions: 5 });
    const patched = await call('PATCH', `/api/v1/promo-codes/${promo.id}`, { body: { discount: '15 %', max_redemptions: null } });
    expect(await json(patched)).toMatchObject({ discount: '15 %', max_redemptions: null });
    await call('PATCH', `/api/v1/promo-codes/${promo.id}`, { body: { status: 'archived' } });
    expect((await json(await validate({ code: promo.code }))).error).toEqual({ code: 'code_expired', message: 'This code has been withdrawn' });
    const list = await json(await call('GET', `/api/v1/promo-codes?campaign_id=${campaign.id}`, { key: await makeKey(['reports:read']) }));
    expect(list.data.map((p: any) => p.id)).toEqual([promo.id]);
    expect((await call('GET', '/api/v1/promo-codes/prm_missing')).status).toBe(404);
  });

  it('refuses a request with both or neither of code and count', async () => {
    const campaign = await makeCampaign();
    for (const body of [{ campaign_id: campaign.id }, { campaign_id: campaign.id, code: 'ABCDEF', count: 3 }]) {
      const response = await call('POST', '/api/v1/promo-codes', { body });
      expect(await json(response)).toEqual({
        error: { code: 'validation_error', message: 'give either code (a vanity code) or count (generated unique codes)' },
      });
    }
  });
});
