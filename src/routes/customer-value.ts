/** `/api/v1/reports/customer-value`: value per acquisition channel at 30, 90 and 365 days, and value ÷ CAC, as JSON or CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { replicaOf } from '../db/client';
import { guarded } from './guard';
import { csvResponse } from '../lib/csv';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { RangeQuery, resolveRange } from '../schemas/reports';
import { CUSTOMER_VALUE_COLUMNS, CUSTOMER_VALUE_MONEY, customerValueReport } from '../services/customer-value';
import { reportCsv } from '../services/report-csv';

export const customerValue = createRouter();

customerValue.openapi(
  createRoute({
    method: 'get',
    path: '/customer-value',
    tags: ['reports'],
    ...guarded('reports:read'),
    request: { query: RangeQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: z.record(z.string(), z.any()) }, 'text/csv': { schema: z.string() } },
        description:
          'Customers acquired in the range per acquisition channel: revenue per customer and repeat rate 30, 90 and 365 days after their first purchase (customers_dN: those whose first purchase is at least N days old), spend, CAC (spend ÷ customers) and value ÷ CAC',
      },
      ...authErrors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const range = resolveRange(query, c.var.now());
    const report = await customerValueReport(replicaOf(c.var.db), { ...range, campaignId: query.campaign_id }, c.var.now());
    if (query.format === 'csv') {
      return csvResponse(
        `customer-value-${range.from}-${range.to}.csv`,
        reportCsv(['channel', ...CUSTOMER_VALUE_COLUMNS], report.rows, report.totals, CUSTOMER_VALUE_MONEY),
      ) as never;
    }
    return c.json(report, 200);
  },
);
