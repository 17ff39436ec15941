/** Stripe events: a paid Checkout Session is a sale in the currency's minor units; charge.refunded refunds up to its cumulative total; the signature's timestamp must be fresh. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { at, makeRule, memberOf, setProgram } from '../support/loyalty';
import { clickOnLink, conversionOf, conversionsLike, deliver, lastTouchCredits, makeIntegration, makePromo, stripeSignature } from '../support/shop-hooks';
import { json } from '../helpers';

const SECRET = 'whsec_5Tq0m3x9YbC2kLr8VnW1aZ7pQ4sD6fGh';
const CLICKED = at('2026-11-20T08:00:00.000Z');
const NOW_MS = Date.parse('2026-11-20T12:00:00.000Z');
const NOW = () => NOW_MS;
const T = NOW_MS / 1000;

/** A Stripe event envelope around `object`, as the API version 2025 sends it. */
const stripeEventOf = (type: string, object: Record<string, unknown>, id = `evt_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`) => ({
  id,
  object: 'event',
  api_version: '2025-09-30.clover',
  created: T - 30,
  data: { object },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
});

/** A completed Checkout Session in payment mode. */
function session(fields: Record<string, unknown> = {}) {
  return {
    id: 'cs_test_a1B2c3D4e5F6g7H8i9J0',
    object: 'checkout.session',
    amount_subtotal: 5998,
    amount_total: 4999,
    currency: 'usd',
    client_reference_id: null,
    customer: 'cus_QmX4bY7zT2wK9p',
    customer_details: { email: 'Ada@Example.com', name: 'Ada Lovelace', address: { country: 'US' } },
    customer_email: null,
    metadata: {},
    mode: 'payment',
    payment_intent: 'pi_3QmX4bY7zT2wK9pA1b2C3d4',
    payment_status: 'paid',
    status: 'complete',
    created: T - 600,
    expires_at: T + 85_800,
    total_details: { amount_discount: 999, amount_shipping: 0, amount_tax: 0 },
    ...fields,
  };
}

async function send(integration: any, payload: unknown, options: { secret?: string; t?: number; header?: string | null } = {}) {
  const body = JSON.stringify(payload);
  const header = options.header === undefined ? await stripeSignature(options.secret ?? SECRET, body, options.t ?? T - 2) : options.header;
  return deliver('stripe', integration.id, body, header === null ? {} : { 'Stripe-Signature': header }, NOW);
}

const orderIdOf = (integration: any, id: string) => `stripe:${integration.id}:${id}`;

