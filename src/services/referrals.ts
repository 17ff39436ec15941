/**
 * Tell-a-friend: personal referral links, and the hook that conversion
 * recording calls once a conversion is stored. The hook finds the referral
 * visit among the conversion's candidate touches, applies the fraud rules and
 * logs the outcome; a friend's qualifying first sale mints one unique promo
 * code for the referrer. Exactly once: the outcome row is claimed with
 * INSERT … ON CONFLICT DO NOTHING (conversion id, and one referred sale per
 * friend), and the reward's promotion id is fixed in that row before minting,
 * so a repeated sale only finishes a mint that failed half way.
 */
import { findCampaignById } from '../db/campaigns';
import type { Db } from '../db/client';
import { addPromoValues, insertPromoCode } from '../db/promo-codes';
import {
  claimReferralConversion,
  findConversionReferral,
  findReferralConversion,
  hasEarlierSale,
  insertReferral,
  promoExists,
  sharesVisitorWithCustomer,
  toConversionReferral,
  type ConversionReferral,
  type ConversionReferralRow,
  type Referral,
} from '../db/referrals';
import { isSharded } from '../db/shards';
import { formatCode, generateCodes } from '../domain/codes';
import { parseReferralReward, REFERRAL_CODE_LENGTH, referralOutcome, referralRules, type ReferralReward } from '../domain/referrals';
import type { ReferralOutcome } from '../domain/vocab';
import type { Bindings } from '../env';
import { ApiError } from '../lib/errors';
import { newId, randomString } from '../lib/ids';
import { toIso } from '../lib/time';
import { customerHashOf } from '../lib/customer';
import { earnOrQueue, referralOccasions } from './loyalty-occasions';
import { emitEvent } from './webhook-events';

export interface ReferralInput {
  campaignId: string;
  customerRef: string;
  destination: string | null;
}

/** The referrer's link for the campaign: created once, the same one on every later call. */
export async function createReferral(db: Db, env: Bindings, input: ReferralInput, now: number): Promise<{ referral: Referral; created: boolean }> {
  const referrerHash = await customerHashOf(env, input.customerRef);
  return createReferralForHash(db, { campaignId: input.campaignId, referrerHash, destination: input.destination }, now);
}

/**
 * createReferral for a referrer known only by their keyed hash (a bonus program member, whose wallet shows
 * their tell-a-friend link): the same link the shop's call with the raw customer_ref gets.
 */
export async function createReferralForHash(
  db: Db,
  input: { campaignId: string; referrerHash: string; destination: string | null },
  now: number,
): Promise<{ referral: Referral; created: boolean }> {
  const campaign = await findCampaignById(db, input.campaignId);
  if (!campaign) throw new ApiError('unprocessable', `campaign_id: no campaign ${input.campaignId}`);
  if (campaign.status === 'archived') throw new ApiError('unprocessable', `campaign_id: campaign ${input.campaignId} is archived`);
  if (!input.destination && !campaign.landingUrl) {
    throw new ApiError('unprocessable', 'destination: required, the campaign has no landing_url');
  }
  const id = newId('referral', now);
  const referrerHash = input.referrerHash;
  // A drawn code that is taken (10 random characters: practically never) fails the UNIQUE on code: draw again.
  for (let round = 0; ; round++) {
    try {
      const referral = await insertReferral(
        db,
        { id, code: randomString(REFERRAL_CODE_LENGTH), campaignId: campaign.id, referrerHash, destination: input.destination },
        now,
      );
      return { referral, created: referral.id === id };
    } catch (error) {
      if (round >= 3 || !String(error).includes('UNIQUE')) throw error;
    }
  }
}

/**
 * Credits a stored conversion to the referral it came through, if any (called
 * by recordConversion after the conversion is stored; safe to call again).
 * Resolves to the outcome, or null when no referral visit is among its touches.
 */
export async function creditReferralConversion(db: Db, env: Bindings, conversionId: string, now: number, home: Db = db): Promise<ReferralOutcome | null> {
  // Most conversions came through no referral: one read, and done.
  return creditFoundReferral(db, env, await findConversionReferral(db, conversionId, home), now);
}

/**
 * creditReferralConversion for a conversion whose write batch already ran
 * `conversionReferralQuery(db, conversionId)`: its rows spare the first read.
 */
export async function creditReferralFromRows(
  db: Db,
  env: Bindings,
  conversionId: string,
  rows: readonly ConversionReferralRow[],
  now: number,
): Promise<ReferralOutcome | null> {
  // With several touch shards the batch's read saw the main database's touches only: read across the shards.
  if (isSharded(db)) return creditReferralConversion(db, env, conversionId, now);
  return creditFoundReferral(db, env, rows[0] ? toConversionReferral(conversionId, rows[0]) : null, now);
}

