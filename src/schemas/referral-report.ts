/** Response schema of /api/v1/reports/referrals. */
import { z } from '@hono/zod-openapi';
import { reportMoney, UnconvertedSchema } from './reports';

const sums = {
  visits: z.number(),
  unique_visitors: z.number(),
  signups: z.number(),
  sales: z.number().openapi({ description: "Friends' first sales credited to this referrer, the unconverted ones included" }),
  revenue: z.number().openapi({ description: "Their revenue in the reporting currency, each sale at its day's rate" }),
  currency: z.string(),
  unconverted: UnconvertedSchema,
};

export const ReferralReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    ...reportMoney,
    rows: z.array(
      z.object({
        referrer: z.string().openapi({ description: 'The referral code, never a personal reference' }),
        campaign_id: z.string(),
        ...sums,
      }),
    ),
    totals: z.object(sums).openapi({ description: 'The rows added up; unique_visitors distinct over all referrers' }),
    campaigns: z.array(z.object({ campaign_id: z.string(), referring_customers: z.number(), referred_customers: z.number(), k_factor: z.number() })),
  })
  .openapi('ReferralReport');
