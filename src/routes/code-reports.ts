/** `GET /api/v1/reports/codes`: action-code batches and promo codes, JSON or CSV. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { csvResponse, csvText } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors, jsonResponse } from '../schemas/common';
import { buildCodeReport, CODE_REPORT_CSV_HEADER, codeReportCsvRows } from '../services/code-report';
import { CodeReportSchema } from '../schemas/code-reports';

export const codeReports = createRouter();

codeReports.openapi(
  createRoute({
    method: 'get',
    path: '/codes',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: z.object({ campaign_id: z.string().min(1).max(64).optional(), format: z.enum(['json', 'csv']).default('json') }) },
    responses: {
      200: {
        ...jsonResponse(CodeReportSchema, 'Per batch and per promo code'),
        content: { 'application/json': { schema: CodeReportSchema }, 'text/csv': { schema: z.string() } },
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const report = await buildCodeReport(replicaOf(c.var.db), query.campaign_id);
    if (query.format === 'csv') {
      return csvResponse('codes-report.csv', csvText(CODE_REPORT_CSV_HEADER, codeReportCsvRows(report))) as never;
    }
    return c.json(report, 200);
  },
);
