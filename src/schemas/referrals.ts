/** Request and response schemas of /api/v1/referrals (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import type { Referral } from '../db/referrals';
import { destinationUrl } from './links';

export const ReferralInput = z
  .object({
    campaign_id: z.string().min(1).max(64),
    customer_ref: z.string().trim().min(1).max(200).openapi({ description: "The shop's customer reference of the referrer; stored only as a keyed hash" }),
    destination: destinationUrl.optional().openapi({ description: "Where friends land; default the campaign's landing_url" }),
  })
  .strict()
  .openapi('ReferralInput');

export const ReferralSchema = z
  .object({ code: z.string(), url: z.string(), campaign_id: z.string(), destination: z.string().nullable(), created_at: z.string() })
  .openapi('Referral');

export const Money = { sales: z.number(), revenue: z.number(), currency: z.string().nullable() };
export const Totals = { sales: z.number(), revenue: z.number().nullable(), currency: z.string().nullable() };

export const ReferralDetailSchema = ReferralSchema.extend({
  stats: z.object({ visits: z.number(), unique_visitors: z.number(), signups: z.number(), ...Totals, revenue_by_currency: z.array(z.object(Money)) }),
  rewards: z.array(
    z.object({
      code: z.string(),
      discount: z.string().nullable(),
      min_order_value: z.number().nullable(),
      ends_at: z.string().nullable(),
      redeemed: z.boolean(),
      earned_at: z.string(),
    }),
  ),
}).openapi('ReferralDetail');

export const CodeParam = z.object({
  code: z
    .string()
    .min(1)
    .max(32)
    .openapi({ param: { name: 'code', in: 'path' } }),
});

export const referralJson = (origin: string, referral: Referral) => ({
  code: referral.code,
  url: `${origin}/r/${referral.code}`,
  campaign_id: referral.campaignId,
  destination: referral.destination,
  created_at: referral.createdAt,
});
