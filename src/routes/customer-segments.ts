/** `GET /api/v1/reports/rfm` and `/reports/cohorts`: RFM segments per acquisition channel and first-purchase cohorts, as JSON or CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { replicaOf } from '../db/client';
import { guarded } from './guard';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { CohortQuery, CohortReportSchema, RfmQuery, RfmReportSchema } from '../schemas/customer-segments';
import { resolveRange } from '../schemas/reports';
import { COHORT_COLUMNS, COHORT_MONEY, cohortCsvRows, cohortReport } from '../services/cohorts';
import { reportCsv } from '../services/report-csv';
import { RFM_CHANNEL_COLUMNS, RFM_SEGMENT_COLUMNS, RFM_SEGMENT_MONEY, rfmReport } from '../services/rfm';

export const customerSegments = createRouter();

customerSegments.openapi(
  createRoute({
    method: 'get',
    path: '/rfm',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RfmQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: RfmReportSchema }, 'text/csv': { schema: z.string() } },
        description:
          'Customers buying in the range scored 1–5 on recency, frequency and monetary value (quintiles over them by mid-rank), grouped into named segments, counted per acquisition channel (README "RFM segments")',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await rfmReport(replicaOf(c.var.db), { ...range, campaignId: query.campaign_id });
    if (query.format === 'csv') {
      const body =
        query.table === 'segments'
          ? reportCsv(RFM_SEGMENT_COLUMNS, report.segments, null, RFM_SEGMENT_MONEY)
          : reportCsv(['channel', ...RFM_CHANNEL_COLUMNS], report.rows, report.totals, []);
      return csvResponse(`rfm-${query.table}-${range.from}-${range.to}.csv`, body) as never;
    }
    return c.json(report, 200);
  },
);

customerSegments.openapi(
  createRoute({
    method: 'get',
    path: '/cohorts',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: CohortQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: CohortReportSchema }, 'text/csv': { schema: z.string() } },
        description:
          'Customers whose first purchase lies in the range, by its month, against calendar months since: customers still buying, their share of the cohort, orders and revenue (reporting currency); CSV: one line per cohort and month',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const now = c.var.now();
    const range = resolveRange(query, now);
    const filter = { ...range, campaignId: query.campaign_id, channel: query.channel, membership: query.membership };
    const report = await cohortReport(replicaOf(c.var.db), filter, now);
    if (query.format === 'csv') {
      return csvResponse(`cohorts-${range.from}-${range.to}.csv`, reportCsv(COHORT_COLUMNS, cohortCsvRows(report), null, COHORT_MONEY)) as never;
    }
    return c.json(report, 200);
  },
);
