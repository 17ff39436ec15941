/**
 * Refunds, pure: the net value reports count, what a refund may take, and the purchase points it reverses —
 * in proportion to what is refunded, pending points first, then available ones.
 */

/** What a conversion is worth after refunds; null for a conversion without value. */
export const netValue = (value: number | null, refunded: number): number | null => (value === null ? null : Math.max(0, value - refunded));

/** Money compared with a tolerance far below any currency's smallest unit (sums of floating-point amounts). */
const EPSILON = 1e-9;

export type RefundProblem = 'no_value' | 'currency' | 'nothing_left' | 'too_much';

/**
 * The amount a refund takes (the whole remaining value when none is given), or why it may not:
 * the conversion has no value, a different currency, nothing left, or less left than asked.
 */
export function refundAmount(
  conversion: { value: number | null; currency: string | null; refunded: number },
  request: { amount: number | null; currency: string | null },
): { amount: number } | { problem: RefundProblem; remaining: number } {
  if (conversion.value === null || conversion.value <= 0) return { problem: 'no_value', remaining: 0 };
  const remaining = Math.max(0, conversion.value - conversion.refunded);
  if (request.currency !== null && request.currency !== conversion.currency) return { problem: 'currency', remaining };
  if (remaining <= EPSILON) return { problem: 'nothing_left', remaining: 0 };
  if (request.amount === null) return { amount: remaining };
  if (request.amount > remaining + EPSILON) return { problem: 'too_much', remaining };
  return { amount: Math.min(request.amount, remaining) };
}

/**
 * Points a refund reverses: the share of the points the order earned that the refunded total stands for,
 * rounded down, less what earlier refunds of it reversed (never negative).
 */
export function pointsToReverse(earned: number, refundedTotal: number, value: number, reversedBefore: number): number {
  if (earned <= 0 || value <= 0) return 0;
  const share = Math.floor((earned * Math.min(refundedTotal, value)) / value + EPSILON);
  return Math.max(0, share - reversedBefore);
}

export interface PendingLot {
  pendingId: string;
  points: number;
}
export interface AvailableLot {
  expiresAt: string | null;
  points: number;
}

/**
 * Splits `points` over the order's pending rows first (what is still pending is taken back before it is
 * released), the rest over its available lots (each up to its size, the rest from the last one), so each
 * reversal carries the expiry of the lot it cancels.
 */
export function splitReversal(
  points: number,
  pending: readonly PendingLot[],
  available: readonly AvailableLot[],
): { fromPending: Array<{ pendingId: string; points: number }>; fromAvailable: Array<{ expiresAt: string | null; points: number }> } {
  let left = points;
  const fromPending: Array<{ pendingId: string; points: number }> = [];
  for (const row of pending) {
    const take = Math.min(row.points, left);
    if (take > 0) fromPending.push({ pendingId: row.pendingId, points: take });
    left -= take;
  }
  const fromAvailable: Array<{ expiresAt: string | null; points: number }> = [];
  available.forEach((lot, index) => {
    const take = index === available.length - 1 ? left : Math.min(lot.points, left);
    if (take > 0) fromAvailable.push({ expiresAt: lot.expiresAt, points: take });
    left -= take;
  });
  if (left > 0 && available.length === 0) fromAvailable.push({ expiresAt: null, points: left });
  return { fromPending, fromAvailable };
}
