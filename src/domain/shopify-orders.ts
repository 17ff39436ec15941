/**
 * Shopify order webhooks (REST payloads; topic in X-Shopify-Topic): `orders/paid` — and `orders/create` of an
 * order already paid — are sales; `refunds/create` refunds what its successful refund transactions returned;
 * `orders/cancelled` refunds all that is left. Money is what the customer paid: `total_price_set.presentment_money`
 * (the currency the refund transactions are in), else `total_price` in `currency`.
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
} from './shop-orders';

/** The click id of an order: its note attribute `tp_click`, else the `tp_click` query of the landing page. */
function shopifyClickId(order: Record<string, unknown>): string | null {
  for (const attribute of list(order.note_attributes)) {
    const { name, value } = record(attribute);
    if (name === CLICK_ID_FIELD || name === `_${CLICK_ID_FIELD}`) {
      const id = clickIdOf(value);
      if (id) return id;
    }
  }
  const landing = order.landing_site;
  if (typeof landing !== 'string' || landing === '') return null;
  try {
    return clickIdOf(new URL(landing, 'https://shop.invalid').searchParams.get(CLICK_ID_FIELD));
  } catch {
    return null;
  }
}

function shopifyOrder(order: Record<string, unknown>): ShopOrder | null {
  const orderId = idText(order.id);
  const presentment = record(record(order.total_price_set).presentment_money);
  const fromSet = parseDecimalAmount(presentment.amount);
  const value = fromSet ?? parseDecimalAmount(order.total_price);
  const currency = fromSet !== null ? currencyOf(presentment.currency_code) : currencyOf(order.currency);
  if (!orderId || value === null || value < 0 || !currency) return null;
  return {
    orderId,
    value,
    currency,
    clickId: shopifyClickId(order),
    customerRef: platformCustomerRef('shopify', record(order.customer).id, order.email ?? order.contact_email),
    promoCodes: codesOf(list(order.discount_codes).map((discount) => record(discount).code)),
    occurredAt: timeOf(order.processed_at) ?? timeOf(order.created_at),
  };
}

/** The ShopEvent of a Shopify webhook of `topic` with body `payload`. */
export function shopifyEvent(topic: string, payload: unknown): ShopEvent {
  const body = record(payload);
  switch (topic) {
    case 'orders/paid':
    case 'orders/create': {
      if (topic === 'orders/create' && body.financial_status !== 'paid')
        return ignoredEvent(`orders/create with financial_status ${String(body.financial_status)}`);
      const order = shopifyOrder(body);
      return order ? { orders: [order], refunds: [], ignored: null } : ignoredEvent(`${topic} without id, total or currency`);
    }
    case 'orders/cancelled': {
      const orderId = idText(body.id);
      if (!orderId) return ignoredEvent('orders/cancelled without id');
      return { orders: [], refunds: [{ orderId, refundId: 'cancelled', amount: null, refundedTotal: null, currency: null }], ignored: null };
    }
    case 'refunds/create': {
      const orderId = idText(body.order_id);
      const refundId = idText(body.id);
      const paid = list(body.transactions)
        .map(record)
        .filter((transaction) => transaction.kind === 'refund' && transaction.status === 'success');
      const amount = paid.reduce<number>((sum, transaction) => sum + (parseDecimalAmount(transaction.amount) ?? 0), 0);
      if (!orderId || !refundId) return ignoredEvent('refunds/create without id or order_id');
      if (!(amount > 0)) return ignoredEvent('refunds/create without a successful refund transaction');
      const currency = currencyOf(paid[0].currency);
      return { orders: [], refunds: [{ orderId, refundId, amount: Math.round(amount * 1e6) / 1e6, refundedTotal: null, currency }], ignored: null };
    }
    default:
      return ignoredEvent(`topic ${topic || '(none)'} is not an order topic`);
  }
}
