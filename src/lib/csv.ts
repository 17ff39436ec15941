/** CSV (RFC 4180): quoting, and a pull-driven stream that holds one page at a time. */
export type CsvValue = string | number | boolean | null | undefined;

/** One field: quoted when it holds a comma, quote, CR or LF; quotes doubled. Leading =+-@ are defused for spreadsheets. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF terminator. */
export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** Whole CSV text of a small table (reports). */
export const csvText = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string =>
  csvLine(header) + rows.map(csvLine).join('');

/**
 * Streams a CSV: the header, then pages from `nextPage(cursor)` fetched only
 * when the reader asks for more, so memory stays one page whatever the size.
 */
export function csvStream<C>(
  header: readonly string[],
  first: C,
  nextPage: (cursor: C) => Promise<{ rows: CsvValue[][]; next: C | null }>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: C | null = first;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLine(header)));
          return;
        }
        if (cursor === null) {
          controller.close();
          return;
        }
        const page = await nextPage(cursor);
        cursor = page.next;
        if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map(csvLine).join('')));
        if (cursor === null) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

/** A whole document from records: the header row, then one line per row in `columns` order. */
export const toCsv = (columns: readonly string[], rows: ReadonlyArray<Record<string, CsvValue>>): string =>
  csvText(columns, rows.map((row) => columns.map((column) => row[column])));

/** A text/csv response, offered as a download named `filename`. */
export function csvResponse(filename: string, body: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    },
  });
}
