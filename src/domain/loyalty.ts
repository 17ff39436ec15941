/**
 * Loyalty arithmetic, pure: repeat purchase, days between orders, and the ABC
 * segmentation of customers by revenue (A: the customers making the top 80 %
 * of revenue, B: the next 15 %, C: the last 5 %).
 */
import { DAY_MS } from './attribution';

export const ABC_SEGMENTS = ['A', 'B', 'C'] as const;
export type AbcSegment = (typeof ABC_SEGMENTS)[number];
/** Upper bounds of the cumulative revenue share before a customer, per segment. */
export const ABC_THRESHOLDS = { A: 0.8, B: 0.95 } as const;

export interface Order {
  at: number;
  value: number;
}

export interface CustomerOrders {
  channel: string;
  /** Sales in time order. */
  orders: Order[];
}

/** The median of `values`, or null for none (mean of the middle two for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Days between consecutive orders of one customer. */
export const daysBetweenOrders = (orders: readonly Order[]): number[] => orders.slice(1).map((order, i) => (order.at - orders[i].at) / DAY_MS);

export interface LoyaltyRow {
  channel: string;
  customers: number;
  repeat_customers: number;
  repeat_rate: number;
  orders: number;
  revenue: number;
  revenue_per_customer: number;
  orders_per_customer: number;
  median_days_between_orders: number | null;
}

const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One row per acquisition channel, channels in order of customers acquired. */
export function loyaltyRows(customers: readonly CustomerOrders[]): LoyaltyRow[] {
  const byChannel = new Map<string, CustomerOrders[]>();
  for (const customer of customers) byChannel.set(customer.channel, [...(byChannel.get(customer.channel) ?? []), customer]);
  return [...byChannel.entries()]
    .map(([channel, group]) => {
      const orders = group.reduce((n, c) => n + c.orders.length, 0);
      const revenue = group.reduce((sum, c) => sum + c.orders.reduce((s, o) => s + o.value, 0), 0);
      const repeat = group.filter((c) => c.orders.length >= 2).length;
      const gaps = median(group.flatMap((c) => daysBetweenOrders(c.orders)));
      return {
        channel,
        customers: group.length,
        repeat_customers: repeat,
        repeat_rate: round(repeat / group.length),
        orders,
        revenue: round(revenue, 2),
        revenue_per_customer: round(revenue / group.length, 2),
        orders_per_customer: round(orders / group.length),
        median_days_between_orders: gaps === null ? null : round(gaps, 2),
      };
    })
    .sort((a, b) => b.customers - a.customers || a.channel.localeCompare(b.channel));
}

export interface RankedCustomer {
  id: string;
  revenue: number;
  channel: string;
}

/**
 * Each customer's segment. Customers are ranked by revenue; a customer is in
 * A while the revenue of everyone ranked before them is under 80 % of the
 * total, in B under 95 %, else C. Customers with equal revenue share the
 * segment of the first of them, so a tie is never split.
 */
export function abcSegmentOf(customers: readonly RankedCustomer[]): Map<string, AbcSegment> {
  const ranked = [...customers].sort((a, b) => b.revenue - a.revenue || a.id.localeCompare(b.id));
  const total = ranked.reduce((sum, c) => sum + c.revenue, 0);
  const segments = new Map<string, AbcSegment>();
  let before = 0;
  let previous: { revenue: number; segment: AbcSegment } | null = null;
  for (const customer of ranked) {
    const share = total > 0 ? before / total : 0;
    let segment: AbcSegment = share < ABC_THRESHOLDS.A ? 'A' : share < ABC_THRESHOLDS.B ? 'B' : 'C';
    if (previous && previous.revenue === customer.revenue) segment = previous.segment;
    segments.set(customer.id, segment);
    previous = { revenue: customer.revenue, segment };
    before += customer.revenue;
  }
  return segments;
}

export interface AbcSegmentRow {
  segment: AbcSegment;
  customers: number;
  revenue: number;
  share: number;
  /** Customers per acquisition channel. */
  channels: Record<string, number>;
}

/** The three segment rows (empty segments included). */
export function abcRows(customers: readonly RankedCustomer[]): AbcSegmentRow[] {
  const segmentOf = abcSegmentOf(customers);
  const total = customers.reduce((sum, c) => sum + c.revenue, 0);
  return ABC_SEGMENTS.map((segment) => {
    const members = customers.filter((c) => segmentOf.get(c.id) === segment);
    const revenue = members.reduce((sum, c) => sum + c.revenue, 0);
    const channels: Record<string, number> = {};
    for (const member of members) channels[member.channel] = (channels[member.channel] ?? 0) + 1;
    return { segment, customers: members.length, revenue: round(revenue, 2), share: total > 0 ? round(revenue / total) : 0, channels };
  });
}
