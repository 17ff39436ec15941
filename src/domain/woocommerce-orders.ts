/**
 * WooCommerce order webhooks (REST API v3 order payloads; topic in X-WC-Webhook-Topic): `order.created` and
 * `order.updated` of an order `processing` or `completed` are sales (WooCommerce sends an update on every
 * change, so the same order arrives many times: conversions are idempotent on it). Each entry of the order's
 * `refunds` array is a refund (its `total` is negative); status `refunded` or `cancelled` refunds all that is left.
 */
import { parseDecimalAmount } from './minor-units';
import {
  CLICK_ID_FIELD,
  clickIdOf,
  codesOf,
  currencyOf,
  idText,
  ignoredEvent,
  list,
  platformCustomerRef,
  record,
  timeOf,
  type ShopEvent,
  type ShopOrder,
  type ShopRefund,
} from './shop-orders';

const PAID_STATUSES = new Set(['processing', 'completed']);
const ENDED_STATUSES = new Set(['refunded', 'cancelled']);

/** The click id in the order's meta data (`tp_click`, or the hidden `_tp_click`). */
function wooClickId(order: Record<string, unknown>): string | null {
  for (const meta of list(order.meta_data)) {
    const { key, value } = record(meta);
    if (key === CLICK_ID_FIELD || key === `_${CLICK_ID_FIELD}`) {
      const id = clickIdOf(value);
      if (id) return id;
    }
  }
  return null;
}

function wooOrder(order: Record<string, unknown>, orderId: string): ShopOrder | null {
  const value = parseDecimalAmount(order.total);
  const currency = currencyOf(order.currency);
  if (value === null || value < 0 || !currency) return null;
  return {
    orderId,
    value,
    currency,
    clickId: wooClickId(order),
    customerRef: platformCustomerRef('woocommerce', order.customer_id, record(order.billing).email),
    promoCodes: codesOf(list(order.coupon_lines).map((coupon) => record(coupon).code)),
    occurredAt: timeOf(order.date_paid_gmt) ?? timeOf(order.date_created_gmt),
  };
}

function wooRefunds(order: Record<string, unknown>, orderId: string, currency: string | null): ShopRefund[] {
  const refunds: ShopRefund[] = [];
  for (const entry of list(order.refunds)) {
    const refund = record(entry);
    const refundId = idText(refund.id);
    const total = parseDecimalAmount(refund.total);
    if (refundId && total !== null && total !== 0) refunds.push({ orderId, refundId, amount: Math.abs(total), refundedTotal: null, currency });
  }
  if (ENDED_STATUSES.has(String(order.status))) refunds.push({ orderId, refundId: String(order.status), amount: null, refundedTotal: null, currency });
  return refunds;
}

/** The ShopEvent of a WooCommerce webhook of `topic` with body `payload`. */
export function wooCommerceEvent(topic: string, payload: unknown): ShopEvent {
  if (topic !== 'order.created' && topic !== 'order.updated') return ignoredEvent(`topic ${topic || '(none)'} is not an order topic`);
  const body = record(payload);
  const orderId = idText(body.id);
  if (!orderId) return ignoredEvent(`${topic} without id`);
  const order = PAID_STATUSES.has(String(body.status)) ? wooOrder(body, orderId) : null;
  const refunds = wooRefunds(body, orderId, currencyOf(body.currency));
  if (!order && refunds.length === 0) return ignoredEvent(`${topic} of an order ${String(body.status)}`);
  return { orders: order ? [order] : [], refunds, ignored: null };
}
