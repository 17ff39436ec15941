/** `GET /api/v1/reports/paths`: the most frequent channel sequences before a conversion, path lengths and days to conversion. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { RangeQuery, resolveRange, UnconvertedSchema, reportMoney } from '../schemas/reports';
import { DEFAULT_PATH_LIMIT, MAX_PATH_LIMIT, PATHS_CSV_COLUMNS, pathsCsvRows, pathsReport } from '../services/conversion-paths';
import { archiveReaderFor } from '../services/archive-reads';
import { reportCsv } from '../services/report-csv';

const bucket = { conversions: z.number(), share: z.number().openapi({ description: 'Of the conversions with a path' }) };

const PathsReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    ...reportMoney,
    conversions: z.number().openapi({ description: 'Conversions of the range with a candidate touch (direct ones have no path)' }),
    distinct_paths: z.number(),
    rows: z
      .array(
        z.object({
          path: z.string().openapi({ description: "Channels of the candidate touches in time order, joined by ' > '" }),
          touches: z.number(),
          conversions: z.number(),
          revenue: z.number(),
          currency: z.string(),
          unconverted: UnconvertedSchema,
          share: z.number(),
        }),
      )
      .openapi({ description: 'The most frequent paths first (then by revenue, then by path), at most `limit`' }),
    path_lengths: z.array(z.object({ touches: z.number(), ...bucket })),
    days_to_conversion: z.array(z.object({ days: z.number().openapi({ description: 'Whole days from the first touch to the conversion' }), ...bucket })),
  })
  .openapi('PathsReport');

export const pathsReportRoute = createRouter();

pathsReportRoute.openapi(
  createRoute({
    method: 'get',
    path: '/paths',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery.extend({ limit: z.coerce.number().int().min(1).max(MAX_PATH_LIMIT).default(DEFAULT_PATH_LIMIT) }) },
    responses: {
      200: {
        content: { 'application/json': { schema: PathsReportSchema }, 'text/csv': { schema: z.string() } },
        description:
          'Conversion paths of the range: channel sequences with their conversions and revenue (reporting currency), the distribution of path length and of days from first touch to conversion; CSV: the three tables, one `section` column telling them apart (path, path_length, days_to_conversion; docs/DESIGN.md "Conversion paths")',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { from, to } = resolveRange(query, c.var.now());
    const report = await pathsReport(
      replicaOf(c.var.db),
      { from, to, campaignId: query.campaign_id, limit: query.limit },
      archiveReaderFor(c.var.db, c.env.ARCHIVE),
    );
    if (query.format === 'csv') return csvResponse(`paths-${from}-${to}.csv`, reportCsv(PATHS_CSV_COLUMNS, pathsCsvRows(report), null, ['revenue'])) as never;
    return c.json(report, 200);
  },
);
