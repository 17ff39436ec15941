/** Kysely table types: one interface per table in schema/, snake_case as in SQL. */
import type { IntegrationTables } from './integration-schema';
import type { LoyaltyTables } from './loyalty-schema';
import type { RollupTables } from './rollup-schema';
import type { ConversionCreditTable, ConversionPathTable, ConversionTable, ConversionTables } from './conversion-schema';
import type { WebhookTables } from './webhook-schema';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuthFailureKind, BotReason, Channel, DeviceClass, LinkKind, RecordStatus, TouchType } from '../domain/vocab';
import type { ActionCodeTable, CodeBatchTable, CodeEntryTable, PromoCodeTable, PromoCodeValueTable, PromoRedemptionTable } from './code-schema';
import type { ReferralConversionTable, ReferralTable, ReferralVisitTable } from './referral-schema';

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
  /** JSON of the referral reward template (src/domain/referrals.ts), or null. */
  referral_reward: string | null;
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
  /** JSON rules, variants, cap and fallback (schema/0027_link_rules.sql, src/domain/link-rules.ts). */
  rules: ColumnType<string | null, string | null | undefined, string | null>;
  variants: ColumnType<string | null, string | null | undefined, string | null>;
  max_clicks: ColumnType<number | null, number | null | undefined, number | null>;
  fallback_url: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<RecordStatus>;
  created_at: string;
  updated_at: string;
  /** schema/0028: the branded domain (NULL: the installation's own host) and the social preview. */
  domain_id: string | null;
  preview_title: string | null;
  preview_description: string | null;
  preview_image_url: string | null;
}

/** schema/0028: a branded hostname and its app-link settings (JSON). */
export interface DomainTable {
  id: string;
  hostname: string;
  apple_app_links: string | null;
  android_app_links: string | null;
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
  user_agent: string | null;
  rid_hash: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  /** Keyed hash of the referrer's customer_ref on a `/r/:code` visit. */
  referrer_hash: string | null;
  /** The visitor's distinct-count sketch slot (register × 32 + rank), derived from visitor_id when the row is written. */
  visitor_hll: ColumnType<number | null, number | null | undefined, number | null>;
  /** The rule the visit matched, the variant it got, and whether it came after the cap or expiry (schema/0027). */
  rule: ColumnType<string | null, string | null | undefined, string | null>;
  variant: ColumnType<string | null, string | null | undefined, string | null>;
  after_cap: ColumnType<number, number | undefined, number>;
}

/** What every archive records of a part (schema/0021, schema/0029). */
interface PartRecordColumns {
  day: string;
  part: number;
  key: string;
  rows: number;
  digest: string;
  bytes: number;
  /** 'writing' while its object is written and checked; 'archived' once its rows left D1 (readers see only these). */
  state: 'writing' | 'archived';
  archived_at: string;
}

/** A part of the raw-touch archive in R2 (schema/0021_touch_archive.sql). */
export interface ArchivePartTable extends PartRecordColumns {
  first_at: string;
  first_id: string;
  last_at: string;
  last_id: string;
}

export type ArchivePartRow = Selectable<ArchivePartTable>;

/** A part of archived credits (schema/0029_credit_archive.sql): whole conversions of one day, first_id..last_id. */
export interface CreditPartTable extends PartRecordColumns {
  first_id: string;
  last_id: string;
}

export type CreditPartRow = Selectable<CreditPartTable>;

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

export interface EmailOpenTable {
  id: string;
  link_id: string;
  campaign_id: string;
  rid_hash: string | null;
  occurred_at: string;
  is_machine: 0 | 1;
  machine_reason: string | null;
  device_class: string | null;
  user_agent: string | null;
}

export interface AuthFailureTable {
  id: string;
  kind: AuthFailureKind;
  /** Keyed hash of the client (IPv4 address or IPv6 /64), never the address. */
  client_hash: string;
  occurred_at: string;
}

/** Run-time settings (schema/0013): the reporting currency. */
export interface SettingTable {
  key: string;
  value: string;
}

/** 1 unit of `currency` = `rate` units of `base` on `day` (schema/0013). */
export interface ExchangeRateTable {
  base: string;
  currency: string;
  day: string;
  rate: number;
}

/** Marketing spend of a day on a campaign or a channel (schema/0031); '' is "none". */
export interface SpendTable {
  id: string;
  day: string;
  campaign_id: string;
  channel: string;
  amount: number;
  currency: string;
  created_at: string;
  updated_at: string;
}

export interface Database extends LoyaltyTables, IntegrationTables, WebhookTables, RollupTables, ConversionTables {
  email_opens: EmailOpenTable;
  api_keys: ApiKeyTable;
  campaigns: CampaignTable;
  links: LinkTable;
  domains: DomainTable;
  touches: TouchTable;
  link_click_counts: { link_id: string; clicks: number };
  archive_parts: ArchivePartTable;
  credit_parts: CreditPartTable;
  orphan_visits: OrphanVisitTable;
  ended_sessions: { id: string; expires_at: string };
  pending_attributions: { conversion_id: string; version: Generated<number>; attempts: Generated<number> };
  auth_failures: AuthFailureTable;
  code_batches: CodeBatchTable;
  action_codes: ActionCodeTable;
  code_entries: CodeEntryTable;
  promo_codes: PromoCodeTable;
  promo_code_values: PromoCodeValueTable;
  promo_redemptions: PromoRedemptionTable;
  referrals: ReferralTable;
  referral_visits: ReferralVisitTable;
  referral_conversions: ReferralConversionTable;
  settings: SettingTable;
  exchange_rates: ExchangeRateTable;
  spend: SpendTable;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type NewCampaign = Insertable<CampaignTable>;
export type CampaignUpdate = Updateable<CampaignTable>;
export type LinkRow = Selectable<LinkTable>;
export type NewLink = Insertable<LinkTable>;
export type LinkUpdate = Updateable<LinkTable>;
export type NewTouch = Insertable<TouchTable>;
export type TouchRow = Selectable<TouchTable>;
export type NewOrphanVisit = Insertable<OrphanVisitTable>;
export type NewEmailOpen = Insertable<EmailOpenTable>;
export type ConversionRow = Selectable<ConversionTable>;
export type NewConversion = Insertable<ConversionTable>;
export type ConversionCreditRow = Selectable<ConversionCreditTable>;
export type NewConversionPath = Insertable<ConversionPathTable>;
export type { CodeBatchRow, NewCodeEntry, PromoCodeRow, PromoRedemptionRow } from './code-schema';
