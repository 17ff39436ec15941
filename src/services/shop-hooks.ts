/**
 * Inbound order webhooks of Shopify, WooCommerce and Stripe (`POST /hooks/<platform>/:id`): the integration's
 * signature checked over the raw body (nothing is read or written before it holds), the payload mapped to paid
 * orders and refunds (domain/*-orders.ts), each order recorded as a `sale` through recordConversion and each
 * refund applied through refundConversion. Platforms retry and repeat: an order is idempotent on its conversion
 * order_id `<platform>:<integration>:<order id>`, a refund on its refund_id alike. What the payload does not
 * make a sale or refund — an unknown topic, an order Touchpoint never saw refunded — is acknowledged and logged.
 */
import type { Db } from '../db/client';
import { findIntegrationById, findOrderConversion, touchIntegration, type Integration } from '../db/integrations';
import { platformOrderId, platformRefundId, type ShopEvent, type ShopOrder, type ShopRefund } from '../domain/shop-orders';
import { shopifyEvent } from '../domain/shopify-orders';
import { stripeEvent } from '../domain/stripe-events';
import type { IntegrationPlatform } from '../domain/vocab';
import { wooCommerceEvent } from '../domain/woocommerce-orders';
import type { Bindings } from '../env';
import { ApiError, notFound } from '../lib/errors';
import { parseExactJson } from '../lib/exact-json';
import { verifyBase64Hmac, verifyStripeSignature } from '../lib/shop-signatures';
import { integrationSecret } from './integrations';
import { recordConversion, redeemConversionPromo, type PromoRedeemer } from './record-conversion';
import { refundConversion } from './refunds';

export interface HookDelivery {
  platform: IntegrationPlatform;
  integrationId: string;
  body: Uint8Array;
  headers: Headers;
}

export interface HookAnswer {
  received: true;
  orders: Array<{ order_id: string; conversion_id: string; created: boolean }>;
  refunds: Array<{ order_id: string; refund_id: string; result: 'refunded' | 'already_refunded' | 'unknown_order' | 'refused' }>;
  ignored: string | null;
}

/** WooCommerce's ping when a webhook is saved: `webhook_id=<n>`, form-encoded and unsigned. */
const isWooPing = (delivery: HookDelivery): boolean =>
  delivery.platform === 'woocommerce' &&
  !delivery.headers.get('X-WC-Webhook-Signature') &&
  /^webhook_id=\d+$/.test(new TextDecoder().decode(delivery.body).trim());

async function verified(secret: string, delivery: HookDelivery, now: number): Promise<boolean> {
  switch (delivery.platform) {
    case 'shopify':
      return verifyBase64Hmac(secret, delivery.body, delivery.headers.get('X-Shopify-Hmac-Sha256'));
    case 'woocommerce':
      return verifyBase64Hmac(secret, delivery.body, delivery.headers.get('X-WC-Webhook-Signature'));
    case 'stripe':
      return verifyStripeSignature(secret, delivery.body, delivery.headers.get('Stripe-Signature'), now);
  }
}

function eventOf(delivery: HookDelivery, payload: unknown): ShopEvent {
  switch (delivery.platform) {
    case 'shopify':
      return shopifyEvent(delivery.headers.get('X-Shopify-Topic') ?? '', payload);
    case 'woocommerce':
      return wooCommerceEvent(delivery.headers.get('X-WC-Webhook-Topic') ?? '', payload);
    case 'stripe':
      return stripeEvent(payload);
  }
}

/**
 * Redeems the first of the order's discount codes that Touchpoint knows and accepts. The shop has taken the
 * order already: a code Touchpoint does not know (or would refuse) leaves the order recorded without a redemption.
 */
