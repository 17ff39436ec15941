/**
 * Records a conversion: gathers the visitors it belongs to (click id, visitor
 * id, visitors stitched to its customer), attributes it under every model and
 * stores conversion, credits and identity links in one batch, idempotently on
 * order_id (INSERT … ON CONFLICT DO NOTHING, then read what is stored).
 */
import { findConversionById, insertConversion, type Conversion, type ConversionWrite } from '../db/conversions';
import { findConversionContext, touchesArrivedOnShards } from '../db/conversion-context';
import { queueAttribution } from '../db/pending-attributions';
import { redeemPromoForConversion } from './promo-codes';
import { conversionReferralQuery } from '../db/referrals';
import { creditReferralConversion, creditReferralFromRows } from './referrals';
import { storedCredits } from './credit-archive';
import { withArchivedCandidates } from './archived-candidates';
import { lookbackDaysSetting } from './window-settings';
import { attributeFromContext, creditRows, storedRows } from './attribute-conversion';
import { reattributePending } from './late-touches';
import { earnOrQueue, saleOccasion } from './loyalty-occasions';
import type { Db } from '../db/client';
import { lookbackStart, type AttributionTouch } from '../domain/attribution';
import type { Bindings } from '../env';
import { customerHashOf } from '../lib/customer';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { conversionEventData } from '../schemas/webhook-payloads';
import { emitEvent } from './webhook-events';

export interface ConversionInput {
  type: string;
  orderId: string | null;
  clickId: string | null;
  visitorId: string | null;
  customerRef: string | null;
  promoCode: string | null;
  value: number | null;
  currency: string | null;
  occurredAt: number;
}

/** What the promo-code integration is asked to redeem for a conversion. */
export interface PromoRedemptionRequest {
  code: string;
  customerRef: string | null;
  customerHash: string | null;
  orderId: string | null;
  orderValue: number | null;
  currency: string | null;
  conversionId: string;
  occurredAt: number;
}

/**
 * Redeems a conversion's promo code; resolves to the stored `promo_redemption`
 * touch (which then is a candidate of the conversion), or null.
 */
export type PromoRedeemer = (db: Db, env: Bindings, request: PromoRedemptionRequest) => Promise<AttributionTouch | null>;

/**
 * Redeems the conversion's promo code (idempotent on order_id): the
 * redemption is a `promo_redemption` touch of this conversion; a refusal (used
 * up, expired …) thrown as ApiError refuses the conversion.
 */
export const redeemConversionPromo: PromoRedeemer = redeemPromoForConversion;

/** `{channel, campaign_id, link_id, weight}` as the API answers it. */
export interface AttributionJson {
  channel: string;
  campaign_id: string | null;
  link_id: string | null;
  weight: number;
}

export interface RecordedConversion {
  id: string;
  created: boolean;
  attribution: AttributionJson[];
}

