/** `GET /api/v1/reports/referrals`: per referrer visits, friends, signups, referred first sales, revenue; per campaign the K-factor. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { csvResponse, toCsv } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { campaignKFactors, REFERRAL_REPORT_COLUMNS, referralRows } from '../services/referral-report';
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
        description: 'One row per referrer (and further currency); per campaign the K-factor (referred ÷ referring customers)',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { from, to } = resolveRange(query, c.var.now());
    const rows = await referralRows(c.var.db, { from, to, campaignId: query.campaign_id });
    if (query.format === 'csv') return csvResponse(`referrals-${from}-${to}.csv`, toCsv(REFERRAL_REPORT_COLUMNS, rows, ['revenue'])) as never;
    return c.json({ from, to, rows, campaigns: campaignKFactors(rows) }, 200);
  },
);
