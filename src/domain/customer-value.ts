/**
 * Customer value per acquisition channel, pure: what a channel's customers
 * bought within 30, 90 and 365 days of their first purchase, and how many came
 * back within as long. A mark counts only the customers whose first purchase
 * lies that long before `now` (matured), so a young cohort is not read as a
 * poor one.
 */
import { DAY_MS } from './attribution';
import { toCents, toMillionths } from './currency';
import type { CustomerOrders } from './loyalty';

export const VALUE_MARKS = [30, 90, 365] as const;
export type ValueMark = (typeof VALUE_MARKS)[number];

export type MarkFigures = Record<`customers_d${ValueMark}` | `revenue_per_customer_d${ValueMark}` | `repeat_rate_d${ValueMark}`, number | null>;

export interface CustomerValueRow extends MarkFigures {
  channel: string;
  customers: number;
}

/** The figures of one group of customers (orders in time order, values in the reporting currency). */
export function valueFigures(customers: readonly CustomerOrders[], now: number): MarkFigures {
  const out: Partial<MarkFigures> = {};
  for (const mark of VALUE_MARKS) {
    const matured = customers.filter((customer) => customer.orders.length > 0 && customer.orders[0].at + mark * DAY_MS <= now);
    const within = matured.map((customer) => customer.orders.filter((order) => order.at < customer.orders[0].at + mark * DAY_MS));
    const revenue = within.reduce((sum, orders) => sum + orders.reduce((total, order) => total + order.value, 0), 0);
    out[`customers_d${mark}`] = matured.length;
    out[`revenue_per_customer_d${mark}`] = matured.length > 0 ? toCents(revenue / matured.length) : null;
    out[`repeat_rate_d${mark}`] = matured.length > 0 ? toMillionths(within.filter((orders) => orders.length >= 2).length / matured.length) : null;
  }
  return out as MarkFigures;
}

/** One row per acquisition channel, channels in order of customers acquired (then name). */
export function customerValueRows(customers: readonly CustomerOrders[], now: number): CustomerValueRow[] {
  const byChannel = new Map<string, CustomerOrders[]>();
  for (const customer of customers) byChannel.set(customer.channel, [...(byChannel.get(customer.channel) ?? []), customer]);
  return [...byChannel.entries()]
    .map(([channel, group]) => ({ channel, customers: group.length, ...valueFigures(group, now) }))
    .sort((a, b) => b.customers - a.customers || a.channel.localeCompare(b.channel));
}
