/**
 * Promo codes at checkout: create (vanity or generated unique codes), validate,
 * redeem. Redeeming is idempotent on (promotion, order_id) and stores the
 * redemption, its counters and its `promo_redemption` touch in one D1 batch
 * whose INSERT re-checks the limits, so concurrent checkouts cannot overshoot.
 * `redeemPromoCode` is the entry point for the conversions endpoint too.
 */
import type { AttributionTouch } from '../domain/attribution';
import { insertCodeEntries } from '../db/code-entries';
import type { Db } from '../db/client';
import {
  addPromoValues,
  countCustomerRedemptions,
  findPromoByLookup,
  findRedemptionByOrder,
  insertPromoCode,
  insertRedemptionIfAllowed,
  isPromoLookupTaken,
  type PromoCode,
  type PromoFields,
} from '../db/promo-codes';
import type { NewTouch, PromoRedemptionRow } from '../db/schema';
import { formatCode, generateCodes, normaliseCode } from '../domain/codes';
import { promoRefusal } from '../domain/promo';
import type { CodeEntryResult } from '../domain/vocab';
import type { Bindings } from '../env';
import { customerHashOf } from '../lib/customer';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { storedEntryInput } from './code-entry';
import { emitEvent } from './webhook-events';

export interface CreatePromoInput extends PromoFields {
  campaignId: string;
  /** A vanity code, or null for `count` generated unique codes. */
  code: string | null;
  count: number;
  prefix: string | null;
}

/** Creates a promotion with its vanity code or `count` generated unique codes; resolves to its id. */
export async function createPromoCode(db: Db, input: CreatePromoInput, now: number): Promise<string> {
  const id = newId('promoCode', now);
  const base = { ...input, id, kind: input.code ? ('vanity' as const) : ('unique' as const) };
  if (input.code) {
    const code = input.code.toUpperCase();
    const lookup = normaliseCode(code);
    if (await isPromoLookupTaken(db, lookup)) throw new ApiError('conflict', `code: "${code}" is already taken (codes ignore case, dashes and O/0, I/L/1)`);
    await insertPromoCode(db, { ...base, code, prefix: null, count: 1 }, [{ lookup, code }], now).catch((error) => {
      if (String(error).includes('UNIQUE')) throw new ApiError('conflict', `code: "${code}" is already taken`);
      throw error;
    });
    return id;
  }
  const toValues = (codes: string[]) => codes.map((lookup) => ({ lookup, code: formatCode(lookup) }));
  let values = toValues(generateCodes(input.count, input.prefix ?? ''));
  let stored = await insertPromoCode(db, { ...base, code: null }, values, now);
  for (let round = 0; stored < input.count && round < 5; round++) {
    values = toValues(generateCodes(input.count - stored, input.prefix ?? ''));
    stored = await addPromoValues(db, id, values);
  }
  return id;
}

export interface PromoCheckInput {
  code: string;
  customerRef: string | null;
  orderValue: number | null;
}

/** The promo_redemption touch, as attribution sees it. */
export type PromoTouch = AttributionTouch;

export interface PromoRedemption {
  id: string;
  promo: PromoCode;
  code: string;
  orderId: string;
  orderValue: number | null;
  redeemedAt: string;
  touch: PromoTouch;
  /** True when this order had already redeemed the code: the first redemption is returned. */
  replayed: boolean;
}

const customerHashOrNull = (env: Bindings, ref: string | null) => (ref ? customerHashOf(env, ref) : Promise.resolve(null));

async function logPromoEntry(
  db: Db,
  env: Bindings,
  source: 'promo_validate' | 'promo_redeem',
  lookup: string,
  result: CodeEntryResult,
  promo: PromoCode | null,
  customerHash: string | null,
  touchId: string | null,
  now: number,
) {
  await insertCodeEntries(db, [
    {
      id: newId('codeEntry', now),
      occurred_at: toIso(now),
      source,
      input: await storedEntryInput(env, lookup, promo !== null),
      result,
      batch_id: null,
      promo_code_id: promo?.id ?? null,
      campaign_id: promo?.campaignId ?? null,
      client_hash: null,
      visitor_id: null,
      customer_hash: customerHash,
      touch_id: touchId,
    },
  ]);
}

/** Finds the code and applies the rules; throws the refusal (logged) as an ApiError. */
async function checkPromo(
  db: Db,
  env: Bindings,
  source: 'promo_validate' | 'promo_redeem',
  lookup: string,
  input: PromoCheckInput,
  customerHash: string | null,
  now: number,
) {
  const found = await findPromoByLookup(db, lookup);
  if (!found) {
    await logPromoEntry(db, env, source, lookup, 'unknown_code', null, customerHash, null, now);
    throw new ApiError('unknown_code', 'There is no such promo code');
  }
  const customerRedemptions = customerHash && found.promo.maxPerCustomer !== null ? await countCustomerRedemptions(db, found.promo.id, customerHash) : null;
  const check = { codeRedemptions: found.codeRedemptions, customerRedemptions, orderValue: input.orderValue, requireOrderValue: source === 'promo_redeem' };
  // A promotion of an archived campaign is withdrawn with it (until the campaign is restored).
  const rules = found.campaignArchived ? { ...found.promo, status: 'archived' as const } : found.promo;
  const refusal = promoRefusal(rules, check, toIso(now));
  if (refusal) {
    await logPromoEntry(db, env, source, lookup, refusal.reason, found.promo, customerHash, null, now);
    throw new ApiError(refusal.reason, refusal.message);
  }
  return found;
}

