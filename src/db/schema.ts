/** Kysely table types: one interface per table in schema/, snake_case as in SQL. */
import type { IntegrationTables } from './integration-schema';
import type { LoyaltyTables } from './loyalty-schema';
import type { WebhookTables } from './webhook-schema';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AttributionModel, AuthFailureKind, BotReason, Channel, DeviceClass, LinkKind, RecordStatus, TouchType } from '../domain/vocab';
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

/** A part of the raw-touch archive in R2 (schema/0021_touch_archive.sql). */
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

export interface ConversionTable {
  id: string;
  type: string;
  order_id: string | null;
  click_id: string | null;
  visitor_id: string | null;
  customer_hash: string | null;
  promo_code: string | null;
  promo_touch_id: string | null;
  value: number | null;
  currency: string | null;
  occurred_at: string;
  day: string;
  lookback_days: number;
  created_at: string;
  /** What refunds took back of `value` (schema/0018); reports count value - refunded. */
  refunded: Generated<number>;
}

/** A refund of a conversion (schema/0018). */
export interface RefundTable {
  id: string;
  conversion_id: string;
  refund_key: string;
  amount: number;
  refunded: number;
  points_reversed: Generated<number>;
  created_at: string;
}

export interface ConversionVisitorTable {
  conversion_id: string;
  visitor_id: string;
}

export interface IdentityLinkTable {
  customer_hash: string;
  visitor_id: string;
  created_at: string;
}

/** A conversion's candidate touch at its place in the path (position 0 = earliest); no touch: channel direct. */
interface CreditedTouchColumns {
  conversion_id: string;
  position: number;
  touch_id: string | null;
  touch_at: string | null;
  channel: string;
  campaign_id: string | null;
  link_id: string | null;
  device_class: string | null;
  /** The credited touch's country and referring host ('' none; null: not known — no touch, or stored before schema/0032). */
  country: string | null;
  referrer_host: string | null;
}

/**
 * A conversion's candidate touch with its weight under every model (schema/0022_compact_storage.sql):
 * revenue is weight × net, currency, day and hour are the conversion's.
 */
export interface ConversionPathTable extends CreditedTouchColumns {
  /** The value net of refunds the credits were computed from; null: the conversion has no value. */
  net: number | null;
  w_last_touch: number;
  w_first_touch: number;
  w_linear: number;
  w_time_decay: number;
  w_position: number;
  /** The credited touch's rule, variant and cap mark; after_cap null: a plain touch (schema/0033). */
  rule: ColumnType<string | null, string | null | undefined, string | null>;
  variant: ColumnType<string | null, string | null | undefined, string | null>;
  after_cap: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A view over conversion_paths: one row per model and candidate touch, zero weights included. */
export interface ConversionCreditTable extends CreditedTouchColumns {
  model: AttributionModel;
  weight: number;
  revenue: number | null;
  currency: string | null;
  day: string;
  hour: string;
}

/** Rollups: '' stands for "none" in key columns (see schema/0003_conversions.sql). */
export interface TouchDailyTable {
  day: string;
  campaign_id: string;
  link_id: string;
  channel: string;
  device_class: string;
  type: string;
  is_bot: number;
  touches: number;
}

export interface TouchHourlyTable {
  hour: string;
  campaign_id: string;
  channel: string;
  is_bot: number;
  touches: number;
}

/** The (campaign, link, channel, device class) combinations of human touches, numbered for visitor_days. */
export interface TouchCellTable {
  id: Generated<number>;
  campaign_id: string;
  link_id: string;
  channel: string;
  device_class: string;
}

/** Daily visitor sets per touch cell; `visitor_daily` is the view with the cell's dimensions spelled out. */
export interface VisitorDayTable {
  day: string;
  cell: number;
  visitor_id: string;
}

export interface VisitorDailyTable {
  day: string;
  channel: string;
  campaign_id: string;
  link_id: string;
  device_class: string;
  visitor_id: string;
}

/** HyperLogLog registers per day and cell of a shape (schema/0006_visitor_sketch.sql). */
export interface VisitorSketchTable {
  shape: number;
  day: string;
  campaign_id: string;
  channel: string;
  device_class: string;
  link_id: string;
  registers: string;
}

export interface CreditDailyTable {
  day: string;
  model: string;
  channel: string;
  campaign_id: string;
  link_id: string;
  device_class: string;
  currency: string;
  conversions: number;
  revenue: number;
}

export interface CreditHourlyTable {
  hour: string;
  model: string;
  campaign_id: string;
  channel: string;
  currency: string;
  conversions: number;
  revenue: number;
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

export interface Database extends LoyaltyTables, IntegrationTables, WebhookTables {
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
  conversions: ConversionTable;
  conversion_visitors: ConversionVisitorTable;
  identity_links: IdentityLinkTable;
  conversion_paths: ConversionPathTable;
  conversion_credits: ConversionCreditTable;
  touch_daily: TouchDailyTable;
  touch_hourly: TouchHourlyTable;
  touch_cells: TouchCellTable;
  visitor_days: VisitorDayTable;
  visitor_daily: VisitorDailyTable;
  visitor_sketch: VisitorSketchTable;
  visitor_sketch_stale: { day: string };
  ended_sessions: { id: string; expires_at: string };
  pending_attributions: { conversion_id: string; version: Generated<number>; attempts: Generated<number> };
  auth_failures: AuthFailureTable;
  credit_daily: CreditDailyTable;
  credit_hourly: CreditHourlyTable;
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
  refunds: RefundTable;
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
