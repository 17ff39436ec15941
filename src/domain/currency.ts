/**
 * Money in one reporting currency: the rate of a day (the latest rate on or
 * before it), and sums that convert what they can and keep the rest apart by
 * currency, so two currencies are never added up as one number.
 */

/** The reporting currency while none is set. */
export const DEFAULT_REPORTING_CURRENCY = 'EUR';

/** 1 unit of `currency` = `rate` units of the book's base on `day` (YYYY-MM-DD, UTC). */
export interface ExchangeRate {
  currency: string;
  day: string;
  rate: number;
}

/** The rates of one base (the reporting currency), per currency, ascending by day. */
export interface RateBook {
  base: string;
  rates: ReadonlyMap<string, ReadonlyArray<{ day: string; rate: number }>>;
}

/** A book over `rates` of `base` (any order). */
export function rateBook(base: string, rates: readonly ExchangeRate[]): RateBook {
  const byCurrency = new Map<string, Array<{ day: string; rate: number }>>();
  for (const { currency, day, rate } of rates) {
    const list = byCurrency.get(currency) ?? [];
    list.push({ day, rate });
    byCurrency.set(currency, list);
  }
  for (const list of byCurrency.values()) list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { base, rates: byCurrency };
}

/** The rate converting `currency` into the book's base on `day`: 1 for the base itself, else the latest rate dated on or before `day`, else null. */
export function rateOn(book: RateBook, currency: string, day: string): number | null {
  if (currency === book.base) return 1;
  const list = book.rates.get(currency);
  if (!list || list.length === 0 || list[0].day > day) return null;
  let low = 0;
  let high = list.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (list[mid].day <= day) low = mid;
    else high = mid - 1;
  }
  return list[low].rate;
}

/** Money to the cent. */
export const toCents = (value: number): number => {
  const cents = Math.round(value * 100) / 100;
  return Object.is(cents, -0) ? 0 : cents;
};

/** Conversions (attributed fractions) to six decimals. */
export const toMillionths = (value: number): number => Math.round(value * 1e6) / 1e6;

/** What a sum could not convert, per original currency: conversions counted, revenue left in its currency. */
export interface UnconvertedPart {
  currency: string;
  conversions: number;
  revenue: number;
}

/** A running sum: conversions (all of them), revenue in the base, and per currency what had no rate. */
export interface MoneySum {
  conversions: number;
  revenue: number;
  unconverted: Map<string, { conversions: number; revenue: number }>;
}

export const emptySum = (): MoneySum => ({ conversions: 0, revenue: 0, unconverted: new Map() });

/**
 * Adds conversions with `revenue` in `currency` of `day` to `sum`: converted at
 * the day's rate, or kept apart under its currency when there is none. An amount
 * of 0 (or without currency: a lead) needs no rate.
 */
export function addMoney(book: RateBook, sum: MoneySum, cell: { currency: string | null; day: string; conversions: number; revenue: number }): void {
  sum.conversions += cell.conversions;
  if (cell.currency === null || cell.currency === '' || cell.revenue === 0) return;
  const rate = rateOn(book, cell.currency, cell.day);
  if (rate !== null) {
    sum.revenue += cell.revenue * rate;
    return;
  }
  const part = sum.unconverted.get(cell.currency) ?? { conversions: 0, revenue: 0 };
  part.conversions += cell.conversions;
  part.revenue += cell.revenue;
  sum.unconverted.set(cell.currency, part);
}

/** The unconverted parts of sums, by currency (rounded: conversions to millionths, revenue to the cent). */
export function unconvertedParts(...sums: ReadonlyArray<Pick<MoneySum, 'unconverted'>>): UnconvertedPart[] {
  const merged = new Map<string, { conversions: number; revenue: number }>();
  for (const sum of sums) {
    for (const [currency, part] of sum.unconverted) {
      const into = merged.get(currency) ?? { conversions: 0, revenue: 0 };
      into.conversions += part.conversions;
      into.revenue += part.revenue;
      merged.set(currency, into);
    }
  }
  return [...merged.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, part]) => ({ currency, conversions: toMillionths(part.conversions), revenue: toCents(part.revenue) }));
}

/** Unconverted parts of report rows added up per currency (a totals row's). */
export function sumUnconverted(parts: ReadonlyArray<readonly UnconvertedPart[]>): UnconvertedPart[] {
  const merged = new Map<string, { conversions: number; revenue: number }>();
  for (const list of parts) {
    for (const part of list) {
      const into = merged.get(part.currency) ?? { conversions: 0, revenue: 0 };
      into.conversions += part.conversions;
      into.revenue += part.revenue;
      merged.set(part.currency, into);
    }
  }
  return unconvertedParts({ unconverted: merged });
}

/** The currencies some row could not convert, sorted. */
export const missingRates = (parts: ReadonlyArray<readonly UnconvertedPart[]>): string[] =>
  [...new Set(parts.flatMap((list) => list.map((part) => part.currency)))].sort();

/** "CHF:12.00 USD:3.50": unconverted parts in one CSV cell. */
export const unconvertedCsv = (parts: readonly UnconvertedPart[]): string => parts.map((part) => `${part.currency}:${part.revenue.toFixed(2)}`).join(' ');