/** Whether the code may be used for this customer and order value; throws the refusal. */
export async function validatePromoCode(db: Db, env: Bindings, input: PromoCheckInput, now: number): Promise<{ promo: PromoCode; code: string }> {
  const lookup = normaliseCode(input.code);
  const customerHash = await customerHashOrNull(env, input.customerRef);
  const found = await checkPromo(db, env, 'promo_validate', lookup, input, customerHash, now);
  await logPromoEntry(db, env, 'promo_validate', lookup, 'accepted', found.promo, customerHash, null, now);
  return { promo: found.promo, code: found.code };
}

export interface PromoRedeemInput extends PromoCheckInput {
  orderId: string;
  /** When the redemption happened (the conversion's time); defaults to now. */
  occurredAt?: number;
}

const touchOf = (promo: PromoCode, id: string, at: number): PromoTouch => ({
  id,
  occurredAt: at,
  channel: promo.channel,
  campaignId: promo.campaignId,
  linkId: null,
  deviceClass: 'desktop',
  isBot: false,
});

const replayOf = (promo: PromoCode, code: string, row: PromoRedemptionRow): PromoRedemption => ({
  id: row.id,
  promo,
  code,
  orderId: row.order_id,
  orderValue: row.order_value,
  redeemedAt: row.redeemed_at,
  touch: touchOf(promo, row.touch_id, Date.parse(row.redeemed_at)),
  replayed: true,
});

/** A redemption as the API answers it (and as promo.redeemed carries it). */
export const redemptionJson = (redemption: PromoRedemption) => ({
  id: redemption.id,
  promo_code_id: redemption.promo.id,
  campaign_id: redemption.promo.campaignId,
  code: redemption.code,
  order_id: redemption.orderId,
  order_value: redemption.orderValue,
  discount: redemption.promo.discount,
  touch_id: redemption.touch.id,
  redeemed_at: redemption.redeemedAt,
});

/**
 * Redeems a promo code for an order: idempotent on order_id, limits re-checked
 * atomically, a `promo_redemption` touch stored with the code's campaign and
 * channel (device unknown to the shop's server call: recorded as desktop).
 */
export async function redeemPromoCode(db: Db, env: Bindings, input: PromoRedeemInput, now: number): Promise<PromoRedemption> {
  const at = input.occurredAt ?? now;
  const lookup = normaliseCode(input.code);
  const customerHash = await customerHashOrNull(env, input.customerRef);
  const known = await findPromoByLookup(db, lookup);
  const previous = known && (await findRedemptionByOrder(db, known.promo.id, input.orderId));
  if (known && previous) return replayOf(known.promo, known.code, previous);

  const { promo, code } = await checkPromo(db, env, 'promo_redeem', lookup, input, customerHash, now);
  const id = newId('promoRedemption', at);
  const touch = touchOf(promo, newId('click', at), at);
  const redemption = { id, promoCodeId: promo.id, lookup, orderId: input.orderId, customerHash, orderValue: input.orderValue, redeemedAt: toIso(at) };
  if (await insertRedemptionIfAllowed(db, redemption, touchRow(touch))) {
    await logPromoEntry(db, env, 'promo_redeem', lookup, 'accepted', promo, customerHash, touch.id, now);
    const redeemed: PromoRedemption = {
      id,
      promo: { ...promo, redemptions: promo.redemptions + 1 },
      code,
      orderId: input.orderId,
      orderValue: input.orderValue,
      redeemedAt: redemption.redeemedAt,
      touch,
      replayed: false,
    };
    await emitEvent(db, 'promo.redeemed', redemptionJson(redeemed), now);
    return redeemed;
  }
  // Lost a race: the same order redeemed concurrently, or a limit was reached meanwhile.
  const raced = await findRedemptionByOrder(db, promo.id, input.orderId);
  if (raced) return replayOf(promo, code, raced);
  await checkPromo(db, env, 'promo_redeem', lookup, input, customerHash, now);
  await logPromoEntry(db, env, 'promo_redeem', lookup, 'code_used_up', promo, customerHash, null, now);
  throw new ApiError('code_used_up', 'This code has just reached its limit');
}

function touchRow(touch: PromoTouch): NewTouch {
  return {
    id: touch.id,
    type: 'promo_redemption',
    occurred_at: toIso(touch.occurredAt),
    campaign_id: touch.campaignId,
    link_id: null,
    channel: touch.channel,
    visitor_id: null,
    visitor_kind: null,
    device_class: touch.deviceClass ?? 'desktop',
    os: null,
    browser: null,
    is_bot: 0,
    bot_reason: null,
    country: null,
    region: null,
    city: null,
    referrer_host: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
  };
}

/**
 * Adapter for the conversions endpoint (`PromoRedeemer` there): redeems the
 * conversion's promo code with its order_id (or the conversion id when the
 * order has none) and returns the touch to attribute. Refusals throw ApiError.
 */
export async function redeemPromoForConversion(
  db: Db,
  env: Bindings,
  request: { code: string; customerRef: string | null; orderId: string | null; orderValue: number | null; conversionId: string; occurredAt: number },
): Promise<PromoTouch> {
  const input = {
    code: request.code,
    customerRef: request.customerRef,
    orderId: request.orderId ?? request.conversionId,
    orderValue: request.orderValue,
    occurredAt: request.occurredAt,
  };
  return (await redeemPromoCode(db, env, input, request.occurredAt)).touch;
}
