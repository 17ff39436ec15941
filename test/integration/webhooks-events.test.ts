/** Each webhook event is emitted once from the fact that causes it, with the object as the API answers it. */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '../../src/domain/vocab';
import { call, columnsHolding, json, makeCampaign } from '../helpers';
import { mintCodes } from '../support/codes';
import { hashOf, makeRule, resetLoyalty, setProgram } from '../support/loyalty';
import { convert, referralOf, rewardedCampaign, visit } from '../support/referral-fixture';
import { clearWebhooks, LOOPBACK, makeEndpoint, receiver } from '../support/webhooks';

const T0 = Date.parse('2026-06-01T09:00:00.000Z');
const clock = () => T0;

/** A receiver with an endpoint subscribed to every event; `events()` lists the messages received, parsed. */
async function subscriber(events: readonly string[] = WEBHOOK_EVENTS) {
  const hook = await receiver([200]);
  const endpoint = await makeEndpoint(hook.url, [...events]);
  return {
    endpoint,
    events: async () =>
      (await hook.requests()).map((request) => ({
        id: request.headers['webhook-id'],
        ...(JSON.parse(request.body) as { type: string; timestamp: string; data: any }),
      })),
  };
}

const post = (path: string, body: unknown, now = clock) => call('POST', path, { body, env: LOOPBACK, now });

afterEach(clearWebhooks);

