/** Shopify order webhooks: signed orders become sales (value, currency, customer, click, promo exactly), refunds and cancellations reverse them, once. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { at, makeRule, memberOf, setProgram } from '../support/loyalty';
import { base64Signature, clickOnLink, conversionOf, conversionsLike, deliver, lastTouchCredits, makeIntegration, makePromo } from '../support/shop-hooks';
import { json } from '../helpers';

const SECRET = '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';
const CLICKED = at('2026-11-20T08:00:00.000Z');
const NOW = at('2026-11-20T12:00:00.000Z');

/** An order as Shopify's orders/paid webhook sends it (REST Order resource, trimmed to the fields that matter plus some that do not). */
function shopifyOrder(fields: Record<string, unknown> = {}) {
  return {
    id: 5729184630912,
    admin_graphql_api_id: 'gid://shopify/Order/5729184630912',
    name: '#1042',
    order_number: 1042,
    email: 'Jon.Snow@Example.com',
    contact_email: 'Jon.Snow@Example.com',
    created_at: '2026-11-20T10:14:12+01:00',
    processed_at: '2026-11-20T10:15:00+01:00',
    updated_at: '2026-11-20T10:15:03+01:00',
    currency: 'EUR',
    presentment_currency: 'EUR',
    financial_status: 'paid',
    fulfillment_status: null,
    total_price: '199.99',
    subtotal_price: '209.99',
    total_discounts: '10.00',
    total_tax: '31.93',
    total_price_set: { shop_money: { amount: '199.99', currency_code: 'EUR' }, presentment_money: { amount: '199.99', currency_code: 'EUR' } },
    discount_codes: [{ code: 'WINTER10', amount: '10.00', type: 'fixed_amount' }],
    note: null,
    note_attributes: [
      { name: 'gift_wrap', value: 'yes' },
      { name: 'tp_click', value: 'CLICK' },
    ],
    landing_site: '/products/boots?utm_source=newsletter',
    referring_site: 'https://mail.example/',
    source_name: 'web',
    test: false,
    customer: { id: 7234561029384, email: 'jon.snow@example.com', first_name: 'Jon', last_name: 'Snow', orders_count: 3 },
    line_items: [{ id: 13938432573568, product_id: 8123456789012, title: 'Boots', quantity: 1, price: '209.99', sku: 'BOOT-42' }],
    ...fields,
  };
}

async function send(integration: any, topic: string, payload: unknown, options: { secret?: string; signature?: string | null; now?: () => number } = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'X-Shopify-Topic': topic,
    'X-Shopify-Shop-Domain': 'boots.myshopify.com',
    'X-Shopify-Webhook-Id': crypto.randomUUID(),
    'X-Shopify-API-Version': '2025-10',
  };
  const signature = options.signature === undefined ? await base64Signature(options.secret ?? SECRET, body) : options.signature;
  if (signature !== null) headers['X-Shopify-Hmac-Sha256'] = signature;
  return deliver('shopify', integration.id, body, headers, options.now ?? NOW);
}

const orderIdOf = (integration: any, id: string | number) => `shopify:${integration.id}:${id}`;

