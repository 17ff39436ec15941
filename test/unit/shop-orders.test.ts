/** The platform mappers: what a payload means, field by field, without I/O. */
import { describe, expect, it } from 'vitest';
import { platformCustomerRef, timeOf } from '../../src/domain/shop-orders';
import { shopifyEvent } from '../../src/domain/shopify-orders';
import { stripeEvent } from '../../src/domain/stripe-events';
import { wooCommerceEvent } from '../../src/domain/woocommerce-orders';
import { parseExactJson } from '../../src/lib/exact-json';

const CLICK = 'tpc_01M8TGPFK695JJHMK1SW5ZCCYX';

describe('shop order mappers', () => {
  it('reads a Shopify click id from an absolute landing_site and ignores one that is not a click id', () => {
    const order = { id: 1, total_price: '5.00', currency: 'usd', landing_site: `https://boots.example/a?x=1&tp_click=${CLICK}` };
    expect(shopifyEvent('orders/paid', order).orders[0]).toMatchObject({ clickId: CLICK, currency: 'USD', value: 5 });
    const junk = { ...order, landing_site: '/a?tp_click=<script>', note_attributes: [{ name: 'tp_click', value: 'tpc_short' }] };
    expect(shopifyEvent('orders/paid', junk).orders[0].clickId).toBeNull();
  });

  it('takes only successful Shopify refund transactions, and ignores a refund that returned no money', () => {
    const refund = (transactions: unknown[]) => shopifyEvent('refunds/create', { id: 9, order_id: 1, transactions });
    expect(
      refund([
        { kind: 'refund', status: 'success', amount: '2.10', currency: 'EUR' },
        { kind: 'refund', status: 'success', amount: '0.20', currency: 'EUR' },
      ]).refunds,
    ).toEqual([{ orderId: '1', refundId: '9', amount: 2.3, refundedTotal: null, currency: 'EUR' }]);
    expect(refund([{ kind: 'refund', status: 'pending', amount: '2.10' }]).ignored).toBe('refunds/create without a successful refund transaction');
  });

  it('reads expanded Stripe ids and falls back to the invoice, then the session, for the order id', () => {
    const session = (fields: Record<string, unknown>) =>
      stripeEvent({
        type: 'checkout.session.completed',
        created: 1,
        data: { object: { id: 'cs_1', amount_total: 100, currency: 'eur', payment_status: 'paid', ...fields } },
      }).orders[0];
    expect(session({ payment_intent: { id: 'pi_x' }, customer: { id: 'cus_x' } })).toMatchObject({
      orderId: 'pi_x',
      customerRef: 'stripe:cus_x',
      occurredAt: 1000,
    });
    expect(session({ payment_intent: null, invoice: 'in_1' }).orderId).toBe('in_1');
    expect(session({}).orderId).toBe('cs_1');
  });

  it('maps a WooCommerce order refunded in full with no refunds array to one refund of the rest', () => {
    expect(wooCommerceEvent('order.updated', { id: 5, status: 'refunded', currency: 'EUR', total: '10.00' })).toEqual({
      orders: [],
      refunds: [{ orderId: '5', refundId: 'refunded', amount: null, refundedTotal: null, currency: 'EUR' }],
      ignored: null,
    });
  });

  it('names customers by platform id, guests by e-mail, and nobody when neither is there', () => {
    expect([
      platformCustomerRef('shopify', 42, 'a@b.c'),
      platformCustomerRef('woocommerce', 0, ' Guest@Example.COM '),
      platformCustomerRef('stripe', null, 'not-an-address'),
    ]).toEqual(['shopify:42', 'guest@example.com', null]);
  });

  it('reads times with and without an offset (WooCommerce *_gmt are UTC)', () => {
    expect([timeOf('2026-11-20T10:15:00+01:00'), timeOf('2026-11-20T09:15:00'), timeOf('yesterday'), timeOf(null)]).toEqual([
      Date.parse('2026-11-20T09:15:00Z'),
      Date.parse('2026-11-20T09:15:00Z'),
      null,
      null,
    ]);
  });

  it('keeps integers beyond 2^53 exact as text, and everything else as JSON.parse would', () => {
    expect(parseExactJson('{"id":820982911946154508,"n":12,"x":1.5,"s":"820982911946154508"}')).toEqual({
      id: '820982911946154508',
      n: 12,
      x: 1.5,
      s: '820982911946154508',
    });
  });
});
