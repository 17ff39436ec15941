/**
 * The referral report: one row per referrer (their referral code, never a
 * personal reference) with visits, distinct visitors, signups, referred first
 * sales and their revenue in the reporting currency (each sale at its day's
 * rate; sales without one are counted and listed as `unconverted`), a totals
 * row, and per campaign the K-factor.
 */
import { countReferralVisitors, sumReferralOutcomes, sumReferralVisits, type ReferralFilter } from '../db/referral-reports';
import type { Db } from '../db/client';
import { addMoney, emptySum, missingRates, toCents, unconvertedParts, type MoneySum, type UnconvertedPart } from '../domain/currency';
import { kFactor } from '../domain/referrals';
import { loadRateBook } from './exchange-rates';

export type ReferralReportRow = {
  referrer: string;
  campaign_id: string;
  visits: number;
  unique_visitors: number;
  signups: number;
  sales: number;
  /** Revenue of the referred sales in the reporting currency. */
  revenue: number;
  currency: string;
  /** Referred sales without a rate for their day, per currency (`conversions` = sales). */
  unconverted: UnconvertedPart[];
};

export interface ReferralCampaignRow {
  campaign_id: string;
  referring_customers: number;
  referred_customers: number;
  k_factor: number;
}

export const REFERRAL_REPORT_COLUMNS = [
  'referrer',
  'campaign_id',
  'visits',
  'unique_visitors',
  'signups',
  'sales',
  'revenue',
  'currency',
  'unconverted',
] as const;

export interface ReferralReport {
  from?: string;
  to?: string;
  currency: string;
  missing_rates: string[];
  rows: ReferralReportRow[];
  totals: Omit<ReferralReportRow, 'referrer' | 'campaign_id'>;
}

/** Rows per referrer, busiest first (sales, then visits, then code), revenue in the reporting currency. */
export async function referralRows(db: Db, filter: ReferralFilter): Promise<ReferralReportRow[]> {
  return (await referralReport(db, filter, false)).rows;
}

/** The referral report: rows per referrer and their totals (unique visitors distinct over all of them, unless `withTotals` is false). */
export async function referralReport(db: Db, filter: ReferralFilter, withTotals = true): Promise<ReferralReport> {
  const [visits, outcomes, book, visitors] = await Promise.all([
    sumReferralVisits(db, filter),
    sumReferralOutcomes(db, filter, true),
    loadRateBook(db, filter.from ?? '0000-01-01', filter.to ?? '9999-12-31'),
    withTotals ? countReferralVisitors(db, filter) : Promise.resolve(0),
  ]);
  const byReferral = new Map<string, { code: string; campaignId: string; visits: number; uniques: number; signups: number; money: MoneySum }>();
  const entry = (referralId: string, code: string, campaignId: string) => {
    let found = byReferral.get(referralId);
    if (!found) byReferral.set(referralId, (found = { code, campaignId, visits: 0, uniques: 0, signups: 0, money: emptySum() }));
    return found;
  };
  for (const row of visits) Object.assign(entry(row.referralId, row.code, row.campaignId), { visits: row.visits, uniques: row.uniqueVisitors });
  const all = emptySum();
  for (const row of outcomes) {
    const found = entry(row.referralId, row.code, row.campaignId);
    found.signups += row.signups;
    if (row.currency === null) continue;
    const sale = { currency: row.currency, day: row.day ?? '', conversions: row.sales, revenue: row.revenue };
    addMoney(book, found.money, sale);
    addMoney(book, all, sale);
  }
  const rows: ReferralReportRow[] = [...byReferral.values()].map((found) => ({
    referrer: found.code,
    campaign_id: found.campaignId,
    visits: found.visits,
    unique_visitors: found.uniques,
    signups: found.signups,
    sales: found.money.conversions,
    revenue: toCents(found.money.revenue),
    currency: book.base,
    unconverted: unconvertedParts(found.money),
  }));
  rows.sort((a, b) => b.sales - a.sales || b.visits - a.visits || a.referrer.localeCompare(b.referrer));
  const sum = (pick: (row: ReferralReportRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const unconverted = unconvertedParts(all);
  return {
    from: filter.from,
    to: filter.to,
    currency: book.base,
    missing_rates: missingRates([unconverted]),
    rows,
    totals: {
      visits: sum((row) => row.visits),
      unique_visitors: visitors,
      signups: sum((row) => row.signups),
      sales: all.conversions,
      revenue: toCents(all.revenue),
      currency: book.base,
      unconverted,
    },
  };
}

/**
 * K-factor per campaign: referred customers (friends whose first sale in the
 * range was referred) ÷ referring customers (referrers with a visit or a
 * referred conversion in the range).
 */
export function campaignKFactors(rows: readonly ReferralReportRow[]): ReferralCampaignRow[] {
  const byCampaign = new Map<string, { referrers: Set<string>; referred: number }>();
  for (const row of rows) {
    let found = byCampaign.get(row.campaign_id);
    if (!found) byCampaign.set(row.campaign_id, (found = { referrers: new Set(), referred: 0 }));
    found.referrers.add(row.referrer);
    found.referred += row.sales;
  }
  return [...byCampaign.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([campaignId, found]) => ({
      campaign_id: campaignId,
      referring_customers: found.referrers.size,
      referred_customers: found.referred,
      k_factor: kFactor(found.referred, found.referrers.size),
    }));
}
