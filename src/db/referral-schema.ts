/** Kysely table types of schema/0005_referrals.sql (kept apart from schema.ts, which is long enough). */
import type { Insertable, Selectable } from 'kysely';
import type { ReferralOutcome } from '../domain/vocab';

export interface ReferralTable {
  id: string;
  code: string;
  campaign_id: string;
  referrer_hash: string | null;
  destination: string | null;
  created_at: string;
}

export interface ReferralVisitTable {
  referral_id: string;
  day: string;
  visitor_id: string;
  visits: number;
}

export interface ReferralConversionTable {
  conversion_id: string;
  referral_id: string;
  customer_hash: string | null;
  outcome: ReferralOutcome;
  value: number | null;
  currency: string | null;
  day: string;
  reward_promo_id: string | null;
  created_at: string;
}

export type ReferralRow = Selectable<ReferralTable>;
export type NewReferralConversion = Insertable<ReferralConversionTable>;
