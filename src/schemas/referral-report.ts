/** Response schema of /api/v1/reports/referrals. */
import { z } from '@hono/zod-openapi';

export const ReferralReportSchema = z
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
