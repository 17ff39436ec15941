/**
 * Points that arrive by themselves: the occasions a sale, an action code entry and a referred sale make,
 * booked through the one earning service. The occasion that made them never fails because of the bonus
 * program: a booking that throws is logged and queued (schema/0017), and the cron books it again —
 * idempotent on the occasion's key, so an occasion delivered twice (a repeated order_id, a retry after
 * an unknown outcome) is booked once.
 */
import type { Db } from '../db/client';
import { findQueuedOccasions, noteOccasionFailure, queueOccasion, removeQueuedOccasion } from '../db/loyalty-occasions';
import { toIso } from '../lib/time';
import { earnPoints, type EarnResult, type Occasion } from './loyalty-earn';

/** Books an occasion; on failure logs it and queues it for the cron. Never throws. */
export async function earnOrQueue(db: Db, occasion: Occasion, now: number): Promise<EarnResult | null> {
  try {
    return await earnPoints(db, occasion, now);
  } catch (error) {
    console.error(`loyalty: booking ${occasion.idempotencyKey} failed; queued for the cron`, error);
    try {
      await queueOccasion(db, occasion.idempotencyKey, occasion.customerHash, JSON.stringify(occasion), String(error), toIso(now));
    } catch (queueError) {
      console.error(`loyalty: queueing ${occasion.idempotencyKey} failed too; it is lost`, queueError);
    }
    return null;
  }
}

/** Books up to `limit` queued occasions again; resolves to how many were booked (or found booked) and left the queue. */
export async function retryQueuedOccasions(db: Db, now: number, limit: number): Promise<number> {
  let done = 0;
  for (const queued of await findQueuedOccasions(db, limit)) {
    try {
      await earnPoints(db, JSON.parse(queued.occasion) as Occasion, now);
      await removeQueuedOccasion(db, queued.key);
      done++;
    } catch (error) {
      console.error(`loyalty: retrying ${queued.key} failed`, error);
      await noteOccasionFailure(db, queued.key, String(error)).catch(() => undefined);
    }
  }
  return done;
}

/** A stored sale with a customer: its purchase points, with the campaign, channel and touch of its last-touch credit. */
export function saleOccasion(
  sale: { id: string; customerHash: string; value: number | null; currency: string | null; occurredAt: number },
  lastTouch: { channel: string; campaignId: string | null; touchId: string | null } | null,
): Occasion {
  return {
    type: 'purchase',
    customerHash: sale.customerHash,
    idempotencyKey: `conversion:${sale.id}`,
    value: sale.value,
    currency: sale.currency,
    campaignId: lastTouch?.campaignId ?? null,
    channel: lastTouch?.channel ?? 'direct',
    touchId: lastTouch?.touchId ?? null,
    conversionId: sale.id,
    occurredAt: sale.occurredAt,
  };
}

/** An accepted action code entry with a customer: channel offline, the place of the entry's request. */
export function codeEntryOccasion(entry: {
  id: string;
  customerHash: string;
  campaignId: string | null;
  country: string | null;
  region: string | null;
  occurredAt: number;
}): Occasion {
  return {
    type: 'code_entry',
    customerHash: entry.customerHash,
    idempotencyKey: `code_entry:${entry.id}`,
    campaignId: entry.campaignId,
    channel: 'offline',
    country: entry.country,
    region: entry.region,
    codeEntryId: entry.id,
    occurredAt: entry.occurredAt,
  };
}

/**
 * A friend's qualifying first sale (`referred_sale`): `referral` points for the referrer and `referral_welcome`
 * points for the friend, both of the referral's campaign, channel referral. They carry no conversion_id: a
 * refund of the friend's order takes back the friend's purchase points only.
 */
export function referralOccasions(sale: {
  conversionId: string;
  referrerHash: string | null;
  friendHash: string | null;
  campaignId: string;
  occurredAt: number;
}): Occasion[] {
  const common = { campaignId: sale.campaignId, channel: 'referral', occurredAt: sale.occurredAt };
  return [
    ...(sale.referrerHash ? [{ ...common, type: 'referral' as const, customerHash: sale.referrerHash, idempotencyKey: `referral:${sale.conversionId}` }] : []),
    ...(sale.friendHash
      ? [{ ...common, type: 'referral_welcome' as const, customerHash: sale.friendHash, idempotencyKey: `referral_welcome:${sale.conversionId}` }]
      : []),
  ];
}