/** Records a conversion and returns its last-touch attribution (the first one stored, for a repeated order_id). */
export async function recordConversion(
  db: Db,
  env: Bindings,
  input: ConversionInput,
  now: number,
  redeemPromo: PromoRedeemer = redeemConversionPromo,
): Promise<RecordedConversion> {
  const id = newId('conversion', now);
  const lookbackDays = lookbackDaysSetting(env);
  const at = input.occurredAt;
  const customerHash = input.customerRef ? await customerHashOf(env, input.customerRef) : null;
  // The touches do not depend on the promo redemption: its touch has no visitor and is added to the candidates below.
  const occurredIso = toIso(at);
  const fromIso = toIso(lookbackStart(at, lookbackDays));
  const known = await findConversionContext(db, { clickId: input.clickId, visitorId: input.visitorId, customerHash }, fromIso, occurredIso).then((hot) =>
    withArchivedCandidates(db, env, hot, { clickId: input.clickId, fromIso, toIso: occurredIso }, now),
  );

  const promoTouch = input.promoCode
    ? await redeemPromo(db, env, {
        code: input.promoCode,
        customerRef: input.customerRef,
        customerHash,
        orderId: input.orderId,
        orderValue: input.value,
        currency: input.currency,
        conversionId: id,
        occurredAt: at,
      })
    : null;

  const attributed = attributeFromContext(known, promoTouch, at, lookbackDays, input.value);
  const credits = creditRows(id, attributed, input.value);

  const write: ConversionWrite = {
    conversion: {
      id,
      type: input.type,
      order_id: input.orderId,
      click_id: input.clickId,
      visitor_id: input.visitorId,
      customer_hash: customerHash,
      promo_code: input.promoCode,
      promo_touch_id: promoTouch?.id ?? null,
      value: input.value,
      currency: input.currency,
      occurred_at: occurredIso,
      day: occurredIso.slice(0, 10),
      lookback_days: lookbackDays,
      created_at: toIso(now),
    },
    ...storedRows(known, credits, customerHash, toIso(now), { clickId: input.clickId, fromIso, occurredAt: occurredIso }),
  };
  const {
    storedId,
    followUpRows: referralRows,
    queuedVersion,
  } = await insertConversion(db, write, attributed.mayBeReferred ? conversionReferralQuery(db, id) : undefined);
  // A touch of this conversion was stored between its read and its write: attribute it again now (or, failing that, later).
  // With several touch shards the write batch saw the main database only: the other shards are asked after it.
  const arrived =
    queuedVersion !== null
      ? { conversionId: id, version: queuedVersion }
      : storedId === id && (await touchesArrivedOnShards(db, known, input.clickId, fromIso, occurredIso))
        ? await queueAttribution(db, id)
        : null;
  const queued = arrived !== null;
  if (arrived) await reattributePending(db, env, [arrived], now);

  // Credit the referrer and mint their reward (idempotent, so a repeated order_id is safe). A new
  // conversion's referral came with the batch; a repeated order_id reads that of the first one.
  if (storedId === id) await creditReferralFromRows(db, env, id, referralRows, now);
  else await creditReferralConversion(db, env, storedId, now);

  // Bonus program: a new sale with a customer earns its purchase points (never failing the conversion).
  if (storedId === id && input.type === 'sale' && customerHash && known.loyaltyProgram) {
    const lastTouch = attributed.byModel.last_touch.find((credit) => credit.weight > 0) ?? null;
    await earnOrQueue(db, saleOccasion({ id, customerHash, value: input.value, currency: input.currency, occurredAt: at }, lastTouch), now);
  }

  if (storedId !== id) {
    const first = await findConversionById(db, storedId);
    if (first) return { id: first.id, created: false, attribution: await lastTouchAttribution(db, first, env.ARCHIVE ?? null) };
  }
  const stored = queued ? await findConversionById(db, id) : null;
  const attribution = stored ? await lastTouchAttribution(db, stored) : toAttributionJson(attributed.byModel.last_touch);
  await emitEvent(db, 'conversion.created', conversionEventData(write.conversion, attribution), now);
  return { id, created: true, attribution };
}

/** The `attribution` of the API: a conversion's credits with weight, as stored or just computed. */
export const toAttributionJson = (
  credits: ReadonlyArray<{
    channel: string;
    campaignId?: string | null;
    campaign_id?: string | null;
    linkId?: string | null;
    link_id?: string | null;
    weight: number;
  }>,
): AttributionJson[] =>
  credits
    .filter((credit) => credit.weight > 0)
    .map((credit) => ({
      channel: credit.channel,
      campaign_id: credit.campaignId ?? credit.campaign_id ?? null,
      link_id: credit.linkId ?? credit.link_id ?? null,
      weight: credit.weight,
    }));

/** The stored last-touch attribution of a conversion (from the archive in `bucket` when its credits left D1). */
export async function lastTouchAttribution(db: Db, conversion: Conversion, bucket: R2Bucket | null = null): Promise<AttributionJson[]> {
  return toAttributionJson(await storedCredits(db, bucket, conversion, 'last_touch'));
}
