/** Referrals: the personal links, the conversions credited to them, their rewards. */
import type { InferResult } from 'kysely';
import type { RecordStatus, ReferralOutcome } from '../domain/vocab';
import { toIso } from '../lib/time';
import type { Db } from './client';
import { conversionsSharded, customerDb, isSharded, onEveryConversionShard, onEveryShard } from './shards';
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
export async function findConversionReferral(db: Db, conversionId: string, home: Db = db): Promise<ConversionReferral | null> {
  const row = isSharded(db) ? await shardedConversionReferral(db, conversionId, home) : await conversionReferralQuery(db, conversionId).executeTakeFirst();
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

/**
 * conversionReferralQuery over several touch shards: the conversion's linear credits (its database `home`:
 * the main one, or its shard when conversions are sharded), the referral visits among their touches (every
 * shard, in parallel), then the referral of the latest of them that matches one, with the conversion (read
 * from `home`) and the campaign's reward (main database).
 */
async function shardedConversionReferral(db: Db, conversionId: string, home: Db): Promise<ConversionReferralRow | undefined> {
  const credits = await home
    .selectFrom('conversion_credits')
    .select('touch_id')
    .where('conversion_id', '=', conversionId)
    .where('model', '=', 'linear')
    .where('touch_id', 'is not', null)
    .execute();
  if (credits.length === 0) return undefined;
  const ids = JSON.stringify(credits.map((credit) => credit.touch_id));
  const visits = await onEveryShard(
    db,
    async (shard) =>
      (
        await shard.d1
          .prepare(
            'SELECT occurred_at, visitor_id, campaign_id, referrer_hash FROM touches WHERE id IN (SELECT value FROM json_each(?1)) AND referrer_hash IS NOT NULL',
          )
          .bind(ids)
          .all<Record<string, string | null>>()
      ).results,
  );
  const candidates = visits.flat().map((t) => [t.occurred_at, t.visitor_id, t.campaign_id, t.referrer_hash]);
  if (candidates.length === 0) return undefined;
  const conversion = await home.d1
    .prepare('SELECT type, customer_hash, value, currency, occurred_at, day FROM conversions WHERE id = ?1')
    .bind(conversionId)
    .first<Record<string, unknown>>();
  if (!conversion) return undefined;
  const row = await db.d1
    .prepare(
      `SELECT r.*, c.type, c.customer_hash, c.value, c.currency, c.occurred_at, c.day, json_extract(t.value, '$[1]') AS visitor_id, cmp.referral_reward
       FROM json_each(?2) AS t
       JOIN referrals r ON r.campaign_id = json_extract(t.value, '$[2]') AND r.referrer_hash = json_extract(t.value, '$[3]')
       JOIN (SELECT ?1 AS id, ?3 AS type, ?4 AS customer_hash, ?5 AS value, ?6 AS currency, ?7 AS occurred_at, ?8 AS day) c
       JOIN campaigns cmp ON cmp.id = r.campaign_id
       ORDER BY json_extract(t.value, '$[0]') DESC
       LIMIT 1`,
    )
    .bind(
      conversionId,
      JSON.stringify(candidates),
      conversion.type,
      conversion.customer_hash,
      conversion.value,
      conversion.currency,
      conversion.occurred_at,
      conversion.day,
    )
    .first<ConversionReferralRow>();
  return row ?? undefined;
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
  if (conversionsSharded(db)) {
    // The conversion's visitors on its shard, the customer's identity links on the customer's.
    const own = (
      await onEveryConversionShard(db, (shard) =>
        shard.selectFrom('conversion_visitors').select('visitor_id').where('conversion_id', '=', conversionId).execute(),
      )
    ).flat();
    const visitors = [...new Set([...own.map((row) => row.visitor_id), ...visitorIds])];
    if (visitors.length === 0) return false;
    const link = await customerDb(db, customerHash)
      .d1.prepare('SELECT 1 AS found FROM identity_links WHERE customer_hash = ?1 AND visitor_id IN (SELECT value FROM json_each(?2))')
      .bind(customerHash, JSON.stringify(visitors))
      .first();
    return !!link;
  }
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
  // A customer's conversions sit on the customer's database (the main one unless conversions are sharded).
  const row = await customerDb(db, customerHash)
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
