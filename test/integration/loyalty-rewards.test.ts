/** Rewards: managed by the admin, read with loyalty:read, redeemed with loyalty:write — points spent exactly once. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { memberRow, memberWith } from '../support/loyalty-members';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const now = () => NOW;

async function makeReward(fields: Record<string, unknown> = {}) {
  const response = await call('POST', '/api/v1/loyalty/rewards', { body: { kind: 'perk', name: 'Early preview', cost: 100, ...fields }, now });
  if (response.status !== 201) throw new Error(`reward: ${response.status} ${await response.text()}`);
  return json(response);
}

async function discountReward(fields: Record<string, unknown> = {}) {
  const campaign = await makeCampaign({ name: `Loyalty ${crypto.randomUUID().slice(0, 6)}` });
  return makeReward({ kind: 'discount', name: '5 EUR off', campaign_id: campaign.id, discount: '5 EUR', min_order_value: 20, valid_days: 30, ...fields });
}

const redeem = (rewardId: string, ref: string, key?: string) =>
  call('POST', `/api/v1/loyalty/rewards/${rewardId}/redeem`, { body: { customer_ref: ref }, key, now });

const ref = () => `cust-${crypto.randomUUID()}`;

describe('loyalty rewards: management', () => {
  it('creates a discount reward with its promo template and a perk without money value', async () => {
    const reward = await discountReward({ stock: 10, per_member_limit: 2 });
    expect(reward).toEqual({
      id: expect.stringMatching(/^rwd_/),
      name: '5 EUR off',
      description: null,
      kind: 'discount',
      cost: 100,
      stock: 10,
      redeemed: 0,
      remaining: 10,
      per_member_limit: 2,
      campaign_id: expect.stringMatching(/^cmp_/),
      discount: '5 EUR',
      min_order_value: 20,
      valid_days: 30,
      archived_at: null,
      created_at: '2026-12-02T12:00:00.000Z',
      updated_at: '2026-12-02T12:00:00.000Z',
    });
    const perk = await makeReward({ description: 'See the spring range first' });
    expect(perk).toMatchObject({ kind: 'perk', stock: null, remaining: null, campaign_id: null, discount: null, description: 'See the spring range first' });
  });

  it('refuses fields that do not fit the kind, and an unknown campaign', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ kind: 'perk', discount: '5 EUR' }, 400, 'discount: only for discount rewards (a perk has no money value)'],
      [{ kind: 'discount', discount: '5 EUR' }, 400, 'campaign_id: required for a discount reward'],
      [{ kind: 'discount', campaign_id: 'cmp_missing' }, 400, 'discount: required for a discount reward'],
      [{ kind: 'discount', campaign_id: 'cmp_missing', discount: '5 EUR' }, 422, 'campaign_id: no campaign cmp_missing'],
      [{ kind: 'perk', cost: 0 }, 400, 'cost: Too small: expected number to be >=1'],
    ];
    for (const [fields, status, message] of cases) {
      const response = await call('POST', '/api/v1/loyalty/rewards', { body: { name: 'X', cost: 10, ...fields } });
      expect([response.status, (await json(response)).error.message]).toEqual([status, message]);
    }
  });

  it('lists, reads, updates and archives; only the admin writes', async () => {
    const reward = await makeReward({ name: 'Factory tour', stock: 5 });
    const reader = await makeKey(['loyalty:read']);
    const got = await call('GET', `/api/v1/loyalty/rewards/${reward.id}`, { key: reader });
    expect((await json(got)).name).toBe('Factory tour');
    expect((await call('PATCH', `/api/v1/loyalty/rewards/${reward.id}`, { body: { cost: 5 }, key: reader })).status).toBe(403);

    const patched = await call('PATCH', `/api/v1/loyalty/rewards/${reward.id}`, { body: { cost: 250, stock: null, name: 'Factory tour for two' } });
    expect(await json(patched)).toMatchObject({ cost: 250, stock: null, remaining: null, name: 'Factory tour for two' });
    const misfit = await call('PATCH', `/api/v1/loyalty/rewards/${reward.id}`, { body: { valid_days: 3 } });
    expect((await json(misfit)).error.message).toBe('valid_days: only for discount rewards (a perk has no money value)');

    const archived = await call('POST', `/api/v1/loyalty/rewards/${reward.id}/archive`, { now });
    expect((await json(archived)).archived_at).toBe('2026-12-02T12:00:00.000Z');
    const active = await json(await call('GET', '/api/v1/loyalty/rewards?limit=200', { key: reader }));
    expect(active.data.map((r: any) => r.id)).not.toContain(reward.id);
    const all = await json(await call('GET', '/api/v1/loyalty/rewards?limit=200&include_archived=true', { key: reader }));
    expect(all.data.map((r: any) => r.id)).toContain(reward.id);
    expect((await call('GET', '/api/v1/loyalty/rewards/rwd_missing')).status).toBe(404);
  });

  it('refuses a stock below what was redeemed', async () => {
    const reward = await makeReward({ cost: 10, stock: 5 });
    const customer = ref();
    await memberWith(customer, 100);
    for (let i = 0; i < 2; i++) expect((await redeem(reward.id, customer)).status).toBe(201);
    const response = await call('PATCH', `/api/v1/loyalty/rewards/${reward.id}`, { body: { stock: 1 } });
    expect(response.status).toBe(422);
    expect((await json(response)).error.message).toBe('stock: 2 have been redeemed already');
  });
});

describe('loyalty rewards: redeeming', () => {
  it('spends the points and answers the balance; a perk has no promo code', async () => {
    const reward = await makeReward({ cost: 120 });
    const customer = ref();
    const member = await memberWith(customer, 500);
    const response = await redeem(reward.id, customer, await makeKey(['loyalty:write']));
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body).toEqual({ reward_id: reward.id, redemption_id: expect.stringMatching(/^rdm_/), balance: 380 });
    expect(await memberRow(member)).toEqual({ balance: 380, pending: 0, debt: 0, spent_total: 120 });
    const ledger = await env.DB.prepare("SELECT kind, source, points, redemption_id FROM loyalty_ledger WHERE member_id = ? AND kind = 'spend'")
      .bind(member)
      .all();
    expect(ledger.results).toEqual([{ kind: 'spend', source: 'reward', points: -120, redemption_id: body.redemption_id }]);
  });

  it('gives exactly one reward and one promo code to twenty parallel redemptions against a balance that covers one', async () => {
    const reward = await discountReward({ cost: 100 });
    const customer = ref();
    const member = await memberWith(customer, 150);
    const responses = await Promise.all(Array.from({ length: 20 }, () => redeem(reward.id, customer)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(422)]);
    const refusals = await Promise.all(responses.filter((r) => r.status === 422).map((r) => json(r)));
    expect(new Set(refusals.map((r) => JSON.stringify(r.error)))).toEqual(
      new Set([JSON.stringify({ code: 'insufficient_points', message: 'The reward costs 100 points; the member has 50' })]),
    );
    expect(await memberRow(member)).toEqual({ balance: 50, pending: 0, debt: 0, spent_total: 100 });
    const promos = await env.DB.prepare('SELECT count(*) AS n FROM promo_codes WHERE campaign_id = ?').bind(reward.campaign_id).first();
    expect(promos).toEqual({ n: 1 });
    expect(await json(await call('GET', `/api/v1/loyalty/rewards/${reward.id}`))).toMatchObject({ redeemed: 1 });
  });

  it('gives a stock of one to exactly one of twenty rich members', async () => {
    const reward = await makeReward({ cost: 10, stock: 1 });
    const customers = Array.from({ length: 20 }, ref);
    await Promise.all(customers.map((customer) => memberWith(customer, 1000)));
    const responses = await Promise.all(customers.map((customer) => redeem(reward.id, customer)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(19).fill(410)]);
    const refused = await json(responses.find((r) => r.status === 410)!);
    expect(refused).toEqual({ error: { code: 'out_of_stock', message: 'This reward is out of stock' } });
    const spent = await env.DB.prepare(
      "SELECT count(*) AS n, sum(points) AS points FROM loyalty_ledger WHERE kind = 'spend' AND redemption_id IN (SELECT id FROM loyalty_redemptions WHERE reward_id = ?)",
    )
      .bind(reward.id)
      .first();
    expect(spent).toEqual({ n: 1, points: -10 });
  });

  it('keeps to the per-member limit', async () => {
    const reward = await makeReward({ cost: 10, per_member_limit: 2 });
    const customer = ref();
    await memberWith(customer, 100);
    expect((await redeem(reward.id, customer)).status).toBe(201);
    expect((await redeem(reward.id, customer)).status).toBe(201);
    const third = await redeem(reward.id, customer);
    expect(third.status).toBe(422);
    expect(await json(third)).toEqual({ error: { code: 'member_limit_reached', message: 'This member has redeemed this reward as often as it allows' } });
    // Another member is not limited by the first one's redemptions.
    const other = ref();
    await memberWith(other, 100);
    expect(await json(await redeem(reward.id, other))).toMatchObject({ balance: 90 });
  });

  it('answers 404 for an unknown member or reward and 410 for an archived reward', async () => {
    const reward = await makeReward();
    const customer = ref();
    await memberWith(customer, 1000);
    expect(await json(await redeem(reward.id, 'nobody-here'))).toEqual({ error: { code: 'not_found', message: 'Member not found' } });
    expect((await redeem('rwd_missing', customer)).status).toBe(404);
    await call('POST', `/api/v1/loyalty/rewards/${reward.id}/archive`);
    const gone = await redeem(reward.id, customer);
    expect([gone.status, (await json(gone)).error.code]).toEqual([410, 'gone']);
  });

  it('closes the loop: the reward code validates and redeems at checkout, and its sale is attributed to the reward campaign', async () => {
    const reward = await discountReward({ cost: 50 });
    const customer = ref();
    await memberWith(customer, 80);
    const { promo_code: code } = await json(await redeem(reward.id, customer));
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const promo = await env.DB.prepare(
      'SELECT kind, count, max_redemptions, min_order_value, discount, ends_at, channel FROM promo_codes WHERE campaign_id = ?',
    )
      .bind(reward.campaign_id)
      .first();
    expect(promo).toEqual({
      kind: 'unique',
      count: 1,
      max_redemptions: 1,
      min_order_value: 20,
      discount: '5 EUR',
      ends_at: '2027-01-01T12:00:00.000Z',
      channel: 'offline',
    });

    const valid = await call('POST', '/api/v1/promo-codes/validate', { body: { code, order_value: 40 }, now });
    expect(await json(valid)).toMatchObject({ valid: true, campaign_id: reward.campaign_id, discount: '5 EUR', remaining: 1 });
    const sale = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: `order-${crypto.randomUUID()}`, customer_ref: customer, promo_code: code, value: 40, currency: 'EUR' },
      now,
    });
    expect(sale.status).toBe(201);
    expect((await json(sale)).attribution).toEqual([{ channel: 'offline', campaign_id: reward.campaign_id, link_id: null, weight: 1 }]);
    const again = await call('POST', '/api/v1/promo-codes/validate', { body: { code }, now });
    expect((await json(again)).error.code).toBe('code_used_up');
  });
});
