/** `/api/v1/reports/loyalty`, `/customers` (ABC) and `/email`, as JSON or CSV. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { DEFAULT_ATTRIBUTION_MODEL, REPORT_MODELS } from '../domain/vocab';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { customersReport, LOYALTY_FIGURE_COLUMNS, LOYALTY_MONEY_COLUMNS, loyaltyReport } from '../services/loyalty';
import { emailReport } from '../services/email-report';
import { archiveReaderFor } from '../services/archive-reads';
import { markovFitPolicy } from '../services/markov-store';
import { reportCsv } from '../services/report-csv';
import { RangeQuery, resolveRange } from '../schemas/reports';

const loose = z.record(z.string(), z.any());
const ok = (description: string) => ({
  200: { content: { 'application/json': { schema: loose }, 'text/csv': { schema: z.string() } }, description },
  ...authErrors,
});

const EMAIL_COLUMNS = ['campaign_id', 'opens', 'machine_opens', 'human_clicks', 'scanner_clicks', 'ctr', 'conversions', 'revenue', 'currency', 'unconverted'];

export const loyaltyReports = createRouter();

loyaltyReports.openapi(
  createRoute({
    method: 'get',
    path: '/loyalty',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery },
    responses: ok('Customers acquired in the range per acquisition channel: repeat rate, orders, revenue, days between orders; new vs returning visitors'),
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await loyaltyReport(replicaOf(c.var.db), { ...range, campaignId: query.campaign_id });
    if (query.format === 'csv')
      return csvResponse(
        `loyalty-${range.from}-${range.to}.csv`,
        reportCsv(['channel', ...LOYALTY_FIGURE_COLUMNS], report.rows, report.totals, LOYALTY_MONEY_COLUMNS),
      ) as never;
    return c.json(report, 200);
  },
);

loyaltyReports.openapi(
  createRoute({
    method: 'get',
    path: '/customers',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery },
    responses: ok('ABC segments of the customers buying in the range by revenue in the reporting currency (A: top 80 % of revenue, B: next 15 %, C: last 5 %)'),
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await customersReport(replicaOf(c.var.db), { ...range, campaignId: query.campaign_id });
    if (query.format === 'csv') {
      const rows = report.segments.map((s) => ({
        ...s,
        currency: report.currency,
        channels: Object.entries(s.channels)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
      }));
      const totals = { ...report.totals, currency: report.currency, unconverted: report.unconverted };
      return csvResponse(
        `customers-${range.from}-${range.to}.csv`,
        reportCsv(['segment', 'customers', 'revenue', 'currency', 'share', 'channels', 'unconverted'], rows, totals, ['revenue']),
      ) as never;
    }
    return c.json(report, 200);
  },
);

loyaltyReports.openapi(
  createRoute({
    method: 'get',
    path: '/email',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery.extend({ model: z.enum(REPORT_MODELS).default(DEFAULT_ATTRIBUTION_MODEL) }) },
    responses: ok('Per campaign: opens, machine opens, human and scanner clicks on email links, CTR, attributed conversions and revenue'),
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await emailReport(replicaOf(c.var.db), {
      ...range,
      campaignId: query.campaign_id,
      model: query.model,
      archive: archiveReaderFor(c.var.db, c.env.ARCHIVE),
      markovPolicy: markovFitPolicy(c.env, c.var.now()),
    });
    if (query.format === 'csv')
      return csvResponse(`email-${query.model}-${range.from}-${range.to}.csv`, reportCsv(EMAIL_COLUMNS, report.rows, report.totals, ['revenue'])) as never;
    return c.json(report, 200);
  },
);
