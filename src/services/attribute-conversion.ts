/**
 * The one attribution step of a conversion, shared by its first recording and
 * by its re-attribution when a touch of it is written late: the candidates
 * from what is stored, the credits under every model, and whether a referral
 * may be behind it.
 */
import type { ConversionContext, ConversionRows } from '../db/conversions';
import type { NewConversionCredit } from '../db/schema';
import { attributeAll, selectCandidates, type AttributionTouch, type Credit } from '../domain/attribution';
import { ATTRIBUTION_MODELS, type AttributionModel } from '../domain/vocab';
import { toIso } from '../lib/time';

export interface Attributed {
  byModel: Record<AttributionModel, Credit[]>;
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
    mayBeReferred: promoTouch !== null || candidates.some((touch) => context.referredTouchIds.has(touch.id)),
  };
}

/** The stored credit rows of conversion `conversionId` (at `occurredIso`) for its credits under every model. */
export function creditRows(
  conversionId: string,
  byModel: Record<AttributionModel, Credit[]>,
  currency: string | null,
  occurredIso: string,
): NewConversionCredit[] {
  return ATTRIBUTION_MODELS.flatMap((model) =>
    byModel[model].map((credit) => ({
      conversion_id: conversionId,
      model,
      position: credit.position,
      touch_id: credit.touchId,
      touch_at: credit.touchAt === null ? null : toIso(credit.touchAt),
      channel: credit.channel,
      campaign_id: credit.campaignId,
      link_id: credit.linkId,
      device_class: credit.deviceClass,
      weight: credit.weight,
      revenue: credit.revenue,
      currency,
      day: occurredIso.slice(0, 10),
      hour: occurredIso.slice(0, 13),
    })),
  );
}

/** The rows a conversion's write stores from its attribution context (its first write and every re-attribution). */
export function storedRows(
  context: ConversionContext,
  credits: NewConversionCredit[],
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
    seen: { ...context.onMain, ...at },
  };
}
