/** Report tables as CSV: one line per row, then the totals line (first column "total"); unconverted money (revenue or spend) as "CHF:12.00 USD:3.50". */
import { unconvertedCsv, type UnconvertedPart } from '../domain/currency';
import { unconvertedSpendCsv, type UnconvertedSpend } from '../domain/spend';
import { toCsv, type CsvValue } from '../lib/csv';

type ReportCell = CsvValue | UnconvertedPart[] | UnconvertedSpend[] | Record<string, unknown>;

const isSpend = (parts: UnconvertedPart[] | UnconvertedSpend[]): parts is UnconvertedSpend[] => parts.some((part) => 'amount' in part);

const cell = (value: ReportCell): CsvValue =>
  Array.isArray(value) ? (isSpend(value) ? unconvertedSpendCsv(value) : unconvertedCsv(value)) : (value as CsvValue);

/**
 * The CSV of a report: `columns` of each row, then `totals` (when given) under
 * the label "total" in the first column; `money` columns to the cent.
 */
export function reportCsv(columns: readonly string[], rows: readonly object[], totals: object | null, money: readonly string[]): string {
  const flat = (row: object) => Object.fromEntries(columns.map((column) => [column, cell((row as Record<string, ReportCell>)[column])]));
  const lines = rows.map(flat);
  if (totals) lines.push({ ...flat(totals), [columns[0]]: 'total' });
  return toCsv(columns, lines, money);
}
