/** Sums for the referral report and a referral's own stats: visits from the visit rollup, outcomes from the conversion log. */
import { sql } from 'kysely';
import type { Db } from './client';
import { isSharded } from './shards';
import { countShardReferralVisitors, sumShardReferralVisits } from './referral-shard-visits';

export interface ReferralFilter {
  /** First and last UTC day, inclusive; omitted: all time. */
  from?: string;
  to?: string;
  campaignId?: string;
  referralId?: string;
}

export interface ReferralVisitSums {
  referralId: string;
  code: string;
  campaignId: string;
  visits: number;
  uniqueVisitors: number;
}

export interface ReferralOutcomeSums {
  referralId: string;
  code: string;
  campaignId: string;
  /** The currency of the referred sales in this row; null for a row without sales. */
  currency: string | null;
  /** The day of the referred sales in this row (for their exchange rate), when asked for by day; else null. */
  day: string | null;
  signups: number;
  sales: number;
  revenue: number;
}

/** Human visits and distinct visitors per referral (with several touch shards, those of every shard added up). */
export async function sumReferralVisits(db: Db, filter: ReferralFilter): Promise<ReferralVisitSums[]> {
  return isSharded(db) ? sumShardReferralVisits(db, filter, await sumMainReferralVisits(db, filter)) : sumMainReferralVisits(db, filter);
}

async function sumMainReferralVisits(db: Db, filter: ReferralFilter): Promise<ReferralVisitSums[]> {
  let query = db
    .selectFrom('referral_visits as v')
    .innerJoin('referrals as r', 'r.id', 'v.referral_id')
    .select((eb) => [
      'r.id as referralId',
      'r.code',
      'r.campaign_id as campaignId',
      eb.fn.sum<number>('v.visits').as('visits'),
      sql<number>`count(DISTINCT v.visitor_id)`.as('uniqueVisitors'),
    ]);
  if (filter.from) query = query.where('v.day', '>=', filter.from);
  if (filter.to) query = query.where('v.day', '<=', filter.to);
  if (filter.campaignId) query = query.where('r.campaign_id', '=', filter.campaignId);
  if (filter.referralId) query = query.where('r.id', '=', filter.referralId);
  const rows = await query.groupBy('r.id').execute();
  return rows.map((row) => ({ ...row, visits: Number(row.visits), uniqueVisitors: Number(row.uniqueVisitors) }));
}

/** Distinct human visitors over all referrals of the filter (a report's total; visitors of different shards are different visitors). */
export async function countReferralVisitors(db: Db, filter: ReferralFilter): Promise<number> {
  const main = await countMainReferralVisitors(db, filter);
  return isSharded(db) ? main + (await countShardReferralVisitors(db, filter)) : main;
}

async function countMainReferralVisitors(db: Db, filter: ReferralFilter): Promise<number> {
  let query = db
    .selectFrom('referral_visits as v')
    .innerJoin('referrals as r', 'r.id', 'v.referral_id')
    .select(sql<number>`count(DISTINCT v.visitor_id)`.as('visitors'));
  if (filter.from) query = query.where('v.day', '>=', filter.from);
  if (filter.to) query = query.where('v.day', '<=', filter.to);
  if (filter.campaignId) query = query.where('r.campaign_id', '=', filter.campaignId);
  if (filter.referralId) query = query.where('r.id', '=', filter.referralId);
  return Number((await query.executeTakeFirst())?.visitors ?? 0);
}

/**
 * Signups and referred first sales per referral and currency (and, `byDay`, day) of the sales:
 * signups come in the row whose currency is null (a lead has no sale currency).
 */
export async function sumReferralOutcomes(db: Db, filter: ReferralFilter, byDay = false): Promise<ReferralOutcomeSums[]> {
  let query = db
    .selectFrom('referral_conversions as c')
    .innerJoin('referrals as r', 'r.id', 'c.referral_id')
    .select([
      'r.id as referralId',
      'r.code',
      'r.campaign_id as campaignId',
      sql<string | null>`CASE WHEN c.outcome = 'referred_sale' THEN c.currency END`.as('currency'),
      (byDay ? sql<string | null>`CASE WHEN c.outcome = 'referred_sale' THEN c.day END` : sql<string | null>`NULL`).as('day'),
      sql<number>`sum(c.outcome = 'signup')`.as('signups'),
      sql<number>`sum(c.outcome = 'referred_sale')`.as('sales'),
      sql<number>`coalesce(sum(CASE WHEN c.outcome = 'referred_sale' THEN c.value - coalesce((SELECT refunded FROM conversions WHERE id = c.conversion_id), 0) END), 0)`.as(
        'revenue',
      ),
    ])
    .where('c.outcome', 'in', ['signup', 'referred_sale']);
  if (filter.from) query = query.where('c.day', '>=', filter.from);
  if (filter.to) query = query.where('c.day', '<=', filter.to);
  if (filter.campaignId) query = query.where('r.campaign_id', '=', filter.campaignId);
  if (filter.referralId) query = query.where('r.id', '=', filter.referralId);
  const rows = await query.groupBy(byDay ? ['r.id', sql`4`, sql`5`] : ['r.id', sql`4`]).execute();
  return rows.map((row) => ({ ...row, signups: Number(row.signups), sales: Number(row.sales), revenue: Number(row.revenue) }));
}
