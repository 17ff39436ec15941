/** Kysely table types: one interface per table in schema/, snake_case as in SQL. */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  BotReason,
  Channel,
  CodeBatchStatus,
  CodeEntryResult,
  CodeEntrySource,
  DeviceClass,
  LinkKind,
  PromoKind,
  RecordStatus,
  TouchType,
} from '../domain/vocab';

export interface ApiKeyTable {
  id: string;
  name: string;
  scopes: string;
  key_hash: string;
  key_prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CampaignTable {
  id: string;
  name: string;
  utm_campaign: string;
  landing_url: string | null;
  description: string | null;
  starts_at: string | null;
  ends_at: string | null;
  status: Generated<RecordStatus>;
  created_at: string;
  updated_at: string;
}

export interface LinkTable {
  id: string;
  campaign_id: string;
  slug: string;
  kind: Generated<LinkKind>;
  channel: Channel;
  channel_set: Generated<0 | 1>;
  label: string | null;
  destination: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  forward_query: Generated<0 | 1>;
  expires_at: string | null;
  status: Generated<RecordStatus>;
  created_at: string;
  updated_at: string;
}

export interface TouchTable {
  id: string;
  type: TouchType;
  occurred_at: string;
  campaign_id: string | null;
  link_id: string | null;
  channel: Channel;
  visitor_id: string | null;
  visitor_kind: 'cookie' | 'hash' | null;
  device_class: DeviceClass;
  os: string | null;
  browser: string | null;
  is_bot: 0 | 1;
  bot_reason: BotReason | null;
  country: string | null;
  region: string | null;
  city: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export interface OrphanVisitTable {
  id: string;
  slug: string;
  occurred_at: string;
  is_bot: 0 | 1;
  bot_reason: string | null;
  device_class: string | null;
  referrer_host: string | null;
  country: string | null;
}

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

export interface Database {
  api_keys: ApiKeyTable;
  campaigns: CampaignTable;
  links: LinkTable;
  touches: TouchTable;
  orphan_visits: OrphanVisitTable;
  code_batches: CodeBatchTable;
  action_codes: ActionCodeTable;
  code_entries: CodeEntryTable;
  promo_codes: PromoCodeTable;
  promo_code_values: PromoCodeValueTable;
  promo_redemptions: PromoRedemptionTable;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type NewCampaign = Insertable<CampaignTable>;
export type CampaignUpdate = Updateable<CampaignTable>;
export type LinkRow = Selectable<LinkTable>;
export type NewLink = Insertable<LinkTable>;
export type LinkUpdate = Updateable<LinkTable>;
export type NewTouch = Insertable<TouchTable>;
export type NewOrphanVisit = Insertable<OrphanVisitTable>;
export type CodeBatchRow = Selectable<CodeBatchTable>;
export type NewCodeEntry = Insertable<CodeEntryTable>;
export type PromoCodeRow = Selectable<PromoCodeTable>;
export type PromoRedemptionRow = Selectable<PromoRedemptionTable>;
