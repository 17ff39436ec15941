/**
 * Loyalty, customer (ABC) and email reports. Customers are hashed customer
 * references; a customer's acquisition channel is the channel of the first
 * touch of their first conversion (`direct` when it had none).
 */
import type { Db } from '../db/client';
import { emailCounts, emailCredits, findCustomerSales, newAndReturningVisitors, nextDayIso, type CustomerSale } from '../db/loyalty';
import { abcRows, loyaltyRows, type AbcSegmentRow, type CustomerOrders, type LoyaltyRow } from '../domain/loyalty';
import type { AttributionModel } from '../domain/vocab';

export interface RangeFilter {
  from: string;
  to: string;
  campaignId?: string;
}

function groupByCurrency(sales: readonly CustomerSale[]): Map<string, CustomerSale[]> {
  const groups = new Map<string, CustomerSale[]>();
  for (const sale of sales) groups.set(sale.currency, [...(groups.get(sale.currency) ?? []), sale]);
  return groups;
}

function customersOf(sales: readonly CustomerSale[]): Map<string, CustomerOrders> {
  const customers = new Map<string, CustomerOrders>();
  for (const sale of sales) {
    let customer = customers.get(sale.customerHash);
    if (!customer) customers.set(sale.customerHash, (customer = { channel: sale.channel, orders: [] }));
    customer.orders.push({ at: Date.parse(sale.occurredAt), value: sale.value });
  }
  return customers;
}

export interface LoyaltyReport {
  from: string;
  to: string;
  rows: Array<LoyaltyRow & { currency: string }>;
  visitors: Array<{ channel: string; new_visitors: number; returning_visitors: number }>;
}

/** Customers acquired in the range, per acquisition channel (and currency), with every sale they have made since. */
export async function loyaltyReport(db: Db, filter: RangeFilter): Promise<LoyaltyReport> {
  const sales = await findCustomerSales(db, {
    acquiredFrom: `${filter.from}T00:00:00.000Z`,
    acquiredTo: nextDayIso(filter.to),
    salesFrom: '',
    salesTo: '9999',
    campaignId: filter.campaignId,
  });
  const rows = [...groupByCurrency(sales).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([currency, group]) => loyaltyRows([...customersOf(group).values()]).map((row) => ({ ...row, currency })));
  const visitors = await newAndReturningVisitors(db, filter.from, filter.to, filter.campaignId);
  return { from: filter.from, to: filter.to, rows, visitors };
}

export interface CustomersReport {
  from: string;
  to: string;
  currency: string | null;
  other_currencies: string[];
  segments: AbcSegmentRow[];
}

/** ABC segments of the customers buying in the range, by their revenue in one currency (the busiest unless given). */
export async function customersReport(db: Db, filter: RangeFilter & { currency?: string }): Promise<CustomersReport> {
  const sales = await findCustomerSales(db, {
    acquiredFrom: '',
    acquiredTo: '9999',
    salesFrom: `${filter.from}T00:00:00.000Z`,
    salesTo: nextDayIso(filter.to),
    campaignId: filter.campaignId,
  });
  const groups = groupByCurrency(sales);
  const busiest = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  const currency = filter.currency ?? busiest;
  const ranked = [...customersOf(groups.get(currency ?? '') ?? []).entries()].map(([id, customer]) => ({
    id,
    channel: customer.channel,
    revenue: customer.orders.reduce((sum, order) => sum + order.value, 0),
  }));
  return {
    from: filter.from,
    to: filter.to,
    currency,
    other_currencies: [...groups.keys()].filter((c) => c !== currency).sort(),
    segments: abcRows(ranked),
  };
}

export interface EmailRow {
  campaign_id: string;
  opens: number;
  machine_opens: number;
  human_clicks: number;
  scanner_clicks: number;
  ctr: number | null;
  conversions: number;
  revenue: number;
  currency: string | null;
}

const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Per campaign: human and machine opens, human and scanner clicks on email links, CTR, attributed conversions and revenue. */
export async function emailReport(
  db: Db,
  filter: RangeFilter & { model: AttributionModel },
): Promise<{ model: AttributionModel; from: string; to: string; rows: EmailRow[] }> {
  const [counts, credits] = await Promise.all([
    emailCounts(db, filter.from, filter.to, filter.campaignId),
    emailCredits(db, filter.model, filter.from, filter.to, filter.campaignId),
  ]);
  const rows: EmailRow[] = [];
  const ids = [...new Set([...counts.map((c) => c.campaignId), ...credits.map((c) => c.campaignId)])].sort();
  for (const id of ids) {
    const count = counts.find((c) => c.campaignId === id) ?? { opens: 0, machineOpens: 0, humanClicks: 0, scannerClicks: 0 };
    const money = credits.filter((c) => c.campaignId === id).sort((a, b) => a.currency.localeCompare(b.currency));
    const base = {
      campaign_id: id,
      opens: count.opens,
      machine_opens: count.machineOpens,
      human_clicks: count.humanClicks,
      scanner_clicks: count.scannerClicks,
      ctr: count.opens > 0 ? round(count.humanClicks / count.opens) : null,
    };
    if (money.length === 0) rows.push({ ...base, conversions: 0, revenue: 0, currency: null });
    // Revenue is never summed across currencies: further currencies get rows of their own with zero traffic.
    money.forEach((m, i) => {
      const traffic = i === 0 ? base : { ...base, opens: 0, machine_opens: 0, human_clicks: 0, scanner_clicks: 0, ctr: null };
      rows.push({ ...traffic, conversions: round(m.conversions), revenue: round(m.revenue, 2), currency: m.currency || null });
    });
  }
  return { model: filter.model, from: filter.from, to: filter.to, rows };
}
