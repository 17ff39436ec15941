/**
 * Refunds of a conversion, full or partial, idempotent on the shop's refund_id: the refunded share leaves
 * every report's revenue (credits rewritten to the net value in the refund's batch) and the purchase points
 * the order earned are reversed in proportion (db/refunds.ts). A refund that finds the conversion changed
 * between its read and its write (another refund, points released meanwhile) reads again and retries.
 */
import type { Db } from '../db/client';
import { restoreArchivedCredits } from './credit-archive';
import { findConversionAnywhere } from '../db/conversions';
import { conversionsSharded } from '../db/shards';
import { applyRefundTotal, readRefundState, writeRefund, type StoredRefund } from '../db/refunds';
import { pointsToReverse, refundAmount, splitReversal, type RefundProblem } from '../domain/refunds';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { emitEvent } from './webhook-events';

export interface RefundRequest {
  amount: number | null;
  refundId: string | null;
  currency: string | null;
  /**
   * Shop platforms: the order's refunded total after this refund (Stripe's cumulative `amount_refunded`), instead
   * of `amount` — the refund is what exceeds the refunds recorded when it is written (none more: refused).
   */
  refundedTotal?: number | null;
  /** Shop platforms: more than is left refunds the rest instead of being refused (a platform's rounding). */
  upToRemaining?: boolean;
}

export interface RefundResult {
  conversion_id: string;
  refund_id: string;
  amount: number;
  refunded: number;
  remaining_value: number;
  points_reversed: number;
}

const ATTEMPTS = 8;

/** Money as answered: rounded to 6 decimals, so sums of floating-point amounts read as entered. */
const money = (amount: number): number => Math.round(amount * 1e6) / 1e6;

const answer = (conversionId: string, value: number, refund: StoredRefund): RefundResult => ({
  conversion_id: conversionId,
  refund_id: refund.refundKey,
  amount: money(refund.amount),
  refunded: money(refund.refunded),
  remaining_value: money(value - refund.refunded),
  points_reversed: refund.pointsReversed,
});

function refusal(problem: RefundProblem, remaining: number, currency: string | null): ApiError {
  switch (problem) {
    case 'no_value':
      return new ApiError('unprocessable', 'This conversion has no value to refund');
    case 'currency':
      return new ApiError('unprocessable', `currency: the conversion is in ${currency}`);
    case 'nothing_left':
      return new ApiError('unprocessable', 'This conversion has been refunded in full already');
    case 'too_much':
      return new ApiError('unprocessable', `amount: more than the ${money(remaining)} ${currency} left to refund`);
  }
}

/**
 * The amount a request asks of a conversion as read now: from the refunded total (null when nothing more is
 * asked than is refunded), capped at what is left when the request allows it (null: all that is left).
 */
function askedAmount(request: RefundRequest, conversion: { value: number | null; refunded: number }): { amount: number | null } | null {
  const amount = request.refundedTotal == null ? request.amount : money(request.refundedTotal - conversion.refunded);
  if (amount !== null && amount <= 0) return null;
  const remaining = (conversion.value ?? 0) - conversion.refunded;
  return { amount: request.upToRemaining && amount !== null && amount > remaining ? null : amount };
}

/** Refunds `amount` (all that is left when null) of conversion `conversionId`. */
export async function refundConversion(
  db: Db,
  conversionId: string,
  request: RefundRequest,
  now: number,
  bucket: R2Bucket | null = null,
): Promise<{ result: RefundResult; created: boolean }> {
  // The conversion's database: the main one, or its shard when conversions are sharded.
  const home = conversionsSharded(db) ? ((await findConversionAnywhere(db, conversionId))?.home.db ?? db) : db;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const state = await readRefundState(db, conversionId, request.refundId, home);
    if (!state.conversion) throw notFound('Conversion');
    const conversion = state.conversion;
    if (state.earlier) {
      // A shard's step of this refund may have failed after the main database's: applying the total again mends it.
      if (home !== db) await applyRefundTotal(home, conversionId, state.earlier.refunded);
      return { result: answer(conversionId, conversion.value ?? 0, state.earlier), created: false };
    }
    // Decided on each read, so refunds racing each other are judged on the order as it is when written.
    const asked = askedAmount(request, conversion);
    if (!asked) throw new ApiError('unprocessable', `refunded_total: ${money(conversion.refunded)} ${conversion.currency} is refunded already`);
    const decided = refundAmount(conversion, { amount: asked.amount, currency: request.currency });
    if ('problem' in decided) throw refusal(decided.problem, decided.remaining, conversion.currency);

    const value = conversion.value!;
    const refundedTotal = Math.min(value, conversion.refunded + decided.amount);
    const points = pointsToReverse(state.earned, refundedTotal, value, state.reversedBefore);
    const split = splitReversal(points, state.pending, state.lots);
    const id = newId('refund', now);
    const stored = await writeRefund(
      db,
      {
        id,
        conversionId,
        value,
        refundKey: request.refundId ?? id,
        amount: decided.amount,
        at: toIso(now),
        readRefunded: conversion.refunded,
        readLedgerRows: state.ledgerRows,
        memberId: state.memberId,
        fromPending: split.fromPending.map((part) => ({ ...part, ledgerId: newId('ledger', now) })),
        fromAvailable: split.fromAvailable.map((part) => ({ ...part, ledgerId: newId('ledger', now) })),
        // Credits past the hot window come back to D1 in the same batch, so the refund moves their rollups.
        restore: await restoreArchivedCredits(home, bucket, conversion),
      },
      home,
    );
    if (stored) {
      const result = answer(conversionId, value, stored);
      await emitEvent(db, 'conversion.refunded', { ...result, currency: conversion.currency }, now);
      return { result, created: true };
    }
    // Not written: the same refund_id was stored meanwhile (the next read answers it), or the conversion changed.
  }
  throw new ApiError('conflict', 'The conversion changed while refunding; try again');
}
