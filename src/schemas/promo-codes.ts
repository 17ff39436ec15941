/** Request and response schemas of the promo-code routes. */
import { z } from '@hono/zod-openapi';
import type { PromoCode } from '../db/promo-codes';
import { prefixProblem } from '../domain/codes';
import { VANITY_PATTERN } from '../domain/promo';
import { isoDateTime } from './common';
import { CHANNELS, PROMO_KINDS, RECORD_STATUSES } from '../domain/vocab';

export const PromoCodeSchema = z
  .object({
    id: z.string(),
    campaign_id: z.string(),
    kind: z.enum(PROMO_KINDS),
    code: z.string().nullable().describe('The vanity code; null for generated unique codes (see codes / codes_url)'),
    prefix: z.string().nullable(),
    count: z.number(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    max_redemptions: z.number().nullable(),
    max_per_customer: z.number().nullable(),
    min_order_value: z.number().nullable(),
    discount: z.string().nullable(),
    channel: z.enum(CHANNELS),
    redemptions: z.number(),
    status: z.enum(RECORD_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
    codes_url: z.string(),
    codes: z.array(z.string()).optional().describe('Every code of the promotion; only in the response that creates it'),
  })
  .openapi('PromoCode');

export const PromoValidSchema = z
  .object({
    valid: z.literal(true),
    code: z.string(),
    promo_code_id: z.string(),
    campaign_id: z.string(),
    discount: z.string().nullable(),
    min_order_value: z.number().nullable(),
    remaining: z.number().nullable().describe('Redemptions left in total; null when unlimited'),
  })
  .openapi('PromoValid');

export const PromoRedemptionSchema = z
  .object({
    id: z.string(),
    promo_code_id: z.string(),
    campaign_id: z.string(),
    code: z.string(),
    order_id: z.string(),
    order_value: z.number().nullable(),
    discount: z.string().nullable(),
    touch_id: z.string(),
    redeemed_at: z.string(),
  })
  .openapi('PromoRedemption');

export const promoJson = (promo: PromoCode) => ({
  id: promo.id,
  campaign_id: promo.campaignId,
  kind: promo.kind,
  code: promo.code,
  prefix: promo.prefix,
  count: promo.count,
  starts_at: promo.startsAt,
  ends_at: promo.endsAt,
  max_redemptions: promo.maxRedemptions,
  max_per_customer: promo.maxPerCustomer,
  min_order_value: promo.minOrderValue,
  discount: promo.discount,
  channel: promo.channel,
  redemptions: promo.redemptions,
  status: promo.status,
  created_at: promo.createdAt,
  updated_at: promo.updatedAt,
  codes_url: `/api/v1/promo-codes/${promo.id}/codes.csv`,
});

export const limit = z.number().int().min(1).max(100_000_000);
export const PromoFieldsInput = z.object({
  starts_at: isoDateTime.nullable().optional(),
  ends_at: isoDateTime.nullable().optional(),
  max_redemptions: limit.nullable().optional(),
  max_per_customer: limit.nullable().optional(),
  min_order_value: z.number().min(0).max(1e12).nullable().optional(),
  discount: z.string().trim().min(1).max(200).nullable().optional(),
  channel: z.enum(CHANNELS).optional(),
});

export const PromoInput = PromoFieldsInput.extend({
  campaign_id: z.string().min(1).max(64),
  code: z.string().regex(VANITY_PATTERN, 'must be 3 to 32 letters, digits and dashes').optional(),
  count: z.number().int().min(1).max(10_000).optional(),
  prefix: z
    .string()
    .max(20)
    .refine((value) => prefixProblem(value) === null, { error: (issue) => prefixProblem(String(issue.input)) ?? 'invalid prefix' })
    .optional(),
})
  .strict()
  .openapi('PromoCodeInput');

export const PromoPatch = PromoFieldsInput.extend({ status: z.enum(RECORD_STATUSES).optional() })
  .strict()
  .openapi('PromoCodePatch');

export const CheckInput = z.object({
  code: z.string().min(1).max(100),
  customer_ref: z.string().min(1).max(200).optional(),
  order_value: z.number().min(0).max(1e12).optional(),
});
export const ValidateInput = CheckInput.strict().openapi('PromoValidateInput');
export const RedeemInput = CheckInput.extend({ order_id: z.string().min(1).max(200) })
  .strict()
  .openapi('PromoRedeemInput');
