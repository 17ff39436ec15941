/**
 * Records a conversion: gathers the visitors it belongs to (click id, visitor
 * id, visitors stitched to its customer), attributes it under every model and
 * stores conversion, credits and identity links in one batch, idempotently on
 * order_id (INSERT … ON CONFLICT DO NOTHING, then read what is stored).
 */
import { findConversionById, findOrderAnywhere, insertConversion, type Conversion, type ConversionWrite } from '../db/conversions';
import { conversionHome, conversionsSharded, type ConversionHome } from '../db/shards';
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
  // Its database: the main one, or with sharded conversions its customer's shard (else its order's, else its own).
  const home = conversionHome(db, { customerHash, orderId: input.orderId, id });
  // The touches do not depend on the promo redemption: its touch has no visitor and is added to the candidates below.
  const occurredIso = toIso(at);
  const fromIso = toIso(lookbackStart(at, lookbackDays));
  const [known, storedElsewhere] = await Promise.all([
    findConversionContext(db, { clickId: input.clickId, visitorId: input.visitorId, customerHash }, fromIso, occurredIso, home).then((hot) =>
      withArchivedCandidates(db, env, hot, { clickId: input.clickId, fromIso, toIso: occurredIso }, now),
    ),
    orderStoredElsewhere(db, input.orderId, home),
  ]);
  // The same order_id retried with a customer where the first had none (or the other way round) hashes to another
  // shard: the first conversion answers, as ON CONFLICT would on one database.
  if (storedElsewhere) return repeatedOrder(db, env, storedElsewhere.id, storedElsewhere.home.db, now);

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
  } = await insertConversion(home.db, write, attributed.mayBeReferred && home.db === db ? conversionReferralQuery(db, id) : undefined);
  // A touch of this conversion was stored between its read and its write: attribute it again now (or, failing that, later).
  // With several touch shards the write batch saw its own database only: the other shards are asked after it.
  const shard = home.index === 0 ? {} : { shard: home.index };
  const arrived =
    queuedVersion !== null
      ? { conversionId: id, version: queuedVersion, ...shard }
      : storedId === id && (await touchesArrivedOnShards(db, known, input.clickId, fromIso, occurredIso, home.index))
        ? { ...(await queueAttribution(home.db, id)), ...shard }
        : null;
  const queued = arrived !== null;
  if (arrived) await reattributePending(db, env, [arrived], now);

  // Credit the referrer and mint their reward (idempotent, so a repeated order_id is safe). A new
  // conversion's referral came with the batch (on the main database); a repeated order_id reads that of the first one.
  if (storedId === id && home.db === db) await creditReferralFromRows(db, env, id, referralRows, now);
  else if (storedId === id && attributed.mayBeReferred) await creditReferralConversion(db, env, id, now, home.db);
  else if (storedId !== id) await creditReferralConversion(db, env, storedId, now, home.db);

  // Bonus program: a new sale with a customer earns its purchase points (never failing the conversion).
  if (storedId === id && input.type === 'sale' && customerHash && known.loyaltyProgram) {
    const lastTouch = attributed.byModel.last_touch.find((credit) => credit.weight > 0) ?? null;
    await earnOrQueue(db, saleOccasion({ id, customerHash, value: input.value, currency: input.currency, occurredAt: at }, lastTouch), now);
  }

  if (storedId !== id) {
    const first = await findConversionById(home.db, storedId);
    if (first) return { id: first.id, created: false, attribution: await lastTouchAttribution(home.db, first, env.ARCHIVE ?? null) };
  }
  const stored = queued ? await findConversionById(home.db, id) : null;
  const attribution = stored ? await lastTouchAttribution(home.db, stored) : toAttributionJson(attributed.byModel.last_touch);
  await emitEvent(db, 'conversion.created', conversionEventData(write.conversion, attribution), now);
  return { id, created: true, attribution };
}

/** With sharded conversions: the conversion stored under `orderId` on another shard than `home`, if any (all asked in parallel). */
async function orderStoredElsewhere(db: Db, orderId: string | null, home: ConversionHome): Promise<{ id: string; home: ConversionHome } | null> {
  if (!orderId || !conversionsSharded(db)) return null;
  const found = await findOrderAnywhere(db, orderId);
  return found && found.home.index !== home.index ? found : null;
}

/** The answer to a repeated order_id: the first conversion's, its referral credited again (idempotent, finishing a failed first run). */
async function repeatedOrder(db: Db, env: Bindings, firstId: string, home: Db, now: number): Promise<RecordedConversion> {
  await creditReferralConversion(db, env, firstId, now, home);
  const first = await findConversionById(home, firstId);
  return { id: firstId, created: false, attribution: first ? await lastTouchAttribution(home, first, env.ARCHIVE ?? null) : [] };
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
