/** `GET /api/v1/reports/referrals`: per referrer visits, friends, signups, referred first sales, revenue; per campaign the K-factor. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { campaignKFactors, REFERRAL_REPORT_COLUMNS, referralReport as buildReferralReport } from '../services/referral-report';
import { reportCsv } from '../services/report-csv';
import { RangeQuery, resolveRange } from '../schemas/reports';
import { ReferralReportSchema } from '../schemas/referral-report';

export const referralReport = createRouter();

referralReport.openapi(
  createRoute({
    method: 'get',
    path: '/referrals',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: ReferralReportSchema }, 'text/csv': { schema: z.string() } },
        description: 'One row per referrer and their totals, revenue in the reporting currency; per campaign the K-factor (referred ÷ referring customers)',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { from, to } = resolveRange(query, c.var.now());
    const report = await buildReferralReport(replicaOf(c.var.db), { from, to, campaignId: query.campaign_id });
    if (query.format === 'csv') {
      return csvResponse(`referrals-${from}-${to}.csv`, reportCsv(REFERRAL_REPORT_COLUMNS, report.rows, report.totals, ['revenue'])) as never;
    }
    return c.json(
      {
        from,
        to,
        currency: report.currency,
        missing_rates: report.missing_rates,
        rows: report.rows,
        totals: report.totals,
        campaigns: campaignKFactors(report.rows),
      },
      200,
    );
  },
);
