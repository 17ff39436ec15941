/**
 * Loyalty and customer (ABC) reports (the email report: email-report.ts). Customers are hashed customer
 * references; a customer's acquisition channel is the channel of the first
 * touch of their first conversion (`direct` when it had none). Money is in the
 * reporting currency, each sale converted at the rate of its day; what has no
 * rate is counted and listed apart (`unconverted`), never added in.
 */
import type { Db } from '../db/client';
import { findCustomerSales, newAndReturningVisitors, nextDayIso, type CustomerSale } from '../db/loyalty';
import { emptySum, missingRates, rateOn, toCents, unconvertedParts, type MoneySum, type RateBook, type UnconvertedPart } from '../domain/currency';
import { abcRows, abcSegmentOf, loyaltyRows, type AbcSegment, type AbcSegmentRow, type CustomerOrders, type LoyaltyRow } from '../domain/loyalty';
import { loadRateBook } from './exchange-rates';

/** The CSV columns of a loyalty row after its group keys (channel …), and those that hold money. */
export const LOYALTY_FIGURE_COLUMNS = [
  'currency',
  'customers',
  'repeat_customers',
  'repeat_rate',
  'orders',
  'revenue',
  'revenue_per_customer',
  'orders_per_customer',
  'median_days_between_orders',
  'unconverted',
];
export const LOYALTY_MONEY_COLUMNS = ['revenue', 'revenue_per_customer'];

export interface RangeFilter {
  from: string;
  to: string;
  campaignId?: string;
}

/** A sale with its value in the reporting currency (0 when it found no rate: then it is `unconverted`). */
export interface ConvertedSale extends CustomerSale {
  converted: number;
  unconverted: boolean;
}

/** Each sale in the reporting currency at its day's rate. */
export function convertSales(book: RateBook, sales: readonly CustomerSale[]): ConvertedSale[] {
  return sales.map((sale) => {
    const rate = rateOn(book, sale.currency, sale.occurredAt.slice(0, 10));
    return { ...sale, converted: rate === null ? 0 : sale.value * rate, unconverted: rate === null && sale.value !== 0 };
  });
}

/** Customers by hash, each with their acquisition channel and orders in time order. */
export function customersOf(sales: readonly ConvertedSale[]): Map<string, CustomerOrders> {
  const customers = new Map<string, CustomerOrders>();
  for (const sale of sales) {
    let customer = customers.get(sale.customerHash);
    if (!customer) customers.set(sale.customerHash, (customer = { channel: sale.channel, orders: [] }));
    customer.orders.push({ at: Date.parse(sale.occurredAt), value: sale.converted });
  }
  return customers;
}

/** Sales without a rate per key (a channel, or '' for all), as unconverted parts (`conversions` = orders). */
export function unconvertedBy(sales: readonly ConvertedSale[], keyOf: (sale: ConvertedSale) => string): Map<string, UnconvertedPart[]> {
  const sums = new Map<string, MoneySum>();
  for (const sale of sales) {
    if (!sale.unconverted) continue;
    const key = keyOf(sale);
    const sum = sums.get(key) ?? emptySum();
    const part = sum.unconverted.get(sale.currency) ?? { conversions: 0, revenue: 0 };
    part.conversions += 1;
    part.revenue += sale.value;
    sum.unconverted.set(sale.currency, part);
    sums.set(key, sum);
  }
  return new Map([...sums].map(([key, sum]) => [key, unconvertedParts(sum)]));
}

type Money = { currency: string; unconverted: UnconvertedPart[] };
export type LoyaltyReportRow = LoyaltyRow & Money;
export type LoyaltyTotals = Omit<LoyaltyRow, 'channel'> & Money;

export interface LoyaltyReport {
  from: string;
  to: string;
  currency: string;
  missing_rates: string[];
  rows: LoyaltyReportRow[];
  totals: LoyaltyTotals;
  visitors: Array<{ channel: string; new_visitors: number; returning_visitors: number }>;
}

/** Far enough ahead for every sale made since a range. */
const END_OF_TIME = '9999-12-31';

/** Every sale of the customers acquired in the range (first conversion in it), each converted at its day's rate, and the rate book used. */
export async function acquiredCustomerSales(db: Db, filter: RangeFilter): Promise<{ sales: ConvertedSale[]; book: RateBook }> {
  const [raw, book] = await Promise.all([
    findCustomerSales(db, {
      acquiredFrom: `${filter.from}T00:00:00.000Z`,
      acquiredTo: nextDayIso(filter.to),
      salesFrom: '',
      salesTo: '9999',
      campaignId: filter.campaignId,
    }),
    loadRateBook(db, filter.from, END_OF_TIME),
  ]);
  return { sales: convertSales(book, raw), book };
}

