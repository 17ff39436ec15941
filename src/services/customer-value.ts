/**
 * Customer value per acquisition channel (the loyalty report's customers and
 * acquisition channel): revenue per customer and repeat rate 30, 90 and 365
 * days after the first purchase, next to the channel's CAC — its spend in the
 * range (campaign spend split over its links' channels) ÷ the customers it
 * acquired — and value ÷ CAC at each mark.
 */
import type { Db } from '../db/client';
import { customerValueRows, VALUE_MARKS, valueFigures, type MarkFigures } from '../domain/customer-value';
import { toCents, toMillionths } from '../domain/currency';
import { emptySpend, unconvertedSpend, type SpendSum } from '../domain/spend';
import { acquiredCustomerSales, customersOf } from './loyalty';
import { spendByKey } from './spend-report';

/** CSV columns of a customer-value row after `channel`, and those that hold money. */
export const CUSTOMER_VALUE_COLUMNS = [
  'currency',
  'customers',
  ...VALUE_MARKS.flatMap((mark) => [`customers_d${mark}`, `revenue_per_customer_d${mark}`, `repeat_rate_d${mark}`]),
  'spend',
  'cac',
  ...VALUE_MARKS.map((mark) => `value_to_cac_d${mark}`),
];
export const CUSTOMER_VALUE_MONEY = ['spend', 'cac', ...VALUE_MARKS.map((mark) => `revenue_per_customer_d${mark}`)];

/** Spend, CAC and value ÷ CAC of one row; null ratios without spend, customers or with spend lacking a rate. */
function costFigures(figures: MarkFigures, customers: number, spend: SpendSum) {
  const amount = toCents(spend.amount);
  const cac = amount > 0 && customers > 0 && unconvertedSpend(spend).length === 0 ? toCents(amount / customers) : null;
  return {
    spend: amount,
    spend_unconverted: unconvertedSpend(spend),
    cac,
    ...Object.fromEntries(
      VALUE_MARKS.map((mark) => {
        const value = figures[`revenue_per_customer_d${mark}`];
        return [`value_to_cac_d${mark}`, cac !== null && value !== null ? toMillionths(value / cac) : null];
      }),
    ),
  };
}

/** Customers acquired in [from, to] per acquisition channel, their value at 30/90/365 days and the channel's CAC; `now` decides which marks have passed. */
export async function customerValueReport(db: Db, filter: { from: string; to: string; campaignId?: string }, now: number) {
  const { sales, book } = await acquiredCustomerSales(db, filter);
  const customers = [...customersOf(sales).values()];
  const { byKey, total } = await spendByKey(db, 'channels', filter, book);
  const rows = customerValueRows(customers, now).map(({ channel, ...row }) => ({
    channel,
    currency: book.base,
    ...row,
    ...costFigures(row, row.customers, byKey.get(channel) ?? emptySpend()),
  }));
  const all = valueFigures(customers, now);
  const totals = { channel: 'total', currency: book.base, customers: customers.length, ...all, ...costFigures(all, customers.length, total) };
  // A sale without a rate for its day counts as an order worth 0 here (as in the loyalty report's per-customer figures).
  const missing = new Set([...sales.filter((sale) => sale.unconverted).map((sale) => sale.currency), ...unconvertedSpend(total).map((part) => part.currency)]);
  return {
    from: filter.from,
    to: filter.to,
    currency: book.base,
    marks: [...VALUE_MARKS],
    missing_rates: [...missing].sort(),
    rows,
    totals,
  };
}
