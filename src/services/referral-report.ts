/**
 * The referral report: one row per referrer (their referral code, never a
 * personal reference) with visits, distinct visitors, signups, referred first
 * sales and their revenue; per campaign the K-factor. Revenue is never summed
 * across currencies: a referrer whose friends paid in several currencies gets
 * one further row per currency whose other columns are 0, so columns add up.
 */
import { sumReferralOutcomes, sumReferralVisits, type ReferralFilter } from '../db/referral-reports';
import type { Db } from '../db/client';
import { kFactor } from '../domain/referrals';

export type ReferralReportRow = {
  referrer: string;
  campaign_id: string;
  visits: number;
  unique_visitors: number;
  signups: number;
  sales: number;
  revenue: number;
  currency: string | null;
};

export interface ReferralCampaignRow {
  campaign_id: string;
  referring_customers: number;
  referred_customers: number;
  k_factor: number;
}

export const REFERRAL_REPORT_COLUMNS = ['referrer', 'campaign_id', 'visits', 'unique_visitors', 'signups', 'sales', 'revenue', 'currency'] as const;

const toCents = (value: number): number => Math.round(value * 100) / 100;

/** Rows per referrer (and further currency), busiest first: sales, then visits, then code. */
export async function referralRows(db: Db, filter: ReferralFilter): Promise<ReferralReportRow[]> {
  const [visits, outcomes] = await Promise.all([sumReferralVisits(db, filter), sumReferralOutcomes(db, filter)]);
  const byReferral = new Map<
    string,
    { code: string; campaignId: string; visits: number; uniques: number; signups: number; sales: Map<string, { sales: number; revenue: number }> }
  >();
  const entry = (referralId: string, code: string, campaignId: string) => {
    let found = byReferral.get(referralId);
    if (!found) byReferral.set(referralId, (found = { code, campaignId, visits: 0, uniques: 0, signups: 0, sales: new Map() }));
    return found;
  };
  for (const row of visits) Object.assign(entry(row.referralId, row.code, row.campaignId), { visits: row.visits, uniques: row.uniqueVisitors });
  for (const row of outcomes) {
    const found = entry(row.referralId, row.code, row.campaignId);
    found.signups += row.signups;
    if (row.currency !== null) found.sales.set(row.currency, { sales: row.sales, revenue: row.revenue });
  }
  const rows: ReferralReportRow[] = [];
  for (const found of byReferral.values()) {
    const currencies = [...found.sales.keys()].sort();
    const base = { referrer: found.code, campaign_id: found.campaignId };
    const first = currencies[0];
    const firstSales = first ? found.sales.get(first)! : { sales: 0, revenue: 0 };
    rows.push({
      ...base,
      visits: found.visits,
      unique_visitors: found.uniques,
      signups: found.signups,
      sales: firstSales.sales,
      revenue: toCents(firstSales.revenue),
      currency: first ?? null,
    });
    for (const currency of currencies.slice(1)) {
      const sums = found.sales.get(currency)!;
      rows.push({ ...base, visits: 0, unique_visitors: 0, signups: 0, sales: sums.sales, revenue: toCents(sums.revenue), currency });
    }
  }
  return rows.sort(
    (a, b) => b.sales - a.sales || b.visits - a.visits || a.referrer.localeCompare(b.referrer) || (a.currency ?? '').localeCompare(b.currency ?? ''),
  );
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