describe('webhook events', () => {
  it('conversion.created: once per new conversion, not on an idempotent repeat', async () => {
    const sub = await subscriber();
    const first = await post('/api/v1/conversions', { type: 'sale', order_id: 'o-wh-1', value: 20, currency: 'EUR', customer_ref: 'cust-wh' });
    expect(first.status).toBe(201);
    const recorded = await json(first);
    expect((await post('/api/v1/conversions', { type: 'sale', order_id: 'o-wh-1', value: 20, currency: 'EUR' })).status).toBe(200);
    expect(await sub.events()).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'conversion.created',
        timestamp: '2026-06-01T09:00:00.000Z',
        data: {
          id: recorded.id,
          type: 'sale',
          order_id: 'o-wh-1',
          click_id: null,
          visitor_id: null,
          customer_hash: await hashOf('cust-wh'),
          promo_code: null,
          value: 20,
          currency: 'EUR',
          refunded: 0,
          occurred_at: '2026-06-01T09:00:00.000Z',
          lookback_days: 30,
          created_at: '2026-06-01T09:00:00.000Z',
          attribution: recorded.attribution,
        },
      },
    ]);
    expect(JSON.stringify(await sub.events())).not.toContain('cust-wh"');
  });

  it('conversion.refunded: the refund as the API answers it, with the currency', async () => {
    const recorded = await json(await post('/api/v1/conversions', { type: 'sale', order_id: 'o-wh-2', value: 40, currency: 'EUR' }));
    const sub = await subscriber(['conversion.refunded']);
    const refund = await post(`/api/v1/conversions/${recorded.id}/refund`, { amount: 10, refund_id: 'r-1' });
    expect(refund.status).toBe(201);
    expect((await post(`/api/v1/conversions/${recorded.id}/refund`, { amount: 10, refund_id: 'r-1' })).status).toBe(200);
    expect((await sub.events()).map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'conversion.refunded', data: { ...(await json(refund)), currency: 'EUR' } },
    ]);
  });

  it('code.redeemed: once per accepted action code entry, nothing for a refused one', async () => {
    const { batch, codes } = await mintCodes({ reward: 'Free coffee' });
    const sub = await subscriber();
    const accepted = await post('/api/v1/codes/redeem', { code: codes[0] });
    expect(accepted.status).toBe(200);
    expect((await post('/api/v1/codes/redeem', { code: codes[0] })).status).toBe(410);
    const events = await sub.events();
    expect(events.map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'code.redeemed',
        data: {
          code: codes[0],
          campaign_id: batch.campaign_id,
          batch_id: batch.id,
          reward: 'Free coffee',
          touch_id: expect.stringMatching(/^tpc_/),
          source: 'api',
        },
      },
    ]);
  });

  it('promo.redeemed: the redemption as the API answers it, once per order', async () => {
    const campaign = await makeCampaign();
    const promo = await json(await post('/api/v1/promo-codes', { campaign_id: campaign.id, code: 'WHSPRING' }));
    expect(promo.id).toMatch(/^prm_/);
    const sub = await subscriber(['promo.redeemed']);
    const redeemed = await post('/api/v1/promo-codes/redeem', { code: 'WHSPRING', order_id: 'o-wh-3', order_value: 30 });
    expect(redeemed.status).toBe(201);
    expect((await post('/api/v1/promo-codes/redeem', { code: 'WHSPRING', order_id: 'o-wh-3', order_value: 30 })).status).toBe(200);
    expect((await sub.events()).map(({ type, data }) => ({ type, data }))).toEqual([{ type: 'promo.redeemed', data: await json(redeemed) }]);
  });

  it('referral.rewarded: a friend’s first sale through a tell-a-friend link, with customers only as keyed hashes', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const bob = await visit(referral.code, 1);
    const sub = await subscriber(['referral.rewarded']);
    const sale = await convert(30, { order_id: 'o-wh-bob', click_id: bob.clickId, customer_ref: 'bob', value: 50 }, LOOPBACK);
    expect(sale.status).toBe(201);
    expect((await convert(31, { order_id: 'o-wh-bob', click_id: bob.clickId, customer_ref: 'bob', value: 50 }, LOOPBACK)).status).toBe(200);
    const events = await sub.events();
    expect(events.map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'referral.rewarded',
        data: {
          referral_id: expect.stringMatching(/^ref_/),
          referral_code: referral.code,
          campaign_id: campaign.id,
          referrer_hash: await hashOf('alice'),
          conversion_id: (await json(sale)).id,
          customer_hash: await hashOf('bob'),
          value: 50,
          currency: 'EUR',
          reward_promo_code_id: expect.stringMatching(/^prm_/),
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/"(alice|bob)"/);
  });

  it('loyalty.points_earned and loyalty.tier_changed: once per booked occasion', async () => {
    await resetLoyalty();
    await setProgram({ tiers: [{ name: 'Gold', min_points_12m: 40, multiplier: 1 }] });
    const rule = await makeRule({ kind: 'review', points: 50 });
    const sub = await subscriber(['loyalty.points_earned', 'loyalty.tier_changed']);
    const body = { customer_ref: 'cust-loyal', type: 'review', idempotency_key: 'rev-1' };
    const booked = await post('/api/v1/loyalty/events', body);
    expect(booked.status).toBe(201);
    expect((await post('/api/v1/loyalty/events', body)).status).toBe(200);
    const event = await json(booked);
    const member = await env.DB.prepare('SELECT id FROM loyalty_members WHERE customer_hash = ?')
      .bind(await hashOf('cust-loyal'))
      .first<{ id: string }>();
    expect((await sub.events()).map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'loyalty.points_earned',
        data: {
          event_id: event.id,
          customer_hash: await hashOf('cust-loyal'),
          type: 'review',
          name: null,
          points: 50,
          status: event.status,
          entries: [{ rule_id: rule.id, points: 50 }],
          conversion_id: null,
          code_entry_id: null,
          occurred_at: '2026-06-01T09:00:00.000Z',
        },
      },
      {
        type: 'loyalty.tier_changed',
        data: { member_id: member!.id, customer_hash: await hashOf('cust-loyal'), from: null, to: 'Gold', points_12m: 50, event_id: event.id },
      },
    ]);
    await resetLoyalty();
  });

  it('loyalty.reward_redeemed: the redemption with the member and the points it cost', async () => {
    await resetLoyalty();
    await setProgram();
    await makeRule({ kind: 'review', points: 150 });
    await post('/api/v1/loyalty/events', { customer_ref: 'cust-rw', type: 'review', idempotency_key: 'rev-rw' });
    const reward = await json(await post('/api/v1/loyalty/rewards', { kind: 'perk', name: 'Early preview', cost: 100 }));
    const sub = await subscriber(['loyalty.reward_redeemed']);
    const redeemed = await post(`/api/v1/loyalty/rewards/${reward.id}/redeem`, { customer_ref: 'cust-rw' });
    expect(redeemed.status).toBe(201);
    const member = await env.DB.prepare('SELECT id FROM loyalty_members WHERE customer_hash = ?')
      .bind(await hashOf('cust-rw'))
      .first<{ id: string }>();
    const answer = await json(redeemed);
    expect((await sub.events()).map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'loyalty.reward_redeemed',
        data: { ...answer, promo_code: null, member_id: member!.id, cost: 100, redeemed_at: '2026-06-01T09:00:00.000Z' },
      },
    ]);
    await resetLoyalty();
  });

  it('draw.completed: the draw as GET /api/v1/draws/:id answers it after its run, once', async () => {
    const starts = '2026-05-01T00:00:00.000Z';
    const ends = '2026-05-08T00:00:00.000Z';
    const draw = await json(
      await post('/api/v1/draws', { name: 'Spring draw', source: 'events', event_type: 'survey', prizes: 1, starts_at: starts, ends_at: ends }, () =>
        Date.parse(starts),
      ),
    );
    const sub = await subscriber(['draw.completed']);
    expect((await post(`/api/v1/draws/${draw.id}/run`, {})).status).toBe(200);
    expect((await post(`/api/v1/draws/${draw.id}/run`, {})).status).toBe(200);
    const shown = await json(await call('GET', `/api/v1/draws/${draw.id}`, { now: clock }));
    expect((await sub.events()).map(({ type, data }) => ({ type, data }))).toEqual([{ type: 'draw.completed', data: shown }]);
  });

  it('link.created: one message per link of a bulk, each with its own webhook-id', async () => {
    const campaign = await makeCampaign();
    const sub = await subscriber(['link.created']);
    const bulk = await post('/api/v1/links/bulk', {
      links: [
        { campaign_id: campaign.id, destination: 'https://shop.example/a', slug: 'wh-bulk-a' },
        { campaign_id: campaign.id, destination: 'https://shop.example/b', slug: 'wh-bulk-b' },
      ],
    });
    expect(bulk.status).toBe(201);
    const links = (await json(bulk)).data.map(({ short_url: _s, qr_url: _q, ...rest }: any) => rest);
    const events = await sub.events();
    expect(events.map(({ type, data }) => ({ type, data })).sort((a, b) => a.data.slug.localeCompare(b.data.slug))).toEqual(
      links.map((data: any) => ({ type: 'link.created', data })),
    );
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it('erasing a customer replaces their hash in stored webhook bodies too', async () => {
    const sub = await subscriber(['conversion.created']);
    await post('/api/v1/conversions', { type: 'sale', order_id: 'o-wh-erase', value: 5, currency: 'EUR', customer_ref: 'cust-erase' });
    expect((await sub.events())[0].data.customer_hash).toBe(await hashOf('cust-erase'));
    const erased = await call('DELETE', '/api/v1/customers/cust-erase');
    expect((await json(erased)).rows.webhook_deliveries).toBe(1);
    expect(await columnsHolding(await hashOf('cust-erase'), 'contains')).toEqual([]);
  });

  it('writes nothing when no enabled endpoint subscribes to the event', async () => {
    const sub = await subscriber(['draw.completed']);
    await post('/api/v1/conversions', { type: 'lead', order_id: 'o-wh-none' });
    await call('PATCH', `/api/v1/webhooks/${sub.endpoint.id}`, { body: { enabled: false } });
    await post('/api/v1/links', { campaign_id: (await makeCampaign()).id, destination: 'https://shop.example/none' });
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM webhook_deliveries').first<{ n: number }>();
    expect(rows!.n).toBe(0);
    expect(await sub.events()).toEqual([]);
  });
});
