/**
 * Spend next to what it bought: a campaign's cost split over its links'
 * channels, amounts converted into the reporting currency at their day's rate
 * (the revenue rule), and the ratios a report row shows — none of them divides
 * by zero.
 */
import { rateOn, toCents, toMillionths, type RateBook } from './currency';
import type { CHANNELS } from './vocab';

/** Where campaign spend goes when the campaign has no links to split it by. */
export const UNLINKED_SPEND_CHANNEL: (typeof CHANNELS)[number] = 'other';

/** A sum of spend: what converted, in the book's base, and per currency what found no rate for its day. */
export interface SpendSum {
  amount: number;
  unconverted: Map<string, number>;
}

export const emptySpend = (): SpendSum => ({ amount: 0, unconverted: new Map() });

/** Adds `amount` in `currency` of `day` to `sum`, converted at the day's rate or kept apart under its currency. */
export function addSpend(book: RateBook, sum: SpendSum, cell: { currency: string; day: string; amount: number }): void {
  if (cell.amount === 0) return;
  const rate = rateOn(book, cell.currency, cell.day);
  if (rate !== null) sum.amount += cell.amount * rate;
  else sum.unconverted.set(cell.currency, (sum.unconverted.get(cell.currency) ?? 0) + cell.amount);
}

/** Spend that found no rate for its day, in its own currency. */
export interface UnconvertedSpend {
  currency: string;
  amount: number;
}

/** Spend without a rate, per currency (sorted, to the cent). */
export const unconvertedSpend = (sum: SpendSum): UnconvertedSpend[] =>
  [...sum.unconverted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: toCents(amount) }));

/** "CHF:12.00 USD:3.50": unconverted spend in one CSV cell. */
export const unconvertedSpendCsv = (parts: readonly UnconvertedSpend[]): string => parts.map((part) => `${part.currency}:${part.amount.toFixed(2)}`).join(' ');

/**
 * The channels a campaign's spend goes to, with their shares: in proportion to
 * the campaign's links per channel (every link counts once, archived ones too:
 * each is a placement that was paid for); a campaign without links puts it all
 * on UNLINKED_SPEND_CHANNEL.
 */
export function campaignChannelShares(links: ReadonlyArray<{ channel: string; links: number }>): Array<{ channel: string; share: number }> {
  const total = links.reduce((sum, row) => sum + row.links, 0);
  if (total === 0) return [{ channel: UNLINKED_SPEND_CHANNEL, share: 1 }];
  return links.filter((row) => row.links > 0).map((row) => ({ channel: row.channel, share: row.links / total }));
}

export interface SpendFigures {
  /** Spend in the reporting currency, to the cent (what had a rate). */
  spend: number;
  /** Spend ÷ attributed conversions; null without spend or conversions. */
  cost_per_conversion: number | null;
  /** Attributed revenue ÷ spend; null without spend. */
  roas: number | null;
  /** Spend ÷ attributed new customers; null without spend or new customers. */
  cac: number | null;
}

/**
 * The ratios of a row, from the figures the row shows (spend to the cent,
 * conversions and new customers to millionths, revenue to the cent), so a
 * reader can redo them from the table. `complete` false (some spend had no rate, so its amount
 * is not known in the reporting currency) makes every ratio null rather than
 * flattering it.
 */
export function spendFigures(row: { spend: number; conversions: number; revenue: number; newCustomers: number; complete: boolean }): SpendFigures {
  const spend = toCents(row.spend);
  const usable = row.complete && spend > 0;
  return {
    spend,
    cost_per_conversion: usable && row.conversions > 0 ? toCents(spend / row.conversions) : null,
    roas: usable ? toMillionths(row.revenue / spend) : null,
    cac: usable && row.newCustomers > 0 ? toCents(spend / row.newCustomers) : null,
  };
}

/**
 * New customers of a group under a model whose credits are not stored per
 * conversion (computed at read time, such as a data-driven one): the group's
 * conversions under that model times the share of new customers among its
 * conversions under `linear`; 0 when linear credited it nothing.
 */
export function scaledNewCustomers(conversions: number, linear: { conversions: number; newCustomers: number }): number {
  return linear.conversions > 0 ? (conversions * linear.newCustomers) / linear.conversions : 0;
}