const redeemFirstAccepted =
  (codes: readonly string[]): PromoRedeemer =>
  async (db, env, request) => {
    for (const code of codes) {
      try {
        return await redeemConversionPromo(db, env, { ...request, code });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    }
    return null;
  };

async function recordOrder(db: Db, env: Bindings, integration: Integration, order: ShopOrder, now: number): Promise<HookAnswer['orders'][number]> {
  const orderId = platformOrderId(integration.platform, integration.id, order.orderId);
  const known = await findOrderConversion(db, orderId);
  if (known) return { order_id: orderId, conversion_id: known.id, created: false };
  const recorded = await recordConversion(
    db,
    env,
    {
      type: 'sale',
      orderId,
      clickId: order.clickId,
      visitorId: null,
      customerRef: order.customerRef,
      promoCode: order.promoCodes[0] ?? null,
      value: order.value,
      currency: order.currency,
      // A clock a little ahead at the platform must not date a sale in the future.
      occurredAt: Math.min(order.occurredAt ?? now, now),
    },
    now,
    redeemFirstAccepted(order.promoCodes),
  );
  return { order_id: orderId, conversion_id: recorded.id, created: recorded.created };
}

async function applyRefund(db: Db, env: Bindings, integration: Integration, refund: ShopRefund, now: number): Promise<HookAnswer['refunds'][number]> {
  const orderId = platformOrderId(integration.platform, integration.id, refund.orderId);
  const refundId = platformRefundId(integration.platform, integration.id, refund.refundId);
  const answer = (result: HookAnswer['refunds'][number]['result']) => ({ order_id: orderId, refund_id: refundId, result });
  const conversion = await findOrderConversion(db, orderId);
  if (!conversion) {
    console.log(`hooks: ${integration.platform} refund ${refundId} of ${orderId}, an order Touchpoint never recorded: ignored`);
    return answer('unknown_order');
  }
  if (refund.currency && conversion.currency && refund.currency !== conversion.currency) {
    console.log(`hooks: refund ${refundId} in ${refund.currency} of ${orderId} in ${conversion.currency}: ignored`);
    return answer('refused');
  }
  try {
    const request = { amount: refund.amount, refundedTotal: refund.refundedTotal, upToRemaining: true, refundId, currency: null };
    const { created } = await refundConversion(db, conversion.id, request, now, env.ARCHIVE ?? null);
    return answer(created ? 'refunded' : 'already_refunded');
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'unprocessable') throw error;
    // Refused as the order is now: refunded in full, or (Stripe) up to this event's total already, is no refusal.
    const after = await findOrderConversion(db, orderId);
    if (after && after.value !== null && (after.refunded >= after.value || (refund.refundedTotal !== null && after.refunded >= refund.refundedTotal)))
      return answer('already_refunded');
    console.log(`hooks: refund ${refundId} of ${orderId} not applied: ${error.message}`);
    return answer('refused');
  }
}

/**
 * Takes one delivery: 404 for an unknown integration (or one of another platform), 401 unless the signature
 * holds, then the orders and refunds it carries; answers what was done.
 */
export async function receiveShopHook(db: Db, env: Bindings, delivery: HookDelivery, now: number): Promise<HookAnswer> {
  const integration = await findIntegrationById(db, delivery.integrationId);
  if (!integration || integration.platform !== delivery.platform) throw notFound('Integration');
  if (isWooPing(delivery)) return { received: true, orders: [], refunds: [], ignored: 'ping' };
  const secret = await integrationSecret(env, integration);
  if (secret === null) {
    console.error(`hooks: the signing secret of integration ${integration.id} does not open (was SECRETS_KEY changed?)`);
    throw new ApiError('unavailable', 'This integration’s signing secret cannot be read; rotate it');
  }
  if (!(await verified(secret, delivery, now))) throw new ApiError('unauthorized', 'The webhook signature is missing or does not match');

  let payload: unknown;
  try {
    payload = parseExactJson(new TextDecoder().decode(delivery.body));
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON');
  }
  const event = eventOf(delivery, payload);
  await touchIntegration(db, integration.id, now);
  if (event.ignored) console.log(`hooks: ${integration.platform} delivery to ${integration.id} ignored: ${event.ignored}`);
  const orders = [];
  for (const order of event.orders) orders.push(await recordOrder(db, env, integration, order, now));
  const refunds = [];
  for (const refund of event.refunds) refunds.push(await applyRefund(db, env, integration, refund, now));
  return { received: true, orders, refunds, ignored: event.ignored };
}
