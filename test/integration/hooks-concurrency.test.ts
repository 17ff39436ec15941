/**
 * Shop webhooks delivered at the same moment (platforms retry while the first attempt still runs, and send
 * several refund events of one order in a burst): the same delivery twice at once is one conversion and one
 * refund; refunds that race each other are each decided on the order as it is when written.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { at } from '../support/loyalty';
import { base64Signature, conversionOf, conversionsLike, deliver, makeIntegration, makePromo, stripeSignature } from '../support/shop-hooks';
import { json } from '../helpers';

const NOW = at('2026-11-20T12:00:00.000Z');
const T = NOW() / 1000;
const SHOPIFY_SECRET = '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';
const STRIPE_SECRET = 'whsec_Concurrency0123456789abcdefABCDEF';

async function shopify(integration: any, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const headers = { 'X-Shopify-Topic': topic, 'X-Shopify-Hmac-Sha256': await base64Signature(SHOPIFY_SECRET, body) };
  return deliver('shopify', integration.id, body, headers, NOW);
}

async function stripe(integration: any, type: string, object: Record<string, unknown>) {
  const body = JSON.stringify({ id: `evt_${crypto.randomUUID().slice(0, 8)}`, object: 'event', created: T - 30, type, data: { object } });
  return deliver('stripe', integration.id, body, { 'Stripe-Signature': await stripeSignature(STRIPE_SECRET, body, T - 2) }, NOW);
}

const refundCount = async (conversionId: string): Promise<number> =>
  (await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE conversion_id = ?').bind(conversionId).first<{ n: number }>())!.n;

const shopifyOrder = (id: number) => ({
  id,
  email: 'ann@example.com',
  processed_at: '2026-11-20T10:15:00Z',
  currency: 'EUR',
  financial_status: 'paid',
  total_price: '100.00',
  discount_codes: [],
  customer: { id: 4242 },
});

const shopifyRefund = (id: number, orderId: number, amount: string) => ({
  id,
  order_id: orderId,
  transactions: [{ id: id + 1, kind: 'refund', status: 'success', amount, currency: 'EUR' }],
});

describe('shop webhooks at the same moment', () => {
  it('records the same order delivered twice at once as one conversion, and refunds the same refund once', async () => {
    const integration = await makeIntegration('shopify', SHOPIFY_SECRET);
    const { promo } = await makePromo('RACE10');
    const order = { ...shopifyOrder(6100000000001), discount_codes: [{ code: 'RACE10', amount: '10.00', type: 'fixed_amount' }] };
    const answers = await Promise.all([shopify(integration, 'orders/paid', order), shopify(integration, 'orders/paid', order)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const [first, second] = await Promise.all(answers.map(json));
    expect(second.orders[0].conversion_id).toBe(first.orders[0].conversion_id);
    expect([first.orders[0].created, second.orders[0].created].sort()).toEqual([false, true]);
    expect(await conversionsLike(`shopify:${integration.id}:`)).toBe(1);
    const redemptions = await env.DB.prepare('SELECT order_id FROM promo_redemptions WHERE promo_code_id = ?').bind(promo.id).all();
    expect(redemptions.results).toEqual([{ order_id: `shopify:${integration.id}:6100000000001` }]);

    const refund = shopifyRefund(7100000000001, 6100000000001, '30.00');
    const refunds = await Promise.all([shopify(integration, 'refunds/create', refund), shopify(integration, 'refunds/create', refund)]);
    const results = (await Promise.all(refunds.map(json))).map((answer) => answer.refunds[0].result);
    expect(results.sort()).toEqual(['already_refunded', 'refunded']);
    expect(await conversionOf(`shopify:${integration.id}:6100000000001`)).toMatchObject({ value: 100, refunded: 30 });
    expect(await refundCount(first.orders[0].conversion_id)).toBe(1);
  });

  it('refunds the rest when a refund a cent above what is left races another refund of the order', async () => {
    const integration = await makeIntegration('shopify', SHOPIFY_SECRET);
    const conversionId = (await json(await shopify(integration, 'orders/paid', shopifyOrder(6100000000002)))).orders[0].conversion_id;
    // Shopify's rounding: 30.00 and 70.01 of a 100.00 order; the second must refund the rest, whichever is written first.
    const answers = await Promise.all([
      shopify(integration, 'refunds/create', shopifyRefund(7100000000010, 6100000000002, '30.00')),
      shopify(integration, 'refunds/create', shopifyRefund(7100000000020, 6100000000002, '70.01')),
    ]);
    expect((await Promise.all(answers.map(json))).map((answer) => answer.refunds[0].result)).toEqual(['refunded', 'refunded']);
    expect(await conversionOf(`shopify:${integration.id}:6100000000002`)).toMatchObject({ value: 100, refunded: 100 });
    expect(await refundCount(conversionId)).toBe(2);
  });

  it('refunds up to the larger cumulative amount_refunded when two charge.refunded events of one charge arrive at once', async () => {
    const integration = await makeIntegration('stripe', STRIPE_SECRET);
    const session = {
      id: 'cs_test_race',
      object: 'checkout.session',
      amount_total: 10000,
      currency: 'usd',
      customer: 'cus_race',
      payment_intent: 'pi_race',
      payment_status: 'paid',
      metadata: {},
    };
    expect((await stripe(integration, 'checkout.session.completed', session)).status).toBe(200);
    const charge = (refunded: number) => ({
      id: 'ch_race',
      object: 'charge',
      amount: 10000,
      amount_refunded: refunded,
      currency: 'usd',
      payment_intent: 'pi_race',
    });
    const answers = await Promise.all([stripe(integration, 'charge.refunded', charge(2500)), stripe(integration, 'charge.refunded', charge(4000))]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    // 40.00 refunded in all at Stripe: never 25 + 40.
    expect(await conversionOf(`stripe:${integration.id}:pi_race`)).toMatchObject({ value: 100, refunded: 40 });
  });
});
