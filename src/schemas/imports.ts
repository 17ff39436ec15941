/** The bulk imports' contract: their CSV columns and limits, and the per-row result they answer. */
import { z } from '@hono/zod-openapi';
import { errorResponse } from './common';

/** A CSV file's columns: those it must have and those it may have (any order, names case-insensitive). */
export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

export const LINK_IMPORT_COLUMNS = {
  required: ['campaign', 'destination'],
  optional: ['slug', 'kind', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'],
} as const satisfies CsvColumns;

export const CONVERSION_IMPORT_COLUMNS = {
  required: ['order_id', 'occurred_at'],
  optional: ['type', 'value', 'currency', 'customer_ref', 'click_id', 'promo_code'],
} as const satisfies CsvColumns;

/** Data rows per request (the header not counted). */
export const MAX_LINK_IMPORT_ROWS = 10_000;
/**
 * Orders are recorded one by one through the conversion service (up to 9 D1
 * round trips each, measured: click, customer, promo code, loyalty points), so
 * a request takes fewer of them: D1 allows a Worker invocation 1,000 queries
 * (subrequests; a batch is one).
 */
export const MAX_CONVERSION_IMPORT_ROWS = 100;
/** Bytes per request body. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export const IMPORT_STATUSES = ['created', 'duplicate', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const ImportRowSchema = z
  .object({
    row: z.number().int().describe('1-based number of the data record (the header is not counted; blank lines are skipped)'),
    line: z.number().int().describe('the line of the file the record starts on'),
    status: z.enum(IMPORT_STATUSES),
    id: z.string().optional().describe('the created link or conversion, or the existing one a duplicate matches'),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('ImportRow');

export type ImportRow = z.infer<typeof ImportRowSchema>;

export const ImportResultSchema = z
  .object({
    counts: z.object({ rows: z.number().int(), created: z.number().int(), duplicate: z.number().int(), failed: z.number().int() }),
    results: z.array(ImportRowSchema).describe('one per data record, in file order'),
  })
  .openapi('ImportResult');

export type ImportResult = z.infer<typeof ImportResultSchema>;

/** The request body of an import: CSV text with a header row. */
export const csvBody = (columns: CsvColumns, maxRows: number) => ({
  body: {
    content: {
      'text/csv': {
        schema: z.string().openapi({
          description: `UTF-8 CSV (RFC 4180) with a header row. Columns: ${columns.required.join(', ')} (required); ${columns.optional.join(', ')} (optional). At most ${maxRows} data rows and ${MAX_IMPORT_BYTES} bytes.`,
        }),
      },
    },
    required: true,
  },
});

/** The whole-file refusals of an import, besides the auth errors. */
export const importErrors = {
  413: errorResponse('payload_too_large: more rows or bytes than one request takes'),
  415: errorResponse('unsupported_media_type: the body is not text/csv (UTF-8)'),
} as const;

/** Counts of a result list. */
export function importResult(results: ImportRow[]): ImportResult {
  const count = (status: ImportStatus) => results.filter((row) => row.status === status).length;
  return { counts: { rows: results.length, created: count('created'), duplicate: count('duplicate'), failed: count('failed') }, results };
}
