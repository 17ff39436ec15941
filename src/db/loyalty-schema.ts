/** Kysely table types of schema/0016_loyalty_program.sql: the bonus program, its ledger, rewards, challenges and draws. */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { DrawSource, EnrollmentMode, LedgerKind, LedgerSource, LoyaltyEventStatus, LoyaltyEventType, RewardKind } from '../domain/vocab';

export interface LoyaltyProgramTable {
  id: 'program';
  name: string;
  points_name: string;
  point_value: number;
  currency: string;
  pending_days: Generated<number>;
  expiry_days: number | null;
  tiers: Generated<string>;
  enrollment: Generated<EnrollmentMode>;
  referral_campaign_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoyaltyRuleTable {
  id: string;
  name: string;
  kind: LoyaltyEventType;
  event_name: string | null;
  points: number;
  currency: string | null;
  min_order: number | null;
  campaign_id: string | null;
  channel: string | null;
  starts_at: string | null;
  ends_at: string | null;
  segment: string | null;
  place: string | null;
  cap_day: number | null;
  cap_month: number | null;
  cap_total: number | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoyaltyMemberTable {
  id: string;
  customer_hash: string | null;
  balance: Generated<number>;
  pending: Generated<number>;
  debt: Generated<number>;
  earned_total: Generated<number>;
  spent_total: Generated<number>;
  expired_total: Generated<number>;
  tier: string | null;
  wallet_version: Generated<number>;
  expired_through: string | null;
  joined_at: string;
  last_activity_at: string;
}

export interface LoyaltyMemberMonthTable {
  member_id: string;
  month: string;
  earned: number;
}

export interface LoyaltyEventTable {
  id: string;
  idempotency_key: string;
  member_id: string;
  type: LoyaltyEventType;
  name: string | null;
  value: number | null;
  currency: string | null;
  campaign_id: string | null;
  channel: string | null;
  country: string | null;
  region: string | null;
  conversion_id: string | null;
  code_entry_id: string | null;
  points: Generated<number>;
  status: LoyaltyEventStatus;
  occurred_at: string;
  day: string;
}

export interface LoyaltyEntryTable {
  event_id: string;
  rule_id: string;
  member_id: string;
  points: number;
  day: string;
}

export interface LoyaltyLedgerTable {
  id: string;
  member_id: string;
  kind: LedgerKind;
  source: LedgerSource;
  points: Generated<number>;
  pending: Generated<number>;
  debt: Generated<number>;
  lot: Generated<number>;
  expires_at: string | null;
  event_id: string | null;
  conversion_id: string | null;
  redemption_id: string | null;
  challenge_id: string | null;
  note: string | null;
  occurred_at: string;
  day: string;
}

export interface LoyaltyPendingTable {
  ledger_id: string;
  member_id: string;
  conversion_id: string | null;
  points: number;
  available_at: string;
}

export interface LoyaltyRewardTable {
  id: string;
  name: string;
  description: string | null;
  kind: RewardKind;
  cost: number;
  stock: number | null;
  redeemed: Generated<number>;
  per_member_limit: number | null;
  campaign_id: string | null;
  discount: string | null;
  min_order_value: number | null;
  valid_days: number | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoyaltyRedemptionTable {
  id: string;
  reward_id: string;
  member_id: string;
  cost: number;
  promo_code_id: string | null;
  created_at: string;
  day: string;
}

export interface LoyaltyChallengeTable {
  id: string;
  name: string;
  description: string | null;
  event_type: LoyaltyEventType;
  event_name: string | null;
  campaign_id: string | null;
  goal: number;
  bonus: number;
  starts_at: string;
  ends_at: string;
  archived_at: string | null;
  created_at: string;
}

export interface LoyaltyChallengeCompletionTable {
  challenge_id: string;
  member_id: string;
  event_id: string;
  completed_at: string;
}

export interface DrawTable {
  id: string;
  name: string;
  source: DrawSource;
  event_type: LoyaltyEventType | null;
  event_name: string | null;
  campaign_id: string | null;
  batch_id: string | null;
  starts_at: string;
  ends_at: string;
  prizes: number;
  max_entries_per_member: number | null;
  seed: string;
  seed_hash: string;
  ran_at: string | null;
  created_at: string;
}

export interface DrawEntryTable {
  draw_id: string;
  entry_id: string;
  member_id: string;
  occurred_at: string;
}

export interface DrawWinnerTable {
  draw_id: string;
  place: number;
  entry_id: string;
  member_id: string;
}

export interface LoyaltyTables {
  loyalty_program: LoyaltyProgramTable;
  loyalty_rules: LoyaltyRuleTable;
  loyalty_members: LoyaltyMemberTable;
  loyalty_member_months: LoyaltyMemberMonthTable;
  loyalty_events: LoyaltyEventTable;
  loyalty_entries: LoyaltyEntryTable;
  loyalty_ledger: LoyaltyLedgerTable;
  loyalty_pending: LoyaltyPendingTable;
  loyalty_rewards: LoyaltyRewardTable;
  loyalty_redemptions: LoyaltyRedemptionTable;
  loyalty_challenges: LoyaltyChallengeTable;
  loyalty_challenge_completions: LoyaltyChallengeCompletionTable;
  draws: DrawTable;
  draw_entries: DrawEntryTable;
  draw_winners: DrawWinnerTable;
}

export type LoyaltyProgramRow = Selectable<LoyaltyProgramTable>;
export type LoyaltyRuleRow = Selectable<LoyaltyRuleTable>;
export type NewLoyaltyRule = Insertable<LoyaltyRuleTable>;
export type LoyaltyMemberRow = Selectable<LoyaltyMemberTable>;
export type LoyaltyEventRow = Selectable<LoyaltyEventTable>;
export type LoyaltyLedgerRow = Selectable<LoyaltyLedgerTable>;
export type NewLedgerRow = Insertable<LoyaltyLedgerTable>;
export type LoyaltyRewardRow = Selectable<LoyaltyRewardTable>;
export type LoyaltyChallengeRow = Selectable<LoyaltyChallengeTable>;
export type DrawRow = Selectable<DrawTable>;
