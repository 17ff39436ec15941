/**
 * Stripe events (`{id, type, created, data: {object}}`): `checkout.session.completed` with payment_status
 * `paid`, and `checkout.session.async_payment_succeeded`, are sales of the session's PaymentIntent;
 * `charge.refunded` carries the charge's cumulative `amount_refunded`, so it refunds up to that total. Amounts
 * are integers in minor units (domain/minor-units.ts). `payment_intent.succeeded` is not taken: a Checkout
 * payment sends it too, without the session's click id, so one purchase would race itself.
 */
import { fromMinorUnits } from './minor-units';
import {
  CLICK_ID_FIELD,
  clickIdOf,
  codesOf,
  currencyOf,
  idText,
  ignoredEvent,
  platformCustomerRef,
  record,
  type ShopEvent,
  type ShopOrder,
} from './shop-orders';

/** An id field that may also arrive expanded (`{id: …}`). */
const refOf = (value: unknown): string | null => idText(value) ?? idText(record(value).id);

function sessionOrder(session: Record<string, unknown>, createdMs: number | null): ShopOrder | null {
  const currency = currencyOf(session.currency);
  const amount = session.amount_total;
  const orderId = refOf(session.payment_intent) ?? refOf(session.invoice) ?? idText(session.id);
  if (!currency || typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0 || !orderId) return null;
  const metadata = record(session.metadata);
  return {
    orderId,
    value: fromMinorUnits(amount, currency),
    currency,
    clickId: clickIdOf(session.client_reference_id) ?? clickIdOf(metadata[CLICK_ID_FIELD]),
    customerRef: platformCustomerRef('stripe', refOf(session.customer), record(session.customer_details).email ?? session.customer_email),
    promoCodes: codesOf([metadata.tp_promo]),
    occurredAt: createdMs,
  };
}

/** The ShopEvent of a Stripe event. */
export function stripeEvent(payload: unknown): ShopEvent {
  const event = record(payload);
  const type = typeof event.type === 'string' ? event.type : '';
  const object = record(record(event.data).object);
  const createdMs = typeof event.created === 'number' ? event.created * 1000 : null;
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      if (object.payment_status !== 'paid') return ignoredEvent(`${type} with payment_status ${String(object.payment_status)}`);
      const order = sessionOrder(object, createdMs);
      return order ? { orders: [order], refunds: [], ignored: null } : ignoredEvent(`${type} without amount_total, currency or id`);
    }
    case 'charge.refunded': {
      const chargeId = idText(object.id);
      const currency = currencyOf(object.currency);
      const refunded = object.amount_refunded;
      if (!chargeId || !currency || typeof refunded !== 'number' || !Number.isInteger(refunded) || refunded <= 0)
        return ignoredEvent('charge.refunded without id, currency or amount_refunded');
      const orderId = refOf(object.payment_intent) ?? chargeId;
      const refundedTotal = fromMinorUnits(refunded, currency);
      return { orders: [], refunds: [{ orderId, refundId: `${chargeId}:${refunded}`, amount: null, refundedTotal, currency }], ignored: null };
    }
    default:
      return ignoredEvent(`event type ${type || '(none)'} is not taken`);
  }
}
