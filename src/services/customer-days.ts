/**
 * The customers of the RFM and cohort reports with their purchase days in the
 * reporting currency, read from every database that holds conversions (today
 * the main one; with conversions sharded by customer, each shard) and put
 * together: a customer's conversions all sit on one database, so the per-database
 * results are disjoint and simply concatenated.
 */
import type { Db } from '../db/client';
import { findCustomerDays, type CustomerDaysFilter } from '../db/customer-days';
import { rateOn, type RateBook } from '../domain/currency';

export interface CustomerActivity {
  hash: string;
  channel: string;
  campaignId: string | null;
  /** Purchase days in order; values in the reporting currency (a sale without a rate for its day counts 0). */
  days: Array<{ day: string; orders: number; value: number }>;
  /** Currencies of the customer's sales that found no rate for their day. */
  missing: Set<string>;
}

/** The currencies some sale of `customers` had no rate for, sorted. */
export const missingOf = (customers: readonly CustomerActivity[]): string[] => [...new Set(customers.flatMap((customer) => [...customer.missing]))].sort();

/** Customers (with their purchase days) of every source database. */
export async function customerActivity(sources: readonly Db[], filter: CustomerDaysFilter, book: RateBook): Promise<CustomerActivity[]> {
  const perSource = await Promise.all(sources.map((source) => findCustomerDays(source, filter)));
  const customers = new Map<string, CustomerActivity>();
  for (const row of perSource.flat()) {
    let customer = customers.get(row.customerHash);
    if (!customer)
      customers.set(row.customerHash, (customer = { hash: row.customerHash, channel: row.channel, campaignId: row.campaignId, days: [], missing: new Set() }));
    const rate = rateOn(book, row.currency, row.day);
    if (rate === null && row.value !== 0) customer.missing.add(row.currency);
    const value = rate === null ? 0 : row.value * rate;
    const last = customer.days.at(-1);
    if (last?.day === row.day) {
      last.orders += row.orders;
      last.value += value;
    } else customer.days.push({ day: row.day, orders: row.orders, value });
  }
  for (const customer of customers.values()) customer.days.sort((a, b) => a.day.localeCompare(b.day));
  return [...customers.values()];
}
