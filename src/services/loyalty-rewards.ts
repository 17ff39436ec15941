/**
 * Rewards for points: a discount (one unique single-use promo code made by the promo engine per redemption,
 * so its later use at checkout is a tracked, attributed touch) or a perk with no money value. Redeeming
 * spends the points exactly once (db/loyalty-rewards.ts: one guarded batch); a refusal is explained from
 * what that batch read back.
 */
import { findCampaignById } from '../db/campaigns';
import type { Db } from '../db/client';
import { findMember } from '../db/loyalty-members';
import { archiveReward, findReward, insertReward, redeemReward, updateReward, type Reward, type RewardFields } from '../db/loyalty-rewards';
import { addPromoValues, pagePromoValues, type NewPromoCode } from '../db/promo-codes';
import { formatCode, generateCodes } from '../domain/codes';
import { defaultPromoChannel } from '../domain/promo';
import type { RewardKind } from '../domain/vocab';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { findActiveCampaign } from './campaigns';
import { emitEvent } from './webhook-events';

const DISCOUNT_ONLY = ['campaignId', 'discount', 'minOrderValue', 'validDays'] as const;
const FIELD_NAMES: Record<(typeof DISCOUNT_ONLY)[number], string> = {
  campaignId: 'campaign_id',
  discount: 'discount',
  minOrderValue: 'min_order_value',
  validDays: 'valid_days',
};

/** Refuses a reward whose fields do not fit its kind; checks a discount's campaign is active. */
async function checkRewardFields(db: Db, kind: RewardKind, fields: RewardFields): Promise<void> {
  if (kind === 'perk') {
    const misplaced = DISCOUNT_ONLY.find((field) => fields[field] !== null);
    if (misplaced) throw new ApiError('validation_error', `${FIELD_NAMES[misplaced]}: only for discount rewards (a perk has no money value)`);
    return;
  }
  if (!fields.campaignId) throw new ApiError('validation_error', 'campaign_id: required for a discount reward');
  if (!fields.discount) throw new ApiError('validation_error', 'discount: required for a discount reward');
  await findActiveCampaign(db, fields.campaignId);
}

export interface RewardInput {
  kind: RewardKind;
  name: string;
  description?: string | null;
  cost: number;
  stock?: number | null;
  per_member_limit?: number | null;
  campaign_id?: string | null;
  discount?: string | null;
  min_order_value?: number | null;
  valid_days?: number | null;
}

const fieldsOf = (input: Partial<RewardInput>): Partial<RewardFields> => ({
  name: input.name,
  description: input.description,
  cost: input.cost,
  stock: input.stock,
  perMemberLimit: input.per_member_limit,
  campaignId: input.campaign_id,
  discount: input.discount,
  minOrderValue: input.min_order_value,
  validDays: input.valid_days,
});

export async function createReward(db: Db, input: RewardInput, now: number): Promise<Reward> {
  const fields = Object.fromEntries(Object.entries(fieldsOf(input)).map(([key, value]) => [key, value ?? null])) as unknown as RewardFields;
  await checkRewardFields(db, input.kind, fields);
  return insertReward(db, newId('reward', now), input.kind, fields, now);
}

export async function editReward(db: Db, id: string, patch: Partial<RewardInput>, now: number): Promise<Reward> {
  const current = await findReward(db, id);
  if (!current) throw notFound('Reward');
  const changes = Object.fromEntries(Object.entries(fieldsOf(patch)).filter(([, value]) => value !== undefined)) as Partial<RewardFields>;
  const merged: RewardFields = { ...current, ...changes };
  await checkRewardFields(db, current.kind, merged);
  if (merged.stock !== null && merged.stock < current.redeemed) {
    throw new ApiError('unprocessable', `stock: ${current.redeemed} have been redeemed already`);
  }
  const updated = await updateReward(db, id, changes, now).catch((error: unknown) => {
    // Redeemed between the read and this write: the table's CHECK keeps stock ≥ redeemed.
    if (String(error).includes('CHECK')) throw new ApiError('unprocessable', 'stock: below what has been redeemed already');
    throw error;
  });
  if (!updated) throw notFound('Reward');
  return updated;
}