describe('POST /hooks/shopify/:id', () => {
  it('records a paid order as a sale with its value, currency, customer, click and promo redemption', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const { campaign, link, clickId } = await clickOnLink(undefined, CLICKED);
    const { campaign: promoCampaign } = await makePromo('WINTER10');
    const order = shopifyOrder({ note_attributes: [{ name: 'tp_click', value: clickId }] });

    const response = await send(integration, 'orders/paid', order);
    expect(response.status).toBe(200);
    const answer = await json(response);
    const stored = await conversionOf(orderIdOf(integration, 5729184630912));
    expect(answer).toEqual({
      received: true,
      orders: [{ order_id: orderIdOf(integration, 5729184630912), conversion_id: stored.id, created: true }],
      refunds: [],
      ignored: null,
    });
    expect(stored).toMatchObject({
      type: 'sale',
      value: 199.99,
      currency: 'EUR',
      refunded: 0,
      click_id: clickId,
      customer_hash: await customerHashOf(env as Bindings, 'shopify:7234561029384'),
      promo_code: 'WINTER10',
      occurred_at: '2026-11-20T09:15:00.000Z',
    });
    expect(stored.promo_touch_id).not.toBeNull();
    // The promo redemption happens with the order, after the click: last touch credits the code's campaign, linear shares.
    expect(await lastTouchCredits(stored.id)).toEqual([
      { channel: 'offline', campaign_id: promoCampaign.id, link_id: null, weight: 1, revenue: 199.99, currency: 'EUR' },
    ]);
    const linear = await env.DB.prepare(
      "SELECT channel, campaign_id, link_id, weight FROM conversion_credits WHERE conversion_id = ? AND model = 'linear' ORDER BY channel",
    )
      .bind(stored.id)
      .all();
    expect(linear.results).toEqual([
      { channel: 'email', campaign_id: campaign.id, link_id: link.id, weight: 0.5 },
      { channel: 'offline', campaign_id: promoCampaign.id, link_id: null, weight: 0.5 },
    ]);
    const integrationRow = await env.DB.prepare('SELECT last_received_at FROM integrations WHERE id = ?').bind(integration.id).first();
    expect(integrationRow).toEqual({ last_received_at: '2026-11-20T12:00:00.000Z' });
  });

  it('takes the click id from the landing page, records an order whose discount code Touchpoint does not know, and a guest by e-mail', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const { campaign, link, clickId } = await clickOnLink({ utm_source: 'instagram', utm_medium: 'social' }, CLICKED);
    const order = shopifyOrder({
      id: 5729184630913,
      note_attributes: [],
      landing_site: `/collections/boots?utm_source=instagram&tp_click=${clickId}`,
      discount_codes: [{ code: 'SHOPIFY-ONLY', amount: '5.00', type: 'fixed_amount' }],
      customer: null,
    });
    expect((await send(integration, 'orders/paid', order)).status).toBe(200);
    const stored = await conversionOf(orderIdOf(integration, 5729184630913));
    expect(stored).toMatchObject({ click_id: clickId, promo_code: 'SHOPIFY-ONLY', promo_touch_id: null, value: 199.99 });
    expect(stored.customer_hash).toBe(await customerHashOf(env as Bindings, 'jon.snow@example.com'));
    expect(await lastTouchCredits(stored.id)).toEqual([
      { channel: 'social', campaign_id: campaign.id, link_id: link.id, weight: 1, revenue: 199.99, currency: 'EUR' },
    ]);
  });

  it('answers the same delivery again, and orders/create of the paid order, without a second conversion', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const order = shopifyOrder({ id: 5729184630914, discount_codes: [] });
    const first = await json(await send(integration, 'orders/create', order));
    expect(first.orders[0].created).toBe(true);
    const again = await send(integration, 'orders/paid', order);
    expect(again.status).toBe(200);
    expect((await json(again)).orders).toEqual([
      { order_id: orderIdOf(integration, 5729184630914), conversion_id: first.orders[0].conversion_id, created: false },
    ]);
    expect(await conversionsLike(orderIdOf(integration, 5729184630914))).toBe(1);
  });

  it('ignores orders/create of an order not paid yet', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const response = await send(integration, 'orders/create', shopifyOrder({ id: 5729184630915, financial_status: 'pending' }));
    expect(response.status).toBe(200);
    expect((await json(response)).ignored).toBe('orders/create with financial_status pending');
    expect(await conversionsLike(`shopify:${integration.id}:`)).toBe(0);
  });

  it('refuses a wrong, foreign or missing signature with 401, writing nothing', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const order = shopifyOrder({ id: 5729184630916 });
    const tampered = await base64Signature(SECRET, JSON.stringify({ ...order, total_price: '1.00' }));
    for (const options of [{ signature: tampered }, { secret: 'shpss_another_shops_secret_000000' }, { signature: null }, { signature: '' }]) {
      const response = await send(integration, 'orders/paid', order, options);
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'The webhook signature is missing or does not match' } });
    }
    expect(await conversionsLike(`shopify:${integration.id}:`)).toBe(0);
    const integrationRow = await env.DB.prepare('SELECT last_received_at FROM integrations WHERE id = ?').bind(integration.id).first();
    expect(integrationRow).toEqual({ last_received_at: null });
  });

  it('answers 404 for an unknown integration, one of another platform, and an unknown platform', async () => {
    const woo = await makeIntegration('woocommerce', SECRET);
    const body = JSON.stringify(shopifyOrder());
    const headers = { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': await base64Signature(SECRET, body) };
    for (const path of ['shopify/int_00000000000000000000000000', `shopify/${woo.id}`, `magento/${woo.id}`]) {
      const [platform, id] = path.split('/');
      const response = await deliver(platform, id, body, headers);
      expect(response.status).toBe(404);
      expect((await json(response)).error).toEqual({ code: 'not_found', message: 'Integration not found' });
    }
  });

  it('acknowledges a topic it does not take with 200 and writes nothing', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const response = await send(integration, 'products/update', { id: 8123456789012, title: 'Boots' });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ received: true, orders: [], refunds: [], ignored: 'topic products/update is not an order topic' });
    expect(await conversionsLike(`shopify:${integration.id}:`)).toBe(0);
  });

  it('keeps 64-bit order ids exact', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const body = JSON.stringify(shopifyOrder({ discount_codes: [] })).replace('"id":5729184630912', '"id":820982911946154508');
    const headers = { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': await base64Signature(SECRET, body) };
    expect((await deliver('shopify', integration.id, body, headers, NOW)).status).toBe(200);
    expect(await conversionOf(orderIdOf(integration, '820982911946154508'))).not.toBeNull();
  });

  it('refunds a partial refund: revenue and purchase points drop by its share, once; a cancellation refunds the rest', async () => {
    await setProgram({ pending_days: 0 });
    await makeRule({ kind: 'purchase', points: 1 });
    const integration = await makeIntegration('shopify', SECRET);
    const order = shopifyOrder({ id: 5729184630917, total_price: '200.00', total_price_set: undefined, discount_codes: [], customer: { id: 99001 } });
    const conversionId = (await json(await send(integration, 'orders/paid', order))).orders[0].conversion_id;
    const hash = await customerHashOf(env as Bindings, 'shopify:99001');
    expect(await memberOf(hash)).toMatchObject({ balance: 200, earned_total: 200 });

    const refund = {
      id: 890088186047892,
      order_id: 5729184630917,
      created_at: '2026-11-21T09:00:00+01:00',
      note: 'Damaged',
      restock: false,
      refund_line_items: [{ id: 104689539, quantity: 1, line_item_id: 13938432573568, subtotal: 50, total_tax: 0 }],
      transactions: [
        { id: 389404469, order_id: 5729184630917, kind: 'refund', gateway: 'shopify_payments', status: 'success', amount: '50.00', currency: 'EUR' },
        { id: 389404470, order_id: 5729184630917, kind: 'refund', gateway: 'shopify_payments', status: 'failure', amount: '25.00', currency: 'EUR' },
      ],
      order_adjustments: [],
    };
    const later = at('2026-11-21T08:05:00.000Z');
    const refunded = await json(await send(integration, 'refunds/create', refund, { now: later }));
    expect(refunded.refunds).toEqual([
      { order_id: orderIdOf(integration, 5729184630917), refund_id: `shopify:${integration.id}:890088186047892`, result: 'refunded' },
    ]);
    expect(await conversionOf(orderIdOf(integration, 5729184630917))).toMatchObject({ value: 200, refunded: 50 });
    expect(await lastTouchCredits(conversionId)).toEqual([{ channel: 'direct', campaign_id: null, link_id: null, weight: 1, revenue: 150, currency: 'EUR' }]);
    expect(await memberOf(hash)).toMatchObject({ balance: 150 });

    // Shopify retries: the same refund again takes nothing more.
    expect((await json(await send(integration, 'refunds/create', refund, { now: later }))).refunds[0].result).toBe('already_refunded');
    expect(await conversionOf(orderIdOf(integration, 5729184630917))).toMatchObject({ refunded: 50 });

    const cancelled = await json(
      await send(integration, 'orders/cancelled', { ...order, cancelled_at: '2026-11-21T10:00:00+01:00', cancel_reason: 'customer' }, { now: later }),
    );
    expect(cancelled.refunds[0].result).toBe('refunded');
    expect(await conversionOf(orderIdOf(integration, 5729184630917))).toMatchObject({ refunded: 200 });
    expect(await lastTouchCredits(conversionId)).toEqual([{ channel: 'direct', campaign_id: null, link_id: null, weight: 1, revenue: 0, currency: 'EUR' }]);
    expect(await memberOf(hash)).toMatchObject({ balance: 0 });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE conversion_id = ?').bind(conversionId).first()).toEqual({ n: 2 });
  });

  it('acknowledges a refund of an order it never recorded, writing nothing', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const refund = { id: 77, order_id: 123, transactions: [{ kind: 'refund', status: 'success', amount: '5.00', currency: 'EUR' }] };
    const response = await send(integration, 'refunds/create', refund);
    expect(response.status).toBe(200);
    expect((await json(response)).refunds).toEqual([
      { order_id: orderIdOf(integration, 123), refund_id: `shopify:${integration.id}:77`, result: 'unknown_order' },
    ]);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE refund_key = ?').bind(`shopify:${integration.id}:77`).first()).toEqual({ n: 0 });
  });
});
