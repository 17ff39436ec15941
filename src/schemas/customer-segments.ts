/** Query and response schemas of the RFM and cohort reports. */
import { z } from '@hono/zod-openapi';
import { MEMBERSHIPS } from '../domain/cohorts';
import { RFM_SEGMENTS } from '../domain/rfm';
import { ATTRIBUTED_CHANNELS } from '../domain/vocab';
import { RangeQuery, reportMoney } from './reports';

export const RFM_TABLES = ['channels', 'segments'] as const;

export const RfmQuery = RangeQuery.extend({
  table: z.enum(RFM_TABLES).default('channels').openapi({ description: 'CSV only: segment counts per acquisition channel, or the figures per segment' }),
});

export const CohortQuery = RangeQuery.extend({
  channel: z
    .enum(ATTRIBUTED_CHANNELS as [string, ...string[]])
    .optional()
    .openapi({ description: 'Only customers of this acquisition channel' }),
  membership: z.enum(MEMBERSHIPS).optional().openapi({ description: 'Only bonus program members, or only customers who are not members (now)' }),
});

const segmentCounts = Object.fromEntries(RFM_SEGMENTS.map((segment) => [segment, z.number()])) as Record<(typeof RFM_SEGMENTS)[number], z.ZodNumber>;

export const RfmReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    as_of: z.string().openapi({ description: 'The day recency is counted to (`to`)' }),
    ...reportMoney,
    segment_names: z.array(z.enum(RFM_SEGMENTS)),
    segments: z.array(
      z.object({
        segment: z.enum(RFM_SEGMENTS),
        customers: z.number(),
        share: z.number(),
        revenue: z.number(),
        currency: z.string(),
        mean_recency_days: z.number().nullable(),
        mean_orders: z.number().nullable(),
        revenue_per_customer: z.number().nullable(),
      }),
    ),
    rows: z.array(z.object({ channel: z.string(), customers: z.number(), ...segmentCounts })).openapi({ description: 'Per acquisition channel' }),
    totals: z.object({ channel: z.literal('total'), customers: z.number(), ...segmentCounts }),
  })
  .openapi('RfmReport');

export const CohortReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    channel: z.string().nullable(),
    campaign_id: z.string().nullable(),
    membership: z.enum(MEMBERSHIPS).nullable(),
    ...reportMoney,
    months: z.number().openapi({ description: 'Cells of the longest cohort (months since 0 … months − 1)' }),
    cohorts: z.array(
      z.object({
        cohort: z.string().openapi({ description: 'YYYY-MM of the first purchase' }),
        customers: z.number(),
        cells: z.array(
          z.object({
            month: z.number().openapi({ description: 'Calendar months since the cohort month' }),
            customers: z.number().openapi({ description: 'Customers of the cohort who bought in that month' }),
            share: z.number(),
            orders: z.number(),
            revenue: z.number(),
          }),
        ),
      }),
    ),
  })
  .openapi('CohortReport');
