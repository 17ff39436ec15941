/** `/api/v1/reports/loyalty-program`: the bonus program for the analyst, as JSON or one table as CSV. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { PROGRAM_REPORT_TABLES } from '../domain/loyalty-program-report';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { RangeQuery, resolveRange } from '../schemas/reports';
import { programReportCsv } from '../services/loyalty-program-csv';
import { loyaltyProgramReport } from '../services/loyalty-program-report';

const ProgramReportQuery = RangeQuery.omit({ campaign_id: true }).extend({
  table: z.enum(PROGRAM_REPORT_TABLES).default('members_vs_non_members').openapi({ description: 'CSV: the table to download (JSON has them all)' }),
});

export const loyaltyProgramReportRoute = createRouter();

loyaltyProgramReportRoute.openapi(
  createRoute({
    method: 'get',
    path: '/loyalty-program',
    tags: ['reports'],
    ...guarded('reports:read', 'loyalty:read'),
    request: { query: ProgramReportQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: z.record(z.string(), z.any()) }, 'text/csv': { schema: z.string() } },
        description:
          'Members, points by source and acquisition channel, liability per day, redemptions per reward, engagement, tiers, members against non-members per acquisition channel',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await loyaltyProgramReport(replicaOf(c.var.db), range);
    if (query.format === 'csv')
      return csvResponse(`loyalty-program-${query.table}-${range.from}-${range.to}.csv`, programReportCsv(report, query.table)) as never;
    return c.json(report, 200);
  },
);