/**
 * Customers acquired in the range, per acquisition channel, with every sale
 * they have made since, in the reporting currency (each at its day's rate);
 * sales without a rate count as orders and are listed as `unconverted`.
 */
export async function loyaltyReport(db: Db, filter: RangeFilter): Promise<LoyaltyReport> {
  const [{ sales, book }, visitors] = await Promise.all([
    acquiredCustomerSales(db, filter),
    newAndReturningVisitors(db, filter.from, filter.to, filter.campaignId),
  ]);
  const customers = [...customersOf(sales).values()];
  const byChannel = unconvertedBy(sales, (sale) => sale.channel);
  const rows = loyaltyRows(customers).map((row) => ({ ...row, currency: book.base, unconverted: byChannel.get(row.channel) ?? [] }));
  // The totals: every customer as if of one channel (median days between orders over all of them).
  const [all] = loyaltyRows(customers.map((customer) => ({ ...customer, channel: '' })));
  const { channel: _, ...sums } = all ?? { ...EMPTY_LOYALTY, channel: '' };
  const totals: LoyaltyTotals = { ...sums, currency: book.base, unconverted: unconvertedBy(sales, () => '').get('') ?? [] };
  return { from: filter.from, to: filter.to, currency: book.base, missing_rates: missingRates([totals.unconverted]), rows, totals, visitors };
}

/** The row of a group without customers. */
export const EMPTY_LOYALTY: Omit<LoyaltyRow, 'channel'> = {
  customers: 0,
  repeat_customers: 0,
  repeat_rate: 0,
  orders: 0,
  revenue: 0,
  revenue_per_customer: 0,
  orders_per_customer: 0,
  median_days_between_orders: null,
};

export interface CustomersReport {
  from: string;
  to: string;
  currency: string;
  missing_rates: string[];
  /** Sales without a rate: their customers are ranked on the rest of their revenue. */
  unconverted: UnconvertedPart[];
  segments: AbcSegmentRow[];
  totals: { customers: number; revenue: number; share: number };
}

/** ABC segments of the customers buying in the range, by their revenue in the reporting currency. */
export async function customersReport(db: Db, filter: RangeFilter): Promise<CustomersReport> {
  const [raw, book] = await Promise.all([
    findCustomerSales(db, {
      acquiredFrom: '',
      acquiredTo: '9999',
      salesFrom: `${filter.from}T00:00:00.000Z`,
      salesTo: nextDayIso(filter.to),
      campaignId: filter.campaignId,
    }),
    loadRateBook(db, filter.from, filter.to),
  ]);
  const sales = convertSales(book, raw);
  const ranked = [...customersOf(sales).entries()].map(([id, customer]) => ({
    id,
    channel: customer.channel,
    revenue: customer.orders.reduce((sum, order) => sum + order.value, 0),
  }));
  const segments = abcRows(ranked);
  const unconverted = unconvertedBy(sales, () => '').get('') ?? [];
  const customers = segments.reduce((sum, segment) => sum + segment.customers, 0);
  const revenue = toCents(segments.reduce((sum, segment) => sum + segment.revenue, 0));
  return {
    from: filter.from,
    to: filter.to,
    currency: book.base,
    missing_rates: missingRates([unconverted]),
    unconverted,
    segments,
    totals: { customers, revenue, share: revenue > 0 ? 1 : 0 },
  };
}

/**
 * One customer's ABC segment among the customers buying in [from, to] (days), ranked as the customers
 * report ranks them (revenue in the reporting currency); null when they bought nothing in the range.
 * It ranks every customer of the range, so the bonus program asks only when a rule has a segment condition.
 */
export async function abcSegmentOfCustomer(db: Db, customerHash: string, from: string, to: string): Promise<AbcSegment | null> {
  const [raw, book] = await Promise.all([
    findCustomerSales(db, { acquiredFrom: '', acquiredTo: '9999', salesFrom: `${from}T00:00:00.000Z`, salesTo: nextDayIso(to) }),
    loadRateBook(db, from, to),
  ]);
  const ranked = [...customersOf(convertSales(book, raw)).entries()].map(([id, customer]) => ({
    id,
    channel: customer.channel,
    revenue: customer.orders.reduce((sum, order) => sum + order.value, 0),
  }));
  return abcSegmentOf(ranked).get(customerHash) ?? null;
}
