/**
 * The reporting currency (a setting; EUR while unset) and its dated exchange
 * rates: listed, stored from JSON or an uploaded CSV (all lines or none), deleted,
 * and loaded as a rate book for the reports.
 */
import type { Db } from '../db/client';
import { deleteExchangeRate, findRatesForRange, listExchangeRates, upsertExchangeRates } from '../db/exchange-rates';
import { findSetting, putSetting } from '../db/settings';
import { DEFAULT_REPORTING_CURRENCY, rateBook, type ExchangeRate, type RateBook } from '../domain/currency';
import { readCsv } from '../lib/csv';
import { ApiError } from '../lib/errors';
import { describeZodError } from '../lib/validation';
import { MAX_RATES_PER_REQUEST, RateInput } from '../schemas/exchange-rates';

const REPORTING_CURRENCY = 'reporting_currency';
/** Errors listed of a bad upload; the rest are counted. */
const MAX_LISTED_ERRORS = 20;

/** The reporting currency: the setting, or EUR while it is unset. */
export async function reportingCurrency(db: Db): Promise<string> {
  return (await findSetting(db, REPORTING_CURRENCY)) ?? DEFAULT_REPORTING_CURRENCY;
}

/** Sets the reporting currency (validated by the caller); rates of another base stay stored for a switch back. */
export async function setReportingCurrency(db: Db, code: string): Promise<{ reporting_currency: string }> {
  await putSetting(db, REPORTING_CURRENCY, code);
  return { reporting_currency: code };
}

/** One page of the rates into the reporting currency. */
export async function listRates(db: Db, query: { currency?: string; limit: number; cursor?: string }) {
  const base = await reportingCurrency(db);
  const [currency, day] = query.cursor?.split(':') ?? [];
  const page = await listExchangeRates(db, { base, currency: query.currency, limit: query.limit, cursor: query.cursor ? { currency, day } : undefined });
  return { base, data: page.items, next_cursor: page.next ? `${page.next.currency}:${page.next.day}` : null };
}

const tooMany = () => new ApiError('validation_error', `rates: at most ${MAX_RATES_PER_REQUEST} rates per request`);

/** Refuses the whole set when a rate converts the base into itself or two rates share currency and day; `where(i)` names a rate in messages. */
function checkSet(base: string, rates: readonly ExchangeRate[], where: (index: number) => string): void {
  const errors: string[] = [];
  const seen = new Map<string, number>();
  rates.forEach((rate, i) => {
    if (rate.currency === base) errors.push(`${where(i)}: currency: ${base} is the reporting currency and needs no rate`);
    const key = `${rate.currency}|${rate.day}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push(`${where(i)}: ${rate.currency} on ${rate.day} is given twice (also ${where(first)})`);
    else seen.set(key, i);
  });
  if (errors.length > 0) throw new ApiError('validation_error', listed(errors));
}

const listed = (errors: readonly string[]) =>
  errors.length > MAX_LISTED_ERRORS ? `${errors.slice(0, MAX_LISTED_ERRORS).join('; ')}; and ${errors.length - MAX_LISTED_ERRORS} more` : errors.join('; ');

/** Stores rates into the reporting currency (validated by the caller), replacing those of the same currency and day. */
export async function saveRates(db: Db, rates: readonly ExchangeRate[]): Promise<{ base: string; saved: number }> {
  if (rates.length > MAX_RATES_PER_REQUEST) throw tooMany();
  const base = await reportingCurrency(db);
  checkSet(base, rates, (i) => `rates.${i}`);
  await upsertExchangeRates(db, base, rates);
  return { base, saved: rates.length };
}

const COLUMNS = ['day', 'currency', 'rate'] as const;

/**
 * Rates from CSV text: a header naming the columns day, currency and rate (any
 * order), then one rate a line. `,` or (a German spreadsheet's) `;` separates
 * fields; with `;` a decimal comma is read too. Any bad line refuses the whole
 * upload, each error naming its line.
 */
export function parseRatesCsv(text: string): { rates: ExchangeRate[]; lines: number[] } {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  const separator = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const [header, ...records] = readCsv(text, separator);
  const names = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  const at = COLUMNS.map((column) => names.indexOf(column));
  if (!header || at.some((index) => index < 0)) {
    throw new ApiError('validation_error', `line ${header?.line ?? 1}: the header must name the columns ${COLUMNS.join(', ')}`);
  }
  if (records.length === 0) throw new ApiError('validation_error', `line ${header.line + 1}: no rates after the header`);
  if (records.length > MAX_RATES_PER_REQUEST) throw tooMany();
  const errors: string[] = [];
  const rates: ExchangeRate[] = [];
  const lines: number[] = [];
  for (const record of records) {
    const [day, currency, rate] = at.map((index) => (record.fields[index] ?? '').trim());
    const number = separator === ';' ? rate.replace(',', '.') : rate;
    const parsed = RateInput.safeParse({ day, currency: currency.toUpperCase(), rate: /^\d+(\.\d+)?$/.test(number) ? Number(number) : rate });
    if (parsed.success) {
      rates.push(parsed.data);
      lines.push(record.line);
    } else {
      const message = describeZodError(parsed.error).replace(/rate: Invalid input: expected number, received string/, 'rate: must be a number like 0.92');
      errors.push(`line ${record.line}: ${message}`);
    }
  }
  if (errors.length > 0) throw new ApiError('validation_error', listed(errors));
  return { rates, lines };
}

/** Stores the rates of an uploaded CSV (parseRatesCsv): all lines, or none when any is wrong. */
export async function importRatesCsv(db: Db, text: string): Promise<{ base: string; saved: number }> {
  const { rates, lines } = parseRatesCsv(text);
  const base = await reportingCurrency(db);
  checkSet(base, rates, (i) => `line ${lines[i]}`);
  await upsertExchangeRates(db, base, rates);
  return { base, saved: rates.length };
}

/** Deletes the rate of `currency` on `day` into the reporting currency; false when there was none. */
export async function removeRate(db: Db, currency: string, day: string): Promise<boolean> {
  return deleteExchangeRate(db, await reportingCurrency(db), currency, day);
}

/** The reporting currency and the rates a report over [from, to] needs. */
export async function loadRateBook(db: Db, from: string, to: string): Promise<RateBook> {
  const base = await reportingCurrency(db);
  return rateBook(base, await findRatesForRange(db, base, from, to));
}
