/** WooCommerce order webhooks: a processing or completed order is a sale; its refunds array and the refunded or cancelled status reverse it, once; the ping on saving a hook is answered. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { at, makeRule, memberOf, setProgram } from '../support/loyalty';
import { base64Signature, clickOnLink, conversionOf, conversionsLike, deliver, lastTouchCredits, makeIntegration, makePromo } from '../support/shop-hooks';
import { call, json } from '../helpers';

const SECRET = 'wc-webhook-secret-8d1f3a';
const CLICKED = at('2026-11-20T08:00:00.000Z');
const NOW = at('2026-11-20T12:00:00.000Z');

/** An order as WooCommerce's order.created / order.updated webhook sends it (REST API v3 order). */
function wooOrder(fields: Record<string, unknown> = {}) {
  return {
    id: 727,
    parent_id: 0,
    number: '727',
    order_key: 'wc_order_58d2d042d1d',
    created_via: 'checkout',
    version: '9.4.2',
    status: 'processing',
    currency: 'EUR',
    date_created: '2026-11-20T10:20:00',
    date_created_gmt: '2026-11-20T09:20:00',
    date_modified_gmt: '2026-11-20T09:21:00',
    discount_total: '5.00',
    shipping_total: '4.90',
    total: '64.90',
    total_tax: '10.36',
    prices_include_tax: true,
    customer_id: 26,
    customer_note: '',
    billing: { first_name: 'Erika', last_name: 'Mustermann', email: 'Erika@Example.de', country: 'DE' },
    payment_method: 'stripe',
    transaction_id: 'pi_3QmWoo',
    date_paid: '2026-11-20T10:21:00',
    date_paid_gmt: '2026-11-20T09:21:00',
    meta_data: [
      { id: 13106, key: '_wc_order_attribution_source_type', value: 'utm' },
      { id: 13107, key: 'tp_click', value: 'CLICK' },
    ],
    line_items: [{ id: 315, name: 'Kaffeebohnen 1 kg', product_id: 93, quantity: 2, subtotal: '30.00', total: '27.50' }],
    coupon_lines: [{ id: 318, code: 'kaffee5', discount: '5.00', discount_tax: '0.00' }],
    refunds: [],
    ...fields,
  };
}

async function send(integration: any, topic: string, payload: unknown, options: { secret?: string; signature?: string | null } = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'X-WC-Webhook-Source': 'https://kaffee.example/',
    'X-WC-Webhook-Topic': topic,
    'X-WC-Webhook-Resource': topic.split('.')[0],
    'X-WC-Webhook-Event': topic.split('.')[1] ?? '',
    'X-WC-Webhook-ID': '12',
    'X-WC-Webhook-Delivery-ID': crypto.randomUUID(),
  };
  const signature = options.signature === undefined ? await base64Signature(options.secret ?? SECRET, body) : options.signature;
  if (signature !== null) headers['X-WC-Webhook-Signature'] = signature;
  return deliver('woocommerce', integration.id, body, headers, NOW);
}

const orderIdOf = (integration: any, id: number) => `woocommerce:${integration.id}:${id}`;

