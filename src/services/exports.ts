/**
 * Raw exports for a warehouse: touches or conversions of a time range as
 * NDJSON or CSV, streamed a keyset page at a time as the client reads, so
 * memory stays one page (EXPORT_PAGE_ROWS rows) whatever the range holds.
 */
import {
  CONVERSION_EXPORT_COLUMNS,
  pageConversionsForExport,
  pageTouchesForExport,
  TOUCH_EXPORT_COLUMNS,
  type ExportCursor,
  type ExportRange,
} from '../db/exports';
import type { Db } from '../db/client';
import { touchOrder } from '../domain/archive';
import { csvLine, type CsvValue } from '../lib/csv';
import { downloadHeaders, pagedStream } from '../lib/download';
import type { ExportFormat } from '../schemas/exports';
import { ArchiveReader } from './archive-reads';

/** Rows per D1 read: about 0.5 MB of touches, well inside D1's response size and one isolate's memory. */
export const EXPORT_PAGE_ROWS = 2000;

export const EXPORT_KINDS = ['touches', 'conversions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

type Row = { id: string; occurred_at: string } & Record<string, unknown>;

interface ExportSource {
  columns: readonly string[];
  /** A page from D1, merged with the archive's (touches past the hot window) when a reader is given. */
  page: (db: Db, archive: ArchiveReader | null, range: ExportRange, cursor: ExportCursor, limit: number) => Promise<Row[]>;
  /** Stored values as exported (SQLite's 0/1 flags as booleans). */
  shape: (row: Row) => Row;
}

const SOURCES: Record<ExportKind, ExportSource> = {
  touches: {
    columns: TOUCH_EXPORT_COLUMNS,
    page: async (db, archive, range, cursor, limit) => {
      const [hot, archived] = await Promise.all([pageTouchesForExport(db, range, cursor, limit), archive ? archive.page(range, cursor, limit) : []]);
      // A touch is in exactly one of the two (it leaves D1 in the batch that records its part), so merging never repeats one.
      return (archived.length === 0 ? hot : [...hot, ...archived].sort(touchOrder).slice(0, limit)) as Row[];
    },
    shape: (row) => ({ ...row, is_bot: row.is_bot === 1, after_cap: row.after_cap === 1 }),
  },
  conversions: {
    columns: CONVERSION_EXPORT_COLUMNS,
    page: (db, _archive, range, cursor, limit) => pageConversionsForExport(db, range, cursor, limit) as Promise<Row[]>,
    shape: (row) => row,
  },
};

const FORMATS: Record<ExportFormat, { type: string; head: (columns: readonly string[]) => string; line: (columns: readonly string[], row: Row) => string }> = {
  ndjson: {
    type: 'application/x-ndjson; charset=utf-8',
    head: () => '',
    // Keys in column order: the documented order, whatever order D1 answers in.
    line: (columns, row) => `${JSON.stringify(Object.fromEntries(columns.map((column) => [column, row[column]])))}\n`,
  },
  csv: {
    type: 'text/csv; charset=utf-8',
    head: (columns) => csvLine(columns),
    line: (columns, row) => csvLine(columns.map((column) => row[column] as CsvValue)),
  },
};

/** A label of an instant for a file name: the date alone when it is midnight UTC. */
const label = (iso: string): string => (iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso);

/** The streamed download of `kind` over `range` in `format`, named after both; touches include those archived in `bucket`. */
export function exportResponse(
  db: Db,
  kind: ExportKind,
  range: ExportRange,
  format: ExportFormat,
  pageRows = EXPORT_PAGE_ROWS,
  bucket: R2Bucket | null = null,
): Response {
  const source = SOURCES[kind];
  const archive = bucket ? new ArchiveReader(db, bucket) : null;
  const { type, head, line } = FORMATS[format];
  const body = pagedStream<{ after: ExportCursor }>(head(source.columns), { after: null }, async ({ after }) => {
    const rows = await source.page(db, archive, range, after, pageRows);
    const last = rows[rows.length - 1];
    return {
      text: rows.map((row) => line(source.columns, source.shape(row))).join(''),
      next: rows.length === pageRows ? { after: { at: last.occurred_at, id: last.id } } : null,
    };
  });
  const filename = `${kind}-${label(range.from)}-${label(range.to)}.${format}`;
  return new Response(body, { status: 200, headers: downloadHeaders(filename, type, { 'Cache-Control': 'no-store' }) });
}
