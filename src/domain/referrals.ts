/** Tell-a-friend rules: the landing URL of a referral visit, what a referred conversion earns, the K-factor. */
import { resolveChannel } from './channels';
import { buildTrackedUrl, CLICK_ID_PARAM, setQueryParams, type UtmValues } from './utm';
import type { Channel, ReferralOutcome } from './vocab';

/** Referral codes: 10 Crockford base-32 characters, matched case-insensitively. */
export const REFERRAL_CODE_LENGTH = 10;
export const REFERRAL_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;
export const normaliseReferralCode = (code: string): string => code.trim().toUpperCase();

/** UTM values of every referral visit; utm_campaign is the campaign's. */
export const referralUtm = (utmCampaign: string): UtmValues => ({ utm_source: 'tell-a-friend', utm_medium: 'referral', utm_campaign: utmCampaign });

/** The channel of a referral visit, from the same rule table as every link. */
export const referralChannel = (): Channel => resolveChannel({ touchType: 'click', linkKind: 'referral', utmMedium: 'referral' });

/** Where `/r/:code` sends the friend: the destination with the referral UTM values and the click id. */
export const referralLocation = (destination: string, utmCampaign: string, clickId: string): string =>
  setQueryParams(buildTrackedUrl(destination, referralUtm(utmCampaign)), [[CLICK_ID_PARAM, clickId]]);

/** A campaign's reward for the referrer of a friend's qualifying sale: one unique promo code made from this template. */
export interface ReferralReward {
  discount: string;
  prefix?: string;
  min_order_value?: number;
  valid_days?: number;
}

/** The stored JSON of a reward template, or null for none (or a malformed one, which rewards nothing). */
export function parseReferralReward(json: string | null): ReferralReward | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as ReferralReward;
    return value && typeof value.discount === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Fraud and qualification settings (wrangler vars REFERRAL_*). */
export interface ReferralRules {
  /** A friend's sale must reach this value to count; null: any value. */
  minOrderValue: number | null;
  /** Whether a friend sharing a browser (visitor) with the referrer counts as the referrer. */
  matchVisitors: boolean;
}

export interface ReferredConversion {
  type: string;
  /** The friend (keyed hash of customer_ref), when the shop sent one. */
  customerHash: string | null;
  referrerHash: string | null;
  /** One of the conversion's visitors is a visitor of the referrer's customer. */
  sharesVisitorWithReferrer: boolean;
  /** The friend had a sale before this one. */
  hasEarlierSale: boolean;
  value: number | null;
}

/**
 * What a conversion credited to a referral earns, checked in this order:
 * self-referral (same customer, or same browser when matchVisitors), signup (a lead),
 * other types, a sale without customer (no way to tell a first sale), repeat sale,
 * minimum order value. Only `referred_sale` counts as referred and rewards the referrer.
 */
export function referralOutcome(conversion: ReferredConversion, rules: ReferralRules): ReferralOutcome {
  const sameCustomer = conversion.customerHash !== null && conversion.customerHash === conversion.referrerHash;
  if (sameCustomer || (rules.matchVisitors && conversion.sharesVisitorWithReferrer)) return 'self_referral';
  if (conversion.type === 'lead') return 'signup';
  if (conversion.type !== 'sale') return 'other';
  if (conversion.customerHash === null) return 'anonymous';
  if (conversion.hasEarlierSale) return 'repeat_sale';
  if (rules.minOrderValue !== null && (conversion.value === null || conversion.value < rules.minOrderValue)) return 'below_minimum';
  return 'referred_sale';
}

/** New customers referred ÷ referring customers (0 when nobody referred). */
export const kFactor = (referred: number, referring: number): number => (referring === 0 ? 0 : Math.round((referred / referring) * 1e6) / 1e6);

/** Reads the REFERRAL_* settings; unset or malformed values fall back to no minimum and matching visitors. */
export function referralRules(env: { REFERRAL_MIN_ORDER_VALUE?: string; REFERRAL_MATCH_VISITORS?: string }): ReferralRules {
  const min = env.REFERRAL_MIN_ORDER_VALUE?.trim() ? Number(env.REFERRAL_MIN_ORDER_VALUE) : NaN;
  return {
    minOrderValue: Number.isFinite(min) && min > 0 ? min : null,
    matchVisitors: env.REFERRAL_MATCH_VISITORS !== 'false',
  };
}
