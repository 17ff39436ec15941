/** Kysely table types of schema/0002_codes.sql: action-code batches, code entries, promo codes. */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { Channel, CodeBatchStatus, CodeEntryResult, CodeEntrySource, PromoKind, RecordStatus } from '../domain/vocab';

export interface CodeBatchTable {
  id: string;
  campaign_id: string;
  prefix: string | null;
  count: number;
  minted: Generated<number>;
  max_redemptions_per_code: Generated<number>;
  starts_at: string | null;
  expires_at: string | null;
  reward: string | null;
  status: Generated<CodeBatchStatus>;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ActionCodeTable {
  id: Generated<number>;
  code: string;
  batch_id: string;
  max_redemptions: number;
  redemptions: Generated<number>;
}

export interface CodeEntryTable {
  id: string;
  occurred_at: string;
  source: CodeEntrySource;
  /** The normalised code when the entry matched a known code; otherwise `h:` + keyed hash of the input (never the input). */
  input: string;
  result: CodeEntryResult;
  batch_id: string | null;
  promo_code_id: string | null;
  campaign_id: string | null;
  client_hash: string | null;
  visitor_id: string | null;
  customer_hash: string | null;
  touch_id: string | null;
}

export interface PromoCodeTable {
  id: string;
  campaign_id: string;
  kind: PromoKind;
  code: string | null;
  prefix: string | null;
  count: Generated<number>;
  starts_at: string | null;
  ends_at: string | null;
  max_redemptions: number | null;
  max_per_customer: number | null;
  min_order_value: number | null;
  discount: string | null;
  channel: Channel;
  redemptions: Generated<number>;
  status: Generated<RecordStatus>;
  created_at: string;
  updated_at: string;
}

export interface PromoCodeValueTable {
  lookup: string;
  promo_code_id: string;
  code: string;
  redemptions: Generated<number>;
}

export interface PromoRedemptionTable {
  id: string;
  promo_code_id: string;
  lookup: string;
  order_id: string;
  customer_hash: string | null;
  order_value: number | null;
  touch_id: string;
  redeemed_at: string;
}

export type CodeBatchRow = Selectable<CodeBatchTable>;
export type NewCodeEntry = Insertable<CodeEntryTable>;
export type PromoCodeRow = Selectable<PromoCodeTable>;
export type PromoRedemptionRow = Selectable<PromoRedemptionTable>;