export async function withdrawReward(db: Db, id: string, now: number): Promise<Reward> {
  const reward = await archiveReward(db, id, now);
  if (!reward) throw notFound('Reward');
  return reward;
}

export interface Redeemed {
  rewardId: string;
  redemptionId: string;
  promoCode: string | null;
  balance: number;
}

type MemberKey = { id: string } | { customerHash: string };

/** The single-use promotion a discount reward's redemption makes: channel from the rule table's coupon rule. */
function rewardPromo(reward: Reward, now: number): { row: NewPromoCode; value: { lookup: string; code: string } } {
  const [lookup] = generateCodes(1, '');
  return {
    row: {
      id: newId('promoCode', now),
      campaignId: reward.campaignId!,
      kind: 'unique',
      code: null,
      prefix: null,
      count: 1,
      startsAt: null,
      endsAt: reward.validDays ? toIso(now + reward.validDays * 86_400_000) : null,
      maxRedemptions: 1,
      maxPerCustomer: null,
      minOrderValue: reward.minOrderValue,
      discount: reward.discount,
      channel: defaultPromoChannel(),
    },
    value: { lookup, code: formatCode(lookup) },
  };
}

/**
 * Redeems reward `rewardId` for a member: 404 for an unknown member or reward, 410 for an archived one (or
 * one whose campaign is archived), otherwise exactly one outcome of the guarded batch.
 */
export async function redeemRewardFor(db: Db, key: MemberKey, rewardId: string, now: number): Promise<Redeemed> {
  const [member, reward] = await Promise.all([findMember(db, key, now), findReward(db, rewardId)]);
  if (!member) throw notFound('Member');
  if (!reward) throw notFound('Reward');
  if (reward.archivedAt) throw new ApiError('gone', 'This reward has been withdrawn');
  if (reward.kind === 'discount') {
    const campaign = await findCampaignById(db, reward.campaignId!);
    if (!campaign || campaign.status === 'archived') throw new ApiError('gone', "This reward's campaign has ended");
  }
  const promo = reward.kind === 'discount' ? rewardPromo(reward, now) : null;
  const redemptionId = newId('redemption', now);
  const outcome = await redeemReward(db, { id: redemptionId, rewardId, memberId: member.id, ledgerId: newId('ledger', now), at: toIso(now), promo }, now);
  if (!outcome.stored) throw refusal(outcome);
  let promoCode = outcome.promoCode;
  if (promo && promoCode === null) promoCode = await topUpCode(db, promo.row.id);
  const redeemed = { rewardId, redemptionId, promoCode, balance: outcome.balance };
  await emitEvent(
    db,
    'loyalty.reward_redeemed',
    {
      reward_id: rewardId,
      redemption_id: redemptionId,
      promo_code: promoCode,
      balance: outcome.balance,
      member_id: member.id,
      cost: reward.cost,
      redeemed_at: toIso(now),
    },
    now,
  );
  return redeemed;
}

function refusal(outcome: Awaited<ReturnType<typeof redeemReward>>): ApiError {
  if (outcome.archived) return new ApiError('gone', 'This reward has been withdrawn');
  if (outcome.outOfStock) return new ApiError('out_of_stock', 'This reward is out of stock');
  if (outcome.memberLimitReached) return new ApiError('member_limit_reached', 'This member has redeemed this reward as often as it allows');
  if (outcome.balance < outcome.cost) {
    return new ApiError('insufficient_points', `The reward costs ${outcome.cost} points; the member has ${outcome.balance}`);
  }
  return new ApiError('conflict', 'The reward could not be redeemed; try again');
}

/** A generated code that collided with a taken one (practically never): draw again until the promotion holds one. */
async function topUpCode(db: Db, promoId: string): Promise<string> {
  for (let round = 0; round < 5; round++) {
    const [lookup] = generateCodes(1, '');
    if ((await addPromoValues(db, promoId, [{ lookup, code: formatCode(lookup) }])) > 0) break;
  }
  const [value] = await pagePromoValues(db, promoId, '', 1);
  if (!value) throw new ApiError('internal_error', 'The promo code could not be made');
  return value.code;
}
