/** Request and response schemas of /api/v1/loyalty/rewards. */
import { z } from '@hono/zod-openapi';
import type { Reward } from '../db/loyalty-rewards';
import { REWARD_KINDS } from '../domain/vocab';

const points = z.number().int().min(1).max(1_000_000_000);
const count = z.number().int().min(0).max(1_000_000_000);

const RewardFieldsInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  cost: points.openapi({ description: 'Points the reward costs' }),
  stock: count.nullable().optional().openapi({ description: 'How many can be redeemed in all; null or absent: unlimited' }),
  per_member_limit: points.nullable().optional().openapi({ description: 'How often one member may redeem it; null: no limit' }),
  campaign_id: z.string().min(1).max(64).nullable().optional().openapi({ description: 'discount: the campaign its promo codes belong to' }),
  discount: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullable()
    .optional()
    .openapi({ description: 'discount: what the promo code gives, in the promo codes\' shape ("10 %", "5 EUR")' }),
  min_order_value: z.number().min(0).max(1e12).nullable().optional(),
  valid_days: z.number().int().min(1).max(3650).nullable().optional().openapi({ description: 'discount: days the promo code stays valid; null: unlimited' }),
});

export const RewardInput = RewardFieldsInput.extend({ kind: z.enum(REWARD_KINDS) })
  .strict()
  .openapi('LoyaltyRewardInput');

export const RewardPatch = RewardFieldsInput.partial().strict().openapi('LoyaltyRewardPatch');

export const RewardSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    kind: z.enum(REWARD_KINDS),
    cost: z.number(),
    stock: z.number().nullable(),
    redeemed: z.number(),
    remaining: z.number().nullable().describe('Stock left; null when unlimited'),
    per_member_limit: z.number().nullable(),
    campaign_id: z.string().nullable(),
    discount: z.string().nullable(),
    min_order_value: z.number().nullable(),
    valid_days: z.number().nullable(),
    archived_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('LoyaltyReward');

export const RewardListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
  include_archived: z.enum(['true', 'false']).optional(),
});

export const RedeemRewardInput = z
  .object({
    customer_ref: z.string().trim().min(1).max(200).openapi({ description: "The member's customer reference in the shop; stored only as a keyed hash" }),
  })
  .strict()
  .openapi('LoyaltyRedeemInput');

export const RedeemedSchema = z
  .object({
    reward_id: z.string(),
    redemption_id: z.string(),
    promo_code: z.string().optional().describe('discount rewards: the single-use promo code to use at checkout'),
    balance: z.number().describe("The member's balance after spending"),
  })
  .openapi('LoyaltyRedeemed');

export const rewardJson = (reward: Reward) => ({
  id: reward.id,
  name: reward.name,
  description: reward.description,
  kind: reward.kind,
  cost: reward.cost,
  stock: reward.stock,
  redeemed: reward.redeemed,
  remaining: reward.stock === null ? null : Math.max(0, reward.stock - reward.redeemed),
  per_member_limit: reward.perMemberLimit,
  campaign_id: reward.campaignId,
  discount: reward.discount,
  min_order_value: reward.minOrderValue,
  valid_days: reward.validDays,
  archived_at: reward.archivedAt,
  created_at: reward.createdAt,
  updated_at: reward.updatedAt,
});
