/**
 * What a shop platform's webhook means to Touchpoint, whatever the platform: paid orders (each a `sale`
 * conversion) and refunds of them (a cancellation is a refund of all that is left). The platform mappers
 * (shopify-orders.ts, woocommerce-orders.ts, stripe-events.ts) turn a verified payload into a ShopEvent; the
 * rules every platform shares — ids, click ids, customers, times — live here, once.
 */
import type { IntegrationPlatform } from './vocab';

/** A paid order, its money exactly as the platform charged it. */
export interface ShopOrder {
  /** The platform's own order id (Stripe: the PaymentIntent). */
  orderId: string;
  value: number;
  currency: string;
  clickId: string | null;
  customerRef: string | null;
  /** Discount codes in the order's order; the first Touchpoint knows is redeemed. */
  promoCodes: string[];
  /** When the order was placed or paid (ms), or null when the payload does not say. */
  occurredAt: number | null;
}

/** A refund of an order: an amount, everything left (`amount` null), or up to a cumulative total (Stripe). */
export interface ShopRefund {
  orderId: string;
  /** The platform's refund id: the same id again refunds nothing twice. */
  refundId: string;
  amount: number | null;
  /** When set, the order's refunded total after this refund: only what exceeds the refunds recorded is refunded. */
  refundedTotal: number | null;
  currency: string | null;
}

export interface ShopEvent {
  orders: ShopOrder[];
  refunds: ShopRefund[];
  /** Why nothing was taken from the payload (an unknown topic, an unpaid order …), for the log and the answer. */
  ignored: string | null;
}

export const ignoredEvent = (why: string): ShopEvent => ({ orders: [], refunds: [], ignored: why });

/** A click id as the redirect mints it and /t.js keeps it; anything else in a platform's field is not one. */
const CLICK_ID = /^tpc_[0-9A-Z]{26}$/;

/** `value` when it is a click id, else null. */
export const clickIdOf = (value: unknown): string | null => (typeof value === 'string' && CLICK_ID.test(value.trim()) ? value.trim() : null);

/** The name under which checkouts carry the click id (note attribute, order meta, Stripe metadata). */
export const CLICK_ID_FIELD = 'tp_click';

/**
 * The conversion's order_id of a platform order: `<platform>:<integration id>:<order id>`. The integration id is
 * part of it because order numbers are per store (two WooCommerce sites both have an order 42).
 */
export const platformOrderId = (platform: IntegrationPlatform, integrationId: string, orderId: string): string => `${platform}:${integrationId}:${orderId}`;

/** The refund_id of a platform refund, alike. */
export const platformRefundId = (platform: IntegrationPlatform, integrationId: string, refundId: string): string => `${platform}:${integrationId}:${refundId}`;

/**
 * The customer_ref of an order: the platform's customer id as `<platform>:<id>` (so loyalty and identity
 * stitching follow the customer across orders and devices), else — a guest checkout — the e-mail address,
 * trimmed and lower-cased; null when there is neither. Stored, like every customer_ref, only as a keyed hash.
 */
export function platformCustomerRef(platform: IntegrationPlatform, customerId: unknown, email: unknown): string | null {
  const id = typeof customerId === 'number' || typeof customerId === 'string' ? String(customerId).trim() : '';
  if (id !== '' && id !== '0') return `${platform}:${id}`;
  const address = typeof email === 'string' ? email.trim().toLowerCase() : '';
  return address.includes('@') ? address : null;
}

/** Milliseconds of an ISO-8601 time; one without an offset is UTC (WooCommerce's `*_gmt` fields). Null when unreadable. */
export function timeOf(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** A plain object, or an empty one: payload fields are read without trusting their shape. */
export const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** An array, or an empty one. */
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** An id (number or string) as text, or null. */
export const idText = (value: unknown): string | null =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '') ? String(value).trim() : null;

/** Distinct non-empty codes, trimmed, in order. */
export const codesOf = (values: unknown[]): string[] => [
  ...new Set(
    values
      .filter((value): value is string => typeof value === 'string')
      .map((value) => value.trim())
      .filter((value) => value !== ''),
  ),
];

/** An ISO 4217 code in capitals, or null. */
export const currencyOf = (value: unknown): string | null => (typeof value === 'string' && /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : null);