describe('POST /hooks/stripe/:id', () => {
  it('records a paid Checkout Session as a sale of its PaymentIntent: cents, click id, customer, promo from metadata', async () => {
    const integration = await makeIntegration('stripe', SECRET);
    const { campaign, link, clickId } = await clickOnLink({ utm_source: 'google', utm_medium: 'cpc' }, CLICKED);
    await makePromo('LAUNCH20');
    const response = await send(
      integration,
      stripeEventOf('checkout.session.completed', session({ client_reference_id: clickId, metadata: { tp_promo: 'launch20', plan: 'pro' } })),
    );
    expect(response.status).toBe(200);
    const stored = await conversionOf(orderIdOf(integration, 'pi_3QmX4bY7zT2wK9pA1b2C3d4'));
    expect(stored).toMatchObject({
      type: 'sale',
      value: 49.99,
      currency: 'USD',
      click_id: clickId,
      customer_hash: await customerHashOf(env as Bindings, 'stripe:cus_QmX4bY7zT2wK9p'),
      promo_code: 'launch20',
      occurred_at: '2026-11-20T11:59:30.000Z',
    });
    expect(stored.promo_touch_id).not.toBeNull();
    const firstTouch = await env.DB.prepare(
      "SELECT channel, campaign_id, link_id, weight FROM conversion_credits WHERE conversion_id = ? AND model = 'first_touch' AND weight > 0",
    )
      .bind(stored.id)
      .all();
    expect(firstTouch.results).toEqual([{ channel: 'paid', campaign_id: campaign.id, link_id: link.id, weight: 1 }]);
  });

  it('counts zero-decimal and three-decimal currencies exactly, and a guest by e-mail; a click id in metadata', async () => {
    const integration = await makeIntegration('stripe', SECRET);
    const { clickId } = await clickOnLink(undefined, CLICKED);
    const yen = session({ payment_intent: 'pi_yen', currency: 'jpy', amount_total: 12800, customer: null, metadata: { tp_click: clickId } });
    const dinar = session({ payment_intent: 'pi_kwd', currency: 'kwd', amount_total: 5125 });
    expect((await send(integration, stripeEventOf('checkout.session.completed', yen))).status).toBe(200);
    expect((await send(integration, stripeEventOf('checkout.session.completed', dinar))).status).toBe(200);
    expect(await conversionOf(orderIdOf(integration, 'pi_yen'))).toMatchObject({
      value: 12800,
      currency: 'JPY',
      click_id: clickId,
      customer_hash: await customerHashOf(env as Bindings, 'ada@example.com'),
    });
    expect(await conversionOf(orderIdOf(integration, 'pi_kwd'))).toMatchObject({ value: 5.125, currency: 'KWD' });
  });

  it('waits for an asynchronous payment: completed unpaid is ignored, async_payment_succeeded records it once', async () => {
    const integration = await makeIntegration('stripe', SECRET);
    const pending = session({ payment_intent: 'pi_sepa', payment_status: 'unpaid' });
    const ignored = await json(await send(integration, stripeEventOf('checkout.session.completed', pending)));
    expect(ignored.ignored).toBe('checkout.session.completed with payment_status unpaid');
    expect(await conversionsLike(orderIdOf(integration, 'pi_sepa'))).toBe(0);
    const paid = stripeEventOf('checkout.session.async_payment_succeeded', { ...pending, payment_status: 'paid' });
    expect((await json(await send(integration, paid))).orders[0].created).toBe(true);
    expect((await json(await send(integration, paid))).orders[0].created).toBe(false);
    expect(await conversionsLike(orderIdOf(integration, 'pi_sepa'))).toBe(1);
  });

  it('refuses a wrong, missing or stale signature with 401, writing nothing; any of several v1 signatures may match', async () => {
    const integration = await makeIntegration('stripe', SECRET);
    const event = stripeEventOf('checkout.session.completed', session({ payment_intent: 'pi_sig' }));
    const body = JSON.stringify(event);
    const good = await stripeSignature(SECRET, body, T);
    const refused = [
      await stripeSignature('whsec_not_this_endpoints_secret_00', body, T),
      await stripeSignature(SECRET, body, T - 301),
      await stripeSignature(SECRET, body, T + 301),
      good.replace(/^t=\d+/, `t=${T - 1}`),
      good.replace(',v1=', ',v0='),
      `v1=${good.split('v1=')[1]}`,
      null,
    ];
    for (const header of refused) {
      const response = await send(integration, event, { header });
      expect(response.status, String(header)).toBe(401);
      expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'The webhook signature is missing or does not match' } });
    }
    expect(await conversionsLike(orderIdOf(integration, 'pi_sig'))).toBe(0);
    // During a secret roll Stripe signs with both secrets: one match is enough.
    const rolled = `${(await stripeSignature('whsec_the_older_secret_00000000000', body, T)).replace(/^t=\d+,/, `t=${T},`)},${good.split(',')[1]}`;
    expect((await send(integration, event, { header: rolled })).status).toBe(200);
    expect(await conversionsLike(orderIdOf(integration, 'pi_sig'))).toBe(1);
  });

  it('refunds by the cumulative amount_refunded: each charge.refunded takes what is new, replays take nothing, points follow', async () => {
    await setProgram({ pending_days: 0, currency: 'USD' });
    await makeRule({ kind: 'purchase', points: 1 });
    const integration = await makeIntegration('stripe', SECRET);
    await send(integration, stripeEventOf('checkout.session.completed', session({ payment_intent: 'pi_refund', amount_total: 10000, customer: 'cus_refund' })));
    const stored = await conversionOf(orderIdOf(integration, 'pi_refund'));
    const hash = await customerHashOf(env as Bindings, 'stripe:cus_refund');
    expect(await memberOf(hash)).toMatchObject({ balance: 100 });

    const charge = (amountRefunded: number) => ({
      id: 'ch_3QmX4bY7zT2wK9pA0x1y2z3',
      object: 'charge',
      amount: 10000,
      amount_captured: 10000,
      amount_refunded: amountRefunded,
      currency: 'usd',
      paid: true,
      payment_intent: 'pi_refund',
      refunded: amountRefunded === 10000,
      status: 'succeeded',
    });
    const first = stripeEventOf('charge.refunded', charge(2500));
    expect((await json(await send(integration, first))).refunds).toEqual([
      { order_id: orderIdOf(integration, 'pi_refund'), refund_id: `stripe:${integration.id}:ch_3QmX4bY7zT2wK9pA0x1y2z3:2500`, result: 'refunded' },
    ]);
    expect(await conversionOf(orderIdOf(integration, 'pi_refund'))).toMatchObject({ refunded: 25 });
    expect(await lastTouchCredits(stored.id)).toEqual([{ channel: 'direct', campaign_id: null, link_id: null, weight: 1, revenue: 75, currency: 'USD' }]);
    expect(await memberOf(hash)).toMatchObject({ balance: 75 });

    expect((await json(await send(integration, first))).refunds[0].result).toBe('already_refunded');
    expect((await json(await send(integration, stripeEventOf('charge.refunded', charge(4000))))).refunds[0].result).toBe('refunded');
    // An older event arriving late says less than is refunded already: nothing.
    expect((await json(await send(integration, stripeEventOf('charge.refunded', charge(2500))))).refunds[0].result).toBe('already_refunded');
    expect(await conversionOf(orderIdOf(integration, 'pi_refund'))).toMatchObject({ refunded: 40 });
    expect(await memberOf(hash)).toMatchObject({ balance: 60 });
  });

  it('acknowledges event types it does not take, payment_intent.succeeded among them, writing nothing', async () => {
    const integration = await makeIntegration('stripe', SECRET);
    for (const type of ['payment_intent.succeeded', 'customer.created', 'invoice.paid']) {
      const response = await send(integration, stripeEventOf(type, { id: 'pi_other', object: 'payment_intent', amount: 100, currency: 'usd' }));
      expect(response.status).toBe(200);
      expect((await json(response)).ignored).toBe(`event type ${type} is not taken`);
    }
    expect(await conversionsLike(`stripe:${integration.id}:`)).toBe(0);
  });
});
