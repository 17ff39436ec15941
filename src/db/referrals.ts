/** Referrals: the personal links, the conversions credited to them, their rewards. */
import type { InferResult } from 'kysely';
import type { RecordStatus, ReferralOutcome } from '../domain/vocab';
import { toIso } from '../lib/time';
import type { Db } from './client';
import type { NewReferralConversion, ReferralRow } from './referral-schema';

export interface Referral {
  id: string;
  code: string;
  campaignId: string;
  referrerHash: string | null;
  destination: string | null;
  createdAt: string;
}

/** A referral with what `/r/:code` needs of its campaign. */
export interface ReferralTarget extends Referral {
  landingUrl: string | null;
  utmCampaign: string;
  campaignStatus: RecordStatus;
}

const toReferral = (row: ReferralRow): Referral => ({
  id: row.id,
  code: row.code,
  campaignId: row.campaign_id,
  referrerHash: row.referrer_hash,
  destination: row.destination,
  createdAt: row.created_at,
});

/**
 * Stores the referral unless this referrer already has one for the campaign
 * (unique index, ON CONFLICT DO NOTHING) and returns the stored one either way.
 */
export async function insertReferral(db: Db, referral: Omit<Referral, 'createdAt'>, now: number): Promise<Referral> {
  await db
    .insertInto('referrals')
    .values({
      id: referral.id,
      code: referral.code,
      campaign_id: referral.campaignId,
      referrer_hash: referral.referrerHash,
      destination: referral.destination,
      created_at: toIso(now),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('referrals')
    .selectAll()
    .where('campaign_id', '=', referral.campaignId)
    .where('referrer_hash', '=', referral.referrerHash)
    .executeTakeFirstOrThrow();
  return toReferral(row);
}

/** One referral by its code, with its campaign's landing data. */
export async function findReferralByCode(db: Db, code: string): Promise<ReferralTarget | null> {
  const row = await db
    .selectFrom('referrals')
    .innerJoin('campaigns', 'campaigns.id', 'referrals.campaign_id')
    .selectAll('referrals')
    .select(['campaigns.landing_url', 'campaigns.utm_campaign', 'campaigns.status as campaign_status'])
    .where('referrals.code', '=', code)
    .executeTakeFirst();
  if (!row) return null;
  return { ...toReferral(row), landingUrl: row.landing_url, utmCampaign: row.utm_campaign, campaignStatus: row.campaign_status };
}

/** A conversion and the referral of its latest referral visit among its candidate touches. */
export interface ConversionReferral {
  conversionId: string;
  type: string;
  customerHash: string | null;
  value: number | null;
  currency: string | null;
  occurredAt: string;
  day: string;
  referral: Referral;
  rewardTemplate: string | null;
  /** The visitor of the referral visit. */
  visitorId: string | null;
}

/**
 * Finds the referral a stored conversion is credited to: its candidate touches
 * (the linear model credits every candidate) carrying a referrer, latest first.
 */
export async function findConversionReferral(db: Db, conversionId: string): Promise<ConversionReferral | null> {
  const row = await conversionReferralQuery(db, conversionId).executeTakeFirst();
  return row ? toConversionReferral(conversionId, row) : null;
}

/** The read behind findConversionReferral, to run inside a batch (see insertConversion); map its row with toConversionReferral. */
export function conversionReferralQuery(db: Db, conversionId: string) {
  return db
    .selectFrom('conversion_credits as cc')
    .innerJoin('touches as t', 't.id', 'cc.touch_id')
    .innerJoin('referrals as r', (join) => join.onRef('r.campaign_id', '=', 't.campaign_id').onRef('r.referrer_hash', '=', 't.referrer_hash'))
    .innerJoin('conversions as c', 'c.id', 'cc.conversion_id')
    .innerJoin('campaigns as cmp', 'cmp.id', 'r.campaign_id')
    .selectAll('r')
    .select(['c.type', 'c.customer_hash', 'c.value', 'c.currency', 'c.occurred_at', 'c.day', 't.visitor_id', 'cmp.referral_reward'])
    .where('cc.conversion_id', '=', conversionId)
    .where('cc.model', '=', 'linear')
    .where('t.referrer_hash', 'is not', null)
    .orderBy('t.occurred_at', 'desc')
    .limit(1);
}

export type ConversionReferralRow = InferResult<ReturnType<typeof conversionReferralQuery>>[number];

/** A row of conversionReferralQuery as the referral hook uses it. */
export const toConversionReferral = (conversionId: string, row: ConversionReferralRow): ConversionReferral => ({
  conversionId,
  type: row.type,
  customerHash: row.customer_hash,
  value: row.value,
  currency: row.currency,
  occurredAt: row.occurred_at,
  day: row.day,
  referral: toReferral(row),
  rewardTemplate: row.referral_reward,
  visitorId: row.visitor_id,
});

/** Whether any of `visitorIds` (or the conversion's own visitors) is linked to the customer `customerHash`. */
export async function sharesVisitorWithCustomer(db: Db, customerHash: string, conversionId: string, visitorIds: readonly string[]): Promise<boolean> {
  const row = await db
    .selectFrom('identity_links')
    .select('visitor_id')
    .where('customer_hash', '=', customerHash)
    .where((eb) =>
      eb.or([
        eb('visitor_id', 'in', eb.selectFrom('conversion_visitors').select('visitor_id').where('conversion_id', '=', conversionId)),
        ...(visitorIds.length > 0 ? [eb('visitor_id', 'in', [...visitorIds])] : []),
      ]),
    )
    .executeTakeFirst();
  return !!row;
}

/** Whether the customer had a sale before this conversion (earlier time, or same time and smaller id). */
export async function hasEarlierSale(db: Db, customerHash: string, conversionId: string, occurredAt: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversions')
    .select('id')
    .where('customer_hash', '=', customerHash)
    .where('type', '=', 'sale')
    .where('id', '!=', conversionId)
    .where((eb) => eb.or([eb('occurred_at', '<', occurredAt), eb.and([eb('occurred_at', '=', occurredAt), eb('id', '<', conversionId)])]))
    .executeTakeFirst();
  return !!row;
}

/**
 * Logs a referred conversion; resolves true when this call stored it. A repeated
 * conversion, or a second `referred_sale` claiming the same friend, stores nothing.
 */
export async function claimReferralConversion(db: Db, row: NewReferralConversion): Promise<boolean> {
  const stored = await db
    .insertInto('referral_conversions')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('conversion_id')
    .executeTakeFirst();
  return !!stored;
}

/** The logged outcome of a conversion, if it was credited to a referral. */
export async function findReferralConversion(db: Db, conversionId: string): Promise<{ outcome: ReferralOutcome; rewardPromoId: string | null } | null> {
  const row = await db.selectFrom('referral_conversions').select(['outcome', 'reward_promo_id']).where('conversion_id', '=', conversionId).executeTakeFirst();
  return row ? { outcome: row.outcome, rewardPromoId: row.reward_promo_id } : null;
}

/** Whether a promotion with this id exists (a reward already minted). */
export async function promoExists(db: Db, promoId: string): Promise<boolean> {
  return !!(await db.selectFrom('promo_codes').select('id').where('id', '=', promoId).executeTakeFirst());
}

export interface ReferralReward {
  code: string;
  discount: string | null;
  minOrderValue: number | null;
  endsAt: string | null;
  redeemed: boolean;
  earnedAt: string;
}

/** The reward codes a referral earned, oldest first. */
export async function findReferralRewards(db: Db, referralId: string): Promise<ReferralReward[]> {
  const rows = await db
    .selectFrom('referral_conversions as rc')
    .innerJoin('promo_codes as p', 'p.id', 'rc.reward_promo_id')
    .innerJoin('promo_code_values as v', 'v.promo_code_id', 'p.id')
    .select(['v.code', 'v.redemptions', 'p.discount', 'p.min_order_value', 'p.ends_at', 'rc.created_at'])
    .where('rc.referral_id', '=', referralId)
    .orderBy('rc.created_at')
    .orderBy('p.id')
    .execute();
  return rows.map((row) => ({
    code: row.code,
    discount: row.discount,
    minOrderValue: row.min_order_value,
    endsAt: row.ends_at,
    redeemed: row.redemptions > 0,
    earnedAt: row.created_at,
  }));
}
