/** Report tables as CSV: one line per row, then the totals line (first column "total"); unconverted money as "CHF:12.00 USD:3.50". */
import { unconvertedCsv, type UnconvertedPart } from '../domain/currency';
import { toCsv, type CsvValue } from '../lib/csv';

type ReportCell = CsvValue | UnconvertedPart[] | Record<string, unknown>;

const cell = (value: ReportCell): CsvValue => (Array.isArray(value) ? unconvertedCsv(value) : (value as CsvValue));

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
