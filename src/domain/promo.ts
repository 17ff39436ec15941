/** Promo code rules at checkout: pure, so validate and redeem give the same answer. */
import type { Channel, PromoKind, PromoRejection, RecordStatus } from './vocab';
import { resolveChannel } from './channels';

/** English count of uses for API messages: "once", "2 times" (never "1 times"). */
const timesUsed = (n: number): string => (n === 1 ? 'once' : `${n} times`);

export interface PromoRules {
  kind: PromoKind;
  status: RecordStatus;
  startsAt: string | null;
  endsAt: string | null;
  maxRedemptions: number | null;
  maxPerCustomer: number | null;
  minOrderValue: number | null;
  /** Redemptions of the whole promotion so far. */
  redemptions: number;
}

export interface PromoCheck {
  /** Redemptions of this very code (a unique code allows one). */
  codeRedemptions: number;
  /** Redemptions by this customer, when a customer reference was given. */
  customerRedemptions: number | null;
  orderValue: number | null;
  /** Redeeming needs an order value when the promotion has a minimum; validating does not. */
  requireOrderValue: boolean;
}

export interface PromoRefusal {
  reason: PromoRejection;
  message: string;
}

/** Why the code may not be used now, or null when it may. Checked in this order: window, totals, customer, order value. */
export function promoRefusal(rules: PromoRules, check: PromoCheck, nowIso: string): PromoRefusal | null {
  if (rules.startsAt && nowIso < rules.startsAt) return { reason: 'code_not_started', message: `This code is valid from ${rules.startsAt}` };
  if (rules.status === 'archived') return { reason: 'code_expired', message: 'This code has been withdrawn' };
  if (rules.endsAt && nowIso >= rules.endsAt) return { reason: 'code_expired', message: `This code expired at ${rules.endsAt}` };
  if (rules.kind === 'unique' && check.codeRedemptions >= 1) return { reason: 'code_used_up', message: 'This single-use code has already been used' };
  if (rules.maxRedemptions !== null && rules.redemptions >= rules.maxRedemptions) {
    return { reason: 'code_used_up', message: `This code has reached its ${rules.maxRedemptions} redemptions` };
  }
  if (rules.maxPerCustomer !== null && check.customerRedemptions !== null && check.customerRedemptions >= rules.maxPerCustomer) {
    return {
      reason: 'customer_limit_reached',
      message: `This customer has used the code ${timesUsed(check.customerRedemptions)} (limit ${rules.maxPerCustomer})`,
    };
  }
  if (rules.minOrderValue !== null) {
    if (check.orderValue === null && check.requireOrderValue) {
      return { reason: 'below_minimum_order', message: `order_value is required: the code needs an order of at least ${rules.minOrderValue}` };
    }
    if (check.orderValue !== null && check.orderValue < rules.minOrderValue) {
      return { reason: 'below_minimum_order', message: `The order value ${check.orderValue} is below the minimum of ${rules.minOrderValue}` };
    }
  }
  return null;
}

/** A promo code's channel when the marketer names none: the rule table's answer for a coupon. */
export const defaultPromoChannel = (): Channel => resolveChannel({ touchType: 'promo_redemption', utmMedium: 'coupon' });

/** Vanity codes: 3 to 32 letters and digits (dashes allowed, ignored). */
export const VANITY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{1,30}[A-Za-z0-9]$/;
