/** `GET /api/v1/reports/referrals`: per referrer visits, friends, signups, referred first sales, revenue; per campaign the K-factor. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { csvResponse, toCsv } from '../lib/csv';
import { authErrors, createRouter } from '../lib/validation';
import { campaignKFactors, REFERRAL_REPORT_COLUMNS, referralRows } from '../services/referral-report';
import { RangeQuery, resolveRange } from './report-params';

const ReferralReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        referrer: z.string().openapi({ description: 'The referral code, never a personal reference' }),
        campaign_id: z.string(),
        visits: z.number(),
        unique_visitors: z.number(),
        signups: z.number(),
        sales: z.number().openapi({ description: "Friends' first sales credited to this referrer" }),
        revenue: z.number(),
        currency: z.string().nullable(),
      }),
    ),
    campaigns: z.array(z.object({ campaign_id: z.string(), referring_customers: z.number(), referred_customers: z.number(), k_factor: z.number() })),
  })
  .openapi('ReferralReport');

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