describe('POST /hooks/woocommerce/:id', () => {
  it('answers the unsigned ping WooCommerce sends when a hook is saved, writing nothing', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    const response = await call('POST', `/hooks/woocommerce/${integration.id}`, {
      key: null,
      rawBody: 'webhook_id=12',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ received: true, orders: [], refunds: [], ignored: 'ping' });
    // Anything else unsigned is refused.
    const forged = await call('POST', `/hooks/woocommerce/${integration.id}`, {
      key: null,
      rawBody: JSON.stringify(wooOrder()),
      headers: { 'X-WC-Webhook-Topic': 'order.created' },
    });
    expect(forged.status).toBe(401);
    expect(await conversionsLike(`woocommerce:${integration.id}:`)).toBe(0);
  });

  it('records a processing order as a sale with its total, currency, customer, click from meta_data and coupon', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    const { campaign, link, clickId } = await clickOnLink({ utm_source: 'facebook', utm_medium: 'social' }, CLICKED);
    const { promo } = await makePromo('KAFFEE5');
    const order = wooOrder({ meta_data: [{ id: 13107, key: '_tp_click', value: clickId }] });
    const response = await send(integration, 'order.created', order);
    expect(response.status).toBe(200);
    const stored = await conversionOf(orderIdOf(integration, 727));
    expect(stored).toMatchObject({
      type: 'sale',
      value: 64.9,
      currency: 'EUR',
      click_id: clickId,
      customer_hash: await customerHashOf(env as Bindings, 'woocommerce:26'),
      promo_code: 'kaffee5',
      occurred_at: '2026-11-20T09:21:00.000Z',
    });
    const redemptions = await env.DB.prepare('SELECT count(*) AS n FROM promo_redemptions WHERE promo_code_id = ?').bind(promo.id).first();
    expect(redemptions).toEqual({ n: 1 });
    const firstTouch = await env.DB.prepare(
      "SELECT channel, campaign_id, link_id FROM conversion_credits WHERE conversion_id = ? AND model = 'first_touch' AND weight > 0",
    )
      .bind(stored.id)
      .all();
    expect(firstTouch.results).toEqual([{ channel: 'social', campaign_id: campaign.id, link_id: link.id }]);

    // WooCommerce sends order.updated on every change: still one conversion, one redemption.
    expect((await json(await send(integration, 'order.updated', { ...order, status: 'completed' }))).orders[0].created).toBe(false);
    expect(await conversionsLike(orderIdOf(integration, 727))).toBe(1);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM promo_redemptions WHERE promo_code_id = ?').bind(promo.id).first()).toEqual({ n: 1 });
  });

  it('ignores an order not paid yet, and records a guest by e-mail once paid', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    const pending = wooOrder({ id: 728, status: 'pending', customer_id: 0, date_paid_gmt: null, coupon_lines: [] });
    expect((await json(await send(integration, 'order.created', pending))).ignored).toBe('order.created of an order pending');
    expect(await conversionsLike(orderIdOf(integration, 728))).toBe(0);
    await send(integration, 'order.updated', { ...pending, status: 'processing' });
    expect(await conversionOf(orderIdOf(integration, 728))).toMatchObject({
      customer_hash: await customerHashOf(env as Bindings, 'erika@example.de'),
      occurred_at: '2026-11-20T09:20:00.000Z',
      click_id: null,
    });
  });

  it('refuses a wrong or missing signature with 401, writing nothing', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    for (const options of [{ secret: 'another-sites-secret' }, { signature: null }, { signature: 'bm90IGEgc2lnbmF0dXJl' }]) {
      const response = await send(integration, 'order.created', wooOrder({ id: 729 }), options);
      expect(response.status).toBe(401);
      expect((await json(response)).error.code).toBe('unauthorized');
    }
    expect(await conversionsLike(orderIdOf(integration, 729))).toBe(0);
  });

  it('refunds each entry of the refunds array once, then the rest when the status turns refunded; points follow', async () => {
    await setProgram({ pending_days: 0 });
    await makeRule({ kind: 'purchase', points: 2 });
    const integration = await makeIntegration('woocommerce', SECRET);
    const order = wooOrder({ id: 730, total: '80.00', coupon_lines: [], customer_id: 41 });
    const conversionId = (await json(await send(integration, 'order.created', order))).orders[0].conversion_id;
    const hash = await customerHashOf(env as Bindings, 'woocommerce:41');
    expect(await memberOf(hash)).toMatchObject({ balance: 160 });

    const partly = { ...order, refunds: [{ id: 731, reason: 'Bag torn', total: '-20.00' }] };
    expect((await json(await send(integration, 'order.updated', partly))).refunds).toEqual([
      { order_id: orderIdOf(integration, 730), refund_id: `woocommerce:${integration.id}:731`, result: 'refunded' },
    ]);
    expect(await conversionOf(orderIdOf(integration, 730))).toMatchObject({ value: 80, refunded: 20 });
    expect(await lastTouchCredits(conversionId)).toEqual([{ channel: 'direct', campaign_id: null, link_id: null, weight: 1, revenue: 60, currency: 'EUR' }]);
    expect(await memberOf(hash)).toMatchObject({ balance: 120 });

    // The next update repeats the array: nothing more.
    expect((await json(await send(integration, 'order.updated', { ...partly, status: 'completed' }))).refunds[0].result).toBe('already_refunded');
    expect(await conversionOf(orderIdOf(integration, 730))).toMatchObject({ refunded: 20 });

    const ended = { ...partly, status: 'refunded', refunds: [{ id: 732, reason: '', total: '-60.00' }, ...partly.refunds] };
    const answer = await json(await send(integration, 'order.updated', ended));
    expect(answer.refunds.map((refund: any) => refund.result)).toEqual(['refunded', 'already_refunded', 'already_refunded']);
    expect(await conversionOf(orderIdOf(integration, 730))).toMatchObject({ refunded: 80 });
    expect(await memberOf(hash)).toMatchObject({ balance: 0 });
  });

  it('refunds all of a cancelled order it recorded, and ignores a cancelled order it never saw', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    const order = wooOrder({ id: 733, coupon_lines: [] });
    await send(integration, 'order.created', order);
    expect((await json(await send(integration, 'order.updated', { ...order, status: 'cancelled' }))).refunds[0].result).toBe('refunded');
    expect(await conversionOf(orderIdOf(integration, 733))).toMatchObject({ value: 64.9, refunded: 64.9 });
    const never = await json(await send(integration, 'order.updated', wooOrder({ id: 734, status: 'cancelled' })));
    expect(never.refunds).toEqual([{ order_id: orderIdOf(integration, 734), refund_id: `woocommerce:${integration.id}:cancelled`, result: 'unknown_order' }]);
    expect(await conversionsLike(orderIdOf(integration, 734))).toBe(0);
  });

  it('acknowledges topics it does not take', async () => {
    const integration = await makeIntegration('woocommerce', SECRET);
    for (const topic of ['product.updated', 'order.deleted', 'customer.created']) {
      const response = await send(integration, topic, { id: 93 });
      expect(response.status).toBe(200);
      expect((await json(response)).ignored).toBe(`topic ${topic} is not an order topic`);
    }
  });
});
