/** Response shapes of the promo-code routes. */
import { z } from '@hono/zod-openapi';
import type { PromoCode } from '../db/promo-codes';
import { CHANNELS, PROMO_KINDS, RECORD_STATUSES } from '../domain/vocab';
import type { PromoRedemption } from '../services/promo-codes';

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

export const redemptionJson = (redemption: PromoRedemption) => ({
  id: redemption.id,
  promo_code_id: redemption.promo.id,
  campaign_id: redemption.promo.campaignId,
  code: redemption.code,
  order_id: redemption.orderId,
  order_value: redemption.orderValue,
  discount: redemption.promo.discount,
  touch_id: redemption.touch.id,
  redeemed_at: redemption.redeemedAt,
});
