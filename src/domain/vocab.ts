/**
 * Closed vocabularies. Each list is defined once here; the TypeScript type,
 * the zod enum and the SQL CHECK constraints in schema/ follow from it.
 */
export const CHANNELS = ['offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channel credited to a conversion with no candidate touch. */
export const DIRECT = 'direct' as const;
export type AttributedChannel = Channel | typeof DIRECT;
/** Every channel a credit can go to, in the order reports list them (direct last). */
export const ATTRIBUTED_CHANNELS: readonly AttributedChannel[] = [...CHANNELS, DIRECT];

export const TOUCH_TYPES = ['click', 'scan', 'code_entry', 'promo_redemption'] as const;
export type TouchType = (typeof TOUCH_TYPES)[number];

export const LINK_KINDS = ['link', 'qr', 'email', 'referral'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'bot'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const SCOPES = ['admin', 'links:write', 'reports:read', 'conversions:write', 'loyalty:read', 'loyalty:write', 'integrations:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const BOT_REASONS = ['user_agent', 'link_preview', 'email_scanner', 'head_request', 'no_user_agent', 'scanner_burst'] as const;
export type BotReason = (typeof BOT_REASONS)[number];

export const RECORD_STATUSES = ['active', 'archived'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmField = (typeof UTM_FIELDS)[number];

/** QR image formats and error-correction levels (L 7 %, M 15 %, Q 25 %, H 30 % of the code may be damaged). */
export const QR_FORMATS = ['svg', 'png'] as const;
export type QrFormat = (typeof QR_FORMATS)[number];
export const QR_ECC_LEVELS = ['L', 'M', 'Q', 'H'] as const;
export type QrEcc = (typeof QR_ECC_LEVELS)[number];

/** Attribution models (docs/DESIGN.md "Attribution"); the first is the default. */
export const ATTRIBUTION_MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
export const DEFAULT_ATTRIBUTION_MODEL: AttributionModel = 'last_touch';
/** The data-driven model (docs/DESIGN.md "Data-driven model"): computed over the journeys of a report's range, never stored per conversion. */
export const DATA_DRIVEN_MODEL = 'markov' as const;
/** Every model a report takes: the five rule-based ones, then the data-driven one. */
export const REPORT_MODELS = [...ATTRIBUTION_MODELS, DATA_DRIVEN_MODEL] as const;
export type ReportModel = (typeof REPORT_MODELS)[number];

/** Conversion types with a meaning of their own; any other well-formed name is a custom type. */
export const CONVERSION_TYPES = ['lead', 'sale'] as const;
export type ConversionType = (typeof CONVERSION_TYPES)[number];
export const CODE_BATCH_STATUSES = ['minting', 'ready'] as const;
export type CodeBatchStatus = (typeof CODE_BATCH_STATUSES)[number];

/** Why an action code entry was refused; each is also an error code of the API. */
export const CODE_REJECTIONS = ['invalid_code', 'unknown_code', 'code_used_up', 'code_expired', 'code_not_started', 'rate_limited'] as const;
export type CodeRejection = (typeof CODE_REJECTIONS)[number];

/** Why a promo code was refused at checkout. */
export const PROMO_REJECTIONS = ['unknown_code', 'code_used_up', 'code_expired', 'code_not_started', 'customer_limit_reached', 'below_minimum_order'] as const;
export type PromoRejection = (typeof PROMO_REJECTIONS)[number];

/** Outcome of one logged code entry (action or promo code). */
export const CODE_ENTRY_RESULTS = [
  'accepted',
  'invalid_code',
  'unknown_code',
  'code_used_up',
  'code_expired',
  'code_not_started',
  'rate_limited',
  'customer_limit_reached',
  'below_minimum_order',
] as const;
export type CodeEntryResult = (typeof CODE_ENTRY_RESULTS)[number];
/** Every result but acceptance: the refusals a code report counts. */
export const REJECTION_REASONS = CODE_ENTRY_RESULTS.filter((result) => result !== 'accepted') as Exclude<CodeEntryResult, 'accepted'>[];

/** Where a code was entered: the redeem API, the hosted /redeem page, promo validate or promo redeem. */
export const CODE_ENTRY_SOURCES = ['api', 'page', 'promo_validate', 'promo_redeem'] as const;
export type CodeEntrySource = (typeof CODE_ENTRY_SOURCES)[number];

export const PROMO_KINDS = ['vanity', 'unique'] as const;
export type PromoKind = (typeof PROMO_KINDS)[number];

/**
 * What a conversion linked to a referral earned: only `referred_sale` (a
 * friend's first sale) counts and rewards; `signup` is a friend's lead.
 */
export const REFERRAL_OUTCOMES = ['referred_sale', 'signup', 'self_referral', 'repeat_sale', 'below_minimum', 'anonymous', 'other'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** What a throttled authentication failure was: a dashboard sign-in, or an API bearer-key check. */
export const AUTH_FAILURE_KINDS = ['signin', 'api_key'] as const;
export type AuthFailureKind = (typeof AUTH_FAILURE_KINDS)[number];

/**
 * Bonus program (issue 13). What earns points: each earning rule has one kind, and each loyalty event one type.
 * `referral` pays the referrer for a friend's first purchase, `referral_welcome` the friend; `custom` events carry a name.
 */
export const LOYALTY_EVENT_TYPES = ['purchase', 'code_entry', 'review', 'survey', 'referral', 'referral_welcome', 'signup', 'custom'] as const;
export type LoyaltyEventType = (typeof LOYALTY_EVENT_TYPES)[number];

/** What an event's points are: usable now, waiting out the return window, or none (no rule paid). */
export const LOYALTY_EVENT_STATUSES = ['available', 'pending', 'no_points'] as const;
export type LoyaltyEventStatus = (typeof LOYALTY_EVENT_STATUSES)[number];

/** Ledger row kinds: the append-only ledger of a member's points. */
export const LEDGER_KINDS = ['earn', 'pending', 'release', 'spend', 'expire', 'reverse', 'adjust'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Where a ledger row's points came from or went to: an event type, or one of the program's own movements. */
export const LEDGER_SOURCES = [...LOYALTY_EVENT_TYPES, 'challenge', 'reward', 'refund', 'expiry', 'manual'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/** How customers join: with their first points or event (`automatic`), or only by a `signup` event. */
export const ENROLLMENT_MODES = ['automatic', 'signup'] as const;
export type EnrollmentMode = (typeof ENROLLMENT_MODES)[number];

/** A reward is a discount (a single-use promo code) or a perk with no money value. */
export const REWARD_KINDS = ['discount', 'perk'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** What a prize draw draws from: accepted action code entries, or loyalty events of one type. */
export const DRAW_SOURCES = ['code_entries', 'events'] as const;
export type DrawSource = (typeof DRAW_SOURCES)[number];

/** Shop platforms whose order webhooks Touchpoint takes in (`/hooks/<platform>/:id`). */
export const INTEGRATION_PLATFORMS = ['shopify', 'woocommerce', 'stripe'] as const;
export type IntegrationPlatform = (typeof INTEGRATION_PLATFORMS)[number];

/** Events an outgoing webhook endpoint can subscribe to (Standard Webhooks deliveries). */
export const WEBHOOK_EVENTS = [
  'conversion.created',
  'conversion.refunded',
  'code.redeemed',
  'promo.redeemed',
  'referral.rewarded',
  'loyalty.points_earned',
  'loyalty.reward_redeemed',
  'loyalty.tier_changed',
  'draw.completed',
  'link.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
