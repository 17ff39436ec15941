/** `GET /api/v1/exports/touches` and `/conversions`: raw rows of a time range for a warehouse, streamed as NDJSON or CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { ConversionExportRowSchema, ExportQuery, exportFormat, resolveExportRange, TouchExportRowSchema } from '../schemas/exports';
import { EXPORT_KINDS, EXPORT_PAGE_ROWS, exportResponse, type ExportKind } from '../services/exports';

export const rawExports = createRouter();

const ROWS: Record<ExportKind, { schema: z.ZodType; description: string }> = {
  touches: {
    schema: TouchExportRowSchema,
    description: 'Every touch (bots included, flagged) with occurred_at in the range, ordered by (occurred_at, id)',
  },
  conversions: {
    schema: ConversionExportRowSchema,
    description: 'Every conversion with occurred_at in the range, ordered by (occurred_at, id), with what refunds took back',
  },
};

for (const kind of EXPORT_KINDS) {
  rawExports.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}`,
      tags: ['exports'],
      ...guarded('reports:read'),
      description: `${ROWS[kind].description}. Streamed as the client reads (${EXPORT_PAGE_ROWS} rows per database read), so any range can be exported; NDJSON: one JSON object per line; CSV: a header row, then one record per row.`,
      request: { query: ExportQuery },
      responses: {
        200: {
          content: { 'application/x-ndjson': { schema: ROWS[kind].schema }, 'text/csv': { schema: z.string() } },
          description: `${ROWS[kind].description}; a download (Content-Disposition) named ${kind}-<from>-<to>.<format>`,
        },
        ...authErrors,
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const range = resolveExportRange(query, c.var.now());
      return exportResponse(c.var.db, kind, range, exportFormat(query.format, c.req.header('Accept')), EXPORT_PAGE_ROWS, c.env.ARCHIVE ?? null) as never;
    },
  );
}
