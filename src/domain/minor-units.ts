/**
 * Minor units of money, as payment processors send amounts (Stripe: integers in the currency's smallest unit).
 * Most currencies have 2 decimals; Stripe's zero-decimal currencies send whole units (¥500 is 500) and its
 * three-decimal ones thousandths (5.125 KWD is 5125). ISK, HUF and TWD stay two-decimal in Stripe's API
 * (100 is 1 unit), so they follow the default. The one place that rule lives (docs.stripe.com/currencies).
 */

/** Stripe's zero-decimal currencies. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/** Stripe's three-decimal currencies. */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** How many decimals an amount of `currency` (ISO 4217, any case) has in minor units. */
export function minorUnitDecimals(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL_CURRENCIES.has(code)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(code)) return 3;
  return 2;
}

/** An integer amount in minor units of `currency` as a decimal amount: 1999 USD → 19.99, 500 JPY → 500, 5125 KWD → 5.125. */
export function fromMinorUnits(amount: number, currency: string): number {
  const decimals = minorUnitDecimals(currency);
  // Rounded to the currency's decimals, so 1999 / 100 reads 19.99 and not a binary neighbour of it.
  return Number((amount / 10 ** decimals).toFixed(decimals));
}

/** A decimal string as platforms send money ("19.99", "-5.00"), or null when it is not one. */
export function parseDecimalAmount(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
  return Number(text.trim());
}
