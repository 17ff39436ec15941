/**
 * The one attribution step of a conversion, shared by its first recording and
 * by its re-attribution when a touch of it is written late: the candidates
 * from what is stored, the credits under every model, and whether a referral
 * may be behind it.
 */
import type { ConversionRows } from '../db/conversions';
import type { ConversionContext } from '../db/attribution-touches';
import type { NewConversionPath } from '../db/schema';
import { attributeAll, selectCandidates, type AttributionTouch, type Credit } from '../domain/attribution';
import type { AttributionModel } from '../domain/vocab';
import { toIso } from '../lib/time';

/** A candidate touch's origin, as its credits roll up by it (schema/0032); '' for none. */
export type TouchOrigins = ReadonlyMap<string, { country: string; referrerHost: string }>;

export interface Attributed {
  byModel: Record<AttributionModel, Credit[]>;
  /** The origin of every stored candidate touch, by id (a promo redemption's touch carries none). */
  origins: TouchOrigins;
  /** Tell-a-friend: a candidate touch carries a referrer (or a promo touch might): the referral hook must look. */
  mayBeReferred: boolean;
}

/** Credits under every model from the stored context (plus the conversion's own promo touch). */
export function attributeFromContext(
  context: ConversionContext,
  promoTouch: AttributionTouch | null,
  at: number,
  lookbackDays: number,
  value: number | null,
): Attributed {
  const candidates = selectCandidates(promoTouch ? [...context.touches, promoTouch] : context.touches, at, lookbackDays);
  return {
    byModel: attributeAll(candidates, at, value),
    origins: new Map(context.touches.map((touch) => [touch.id, { country: touch.country ?? '', referrerHost: touch.referrerHost ?? '' }])),
    mayBeReferred: promoTouch !== null || candidates.some((touch) => context.referredTouchIds.has(touch.id)),
  };
}

/**
 * The stored credit rows of conversion `conversionId`: one per candidate touch (its place in the path),
 * holding its weight under every model; `net` is the value the credits' revenue was computed from.
 */
export function creditRows(conversionId: string, { byModel, origins }: Attributed, net: number | null): NewConversionPath[] {
  // Every model credits the same candidates in the same order (attributeAll), so a position is one index.
  return byModel.linear.map((credit, i) => {
    const weightOf = (model: AttributionModel) => byModel[model][i].weight;
    const origin = credit.touchId === null ? null : (origins.get(credit.touchId) ?? { country: '', referrerHost: '' });
    return {
      conversion_id: conversionId,
      position: credit.position,
      touch_id: credit.touchId,
      touch_at: credit.touchAt === null ? null : toIso(credit.touchAt),
      channel: credit.channel,
      campaign_id: credit.campaignId,
      link_id: credit.linkId,
      device_class: credit.deviceClass,
      net: credit.revenue === null ? null : net,
      w_last_touch: weightOf('last_touch'),
      w_first_touch: weightOf('first_touch'),
      w_linear: credit.weight,
      w_time_decay: weightOf('time_decay'),
      w_position: weightOf('position'),
      // Set only for a routed touch's credit (schema/0033 rolls those up by rule and variant).
      rule: credit.route?.rule ?? null,
      variant: credit.route?.variant ?? null,
      after_cap: credit.route ? (credit.route.afterCap ? 1 : 0) : null,
      country: origin?.country ?? null,
      referrer_host: origin?.referrerHost ?? null,
    };
  });
}

/** The rows a conversion's write stores from its attribution context (its first write and every re-attribution). */
export function storedRows(
  context: ConversionContext,
  credits: NewConversionPath[],
  customerHash: string | null,
  createdAt: string,
  at: { clickId: string | null; fromIso: string; occurredAt: string },
): ConversionRows {
  return {
    visitorIds: context.visitorIds,
    credits,
    customerHash,
    stitchVisitorIds: customerHash ? context.ownVisitorIds : [],
    createdAt,
    seen: { ...context.onHome, ...at },
  };
}
