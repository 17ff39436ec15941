/**
 * CSV (RFC 4180) for every download: quoting, formula neutralising, money to
 * cents, and a pull-driven stream that holds one page at a time. Every
 * `text/csv` response is built from this module.
 */
import { downloadHeaders, pagedStream } from './download';

export type CsvValue = string | number | boolean | null | undefined;

/** Cells a spreadsheet would read as a formula (or whose leading control character it would eat). */
export const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Cells quoted whatever the separator the reader splits on: `,` and `;` (the
 * German default), tab, quote, CR, LF, and leading or trailing spaces (which
 * some readers trim).
 */
export const NEEDS_QUOTES = /[,;"\t\r\n]|^ | $/;
/** A plain decimal number (a money cell like -12.50): a spreadsheet reads it as a number, never as a formula. */
export const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * One field. Text starting with = + - @ tab or CR gets a leading `'` so no
 * spreadsheet runs it; then any field holding a separator, quote, line break or
 * edge space is quoted with quotes doubled. Numbers are written as they are.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An amount of money as a CSV cell: two decimals (cents), never float noise like 5746.817827. */
export const csvMoney = (value: CsvValue): CsvValue =>
  typeof value === 'number' && Number.isFinite(value) ? (Object.is(Number(value.toFixed(2)), -0) ? '0.00' : value.toFixed(2)) : value;

/** One CSV record with its CRLF terminator. */
export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** Whole CSV text of a small table (reports). */
export const csvText = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string => csvLine(header) + rows.map(csvLine).join('');

/**
 * Streams a CSV: the header, then pages from `nextPage(cursor)` fetched only
 * when the reader asks for more, so memory stays one page whatever the size.
 */
export function csvStream<C>(
  header: readonly string[],
  first: C,
  nextPage: (cursor: C) => Promise<{ rows: CsvValue[][]; next: C | null }>,
): ReadableStream<Uint8Array> {
  return pagedStream(csvLine(header), first, async (cursor) => {
    const page = await nextPage(cursor);
    return { text: page.rows.map(csvLine).join(''), next: page.next };
  });
}

/**
 * A whole document from records: the header row, then one line per row in
 * `columns` order; the columns named in `money` are written to the cent.
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, CsvValue>>, money: readonly string[] = []): string {
  const isMoney = columns.map((column) => money.includes(column));
  return csvText(
    columns,
    rows.map((row) => columns.map((column, i) => (isMoney[i] ? csvMoney(row[column]) : row[column]))),
  );
}

/** The headers of a CSV download named `filename` (also for streamed bodies). */
export const csvHeaders = (filename: string, extra: Record<string, string> = {}): Record<string, string> =>
  downloadHeaders(filename, 'text/csv; charset=utf-8', extra);

/** A text/csv response, offered as a download named `filename`. */
export function csvResponse(filename: string, body: string | ReadableStream<Uint8Array>, extra: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: csvHeaders(filename, extra) });
}

/** Records of CSV text, each with the 1-based line it starts on; `problem` names the first way the text is not RFC 4180. */
export interface ScannedCsv {
  records: Array<{ line: number; fields: string[] }>;
  problem: string | null;
}

/**
 * Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a
 * leading BOM) into records of fields, each with its 1-based line number;
 * `separator` is `,` or `;`. Blank lines are skipped. Leniently, a quote left
 * open makes the rest one field and text after a closing quote is kept; both
 * are reported as `problem` for readers that must refuse them.
 */
export function scanCsv(text: string, separator = ','): ScannedCsv {
  const records: Array<{ line: number; fields: string[] }> = [];
  let problem: string | null = null;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let closedQuote = false;
  let line = 1;
  let start = 1;
  let quoteLine = 1;
  const end = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '' || closedQuote) records.push({ line: start, fields });
    fields = [];
    field = '';
    closedQuote = false;
  };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') (quoted = false), (closedQuote = true);
      else {
        if (char === '\n' || (char === '\r' && body[i + 1] !== '\n')) line++;
        field += char;
      }
    } else if (char === '"' && field === '' && !closedQuote) (quoted = true), (quoteLine = line);
    else if (char === separator) fields.push(field), (field = ''), (closedQuote = false);
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      end();
      start = ++line;
    } else {
      if (closedQuote && problem === null) problem = `line ${line}: text after a closing quote (a quote inside a field is written "")`;
      if (char === '"' && problem === null) problem = `line ${line}: a quote inside an unquoted field (quote the field and write "")`;
      field += char;
    }
  }
  if (quoted && problem === null) problem = `line ${quoteLine}: a quoted field is never closed`;
  if (field !== '' || fields.length > 0 || closedQuote) end();
  return { records, problem };
}

/** CSV records, read leniently (see scanCsv). */
export const readCsv = (text: string, separator = ','): Array<{ line: number; fields: string[] }> => scanCsv(text, separator).records;