async function creditFoundReferral(db: Db, env: Bindings, found: ConversionReferral | null, now: number): Promise<ReferralOutcome | null> {
  if (!found) return null;
  const conversionId = found.conversionId;
  const logged = await findReferralConversion(db, conversionId);
  if (logged) {
    if (logged.rewardPromoId) await finishReward(db, found, logged.rewardPromoId, now);
    // Booked once per key: a replay only finishes what a failed first attempt left.
    if (logged.outcome === 'referred_sale') await earnReferralPoints(db, found, now);
    return logged.outcome;
  }
  let outcome = await judge(db, env, found);
  const reward = outcome === 'referred_sale' ? parseReferralReward(found.rewardTemplate) : null;
  const rewardPromoId = reward ? newId('promoCode', now) : null;
  const row = {
    conversion_id: conversionId,
    referral_id: found.referral.id,
    customer_hash: found.customerHash,
    value: found.value,
    currency: found.currency,
    day: found.day,
    created_at: toIso(now),
  };
  if (!(await claimReferralConversion(db, { ...row, outcome, reward_promo_id: rewardPromoId }))) {
    // Either this conversion was logged meanwhile, or another sale of the friend claimed the referral first.
    const raced = await findReferralConversion(db, conversionId);
    if (raced) return raced.outcome;
    outcome = 'repeat_sale';
    await claimReferralConversion(db, { ...row, outcome, reward_promo_id: null });
    return outcome;
  }
  if (reward && rewardPromoId) await mintReward(db, found.referral.campaignId, reward, rewardPromoId, now);
  if (outcome === 'referred_sale') {
    await earnReferralPoints(db, found, now);
    await emitEvent(db, 'referral.rewarded', referralRewardedData(found, rewardPromoId), now);
  }
  return outcome;
}

/** referral.rewarded: the referred sale, its referral and the reward promotion minted for the referrer (customers as their keyed hashes). */
const referralRewardedData = (found: ConversionReferral, rewardPromoId: string | null) => ({
  referral_id: found.referral.id,
  referral_code: found.referral.code,
  campaign_id: found.referral.campaignId,
  referrer_hash: found.referral.referrerHash,
  conversion_id: found.conversionId,
  customer_hash: found.customerHash,
  value: found.value,
  currency: found.currency,
  reward_promo_code_id: rewardPromoId,
});

/** Bonus program: the referrer's `referral` points and the friend's `referral_welcome` points for a referred sale. */
async function earnReferralPoints(db: Db, found: ConversionReferral, now: number): Promise<void> {
  const occasions = referralOccasions({
    conversionId: found.conversionId,
    referrerHash: found.referral.referrerHash,
    friendHash: found.customerHash,
    campaignId: found.referral.campaignId,
    occurredAt: Date.parse(found.occurredAt),
  });
  await Promise.all(occasions.map((occasion) => earnOrQueue(db, occasion, now)));
}

async function judge(db: Db, env: Bindings, found: ConversionReferral): Promise<ReferralOutcome> {
  const rules = referralRules(env);
  const referrerHash = found.referral.referrerHash;
  const sharesVisitorWithReferrer =
    rules.matchVisitors && referrerHash !== null
      ? await sharesVisitorWithCustomer(db, referrerHash, found.conversionId, found.visitorId ? [found.visitorId] : [])
      : false;
  const hasEarlier = found.type === 'sale' && found.customerHash ? await hasEarlierSale(db, found.customerHash, found.conversionId, found.occurredAt) : false;
  return referralOutcome(
    { type: found.type, customerHash: found.customerHash, referrerHash, sharesVisitorWithReferrer, hasEarlierSale: hasEarlier, value: found.value },
    rules,
  );
}

/** Mints the reward again only when its promotion is missing (the first attempt failed after the claim). */
async function finishReward(db: Db, found: ConversionReferral, promoId: string, now: number): Promise<void> {
  const reward = parseReferralReward(found.rewardTemplate);
  if (reward && !(await promoExists(db, promoId))) await mintReward(db, found.referral.campaignId, reward, promoId, now);
}

/** One single-use promo code of the campaign, channel referral, made from the template under a fixed promotion id. */
async function mintReward(db: Db, campaignId: string, reward: ReferralReward, promoId: string, now: number): Promise<void> {
  const prefix = reward.prefix ?? '';
  const value = () => generateCodes(1, prefix).map((lookup) => ({ lookup, code: formatCode(lookup) }));
  const endsAt = reward.valid_days ? toIso(now + reward.valid_days * 86_400_000) : null;
  const promo = {
    id: promoId,
    campaignId,
    kind: 'unique' as const,
    code: null,
    prefix: prefix || null,
    count: 1,
    startsAt: null,
    endsAt,
    maxRedemptions: 1,
    maxPerCustomer: null,
    minOrderValue: reward.min_order_value ?? null,
    discount: reward.discount,
    channel: 'referral' as const,
  };
  let stored: number;
  try {
    stored = await insertPromoCode(db, promo, value(), now);
  } catch (error) {
    // A concurrent replay minted this very promotion (same id): nothing left to do.
    if (String(error).includes('UNIQUE') || String(error).includes('PRIMARY')) return;
    throw error;
  }
  for (let round = 0; stored < 1 && round < 5; round++) stored = await addPromoValues(db, promoId, value());
}
