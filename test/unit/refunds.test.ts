/** The refund rules: what may be refunded, and which points a refund takes back. */
import { describe, expect, it } from 'vitest';
import { netValue, pointsToReverse, refundAmount, splitReversal } from '../../src/domain/refunds';

describe('refund rules', () => {
  it('takes what is left when no amount is given and refuses more', () => {
    const conversion = { value: 100, currency: 'EUR', refunded: 30 };
    expect(refundAmount(conversion, { amount: null, currency: null })).toEqual({ amount: 70 });
    expect(refundAmount(conversion, { amount: 70, currency: 'EUR' })).toEqual({ amount: 70 });
    expect(refundAmount(conversion, { amount: 70.5, currency: null })).toEqual({ problem: 'too_much', remaining: 70 });
    expect(refundAmount(conversion, { amount: 1, currency: 'USD' })).toEqual({ problem: 'currency', remaining: 70 });
    expect(refundAmount({ ...conversion, refunded: 100 }, { amount: null, currency: null })).toEqual({ problem: 'nothing_left', remaining: 0 });
    expect(refundAmount({ value: null, currency: null, refunded: 0 }, { amount: null, currency: null })).toEqual({ problem: 'no_value', remaining: 0 });
    // 0.1 + 0.2 of 0.3: floating-point sums do not refuse the last cent.
    expect(refundAmount({ value: 0.3, currency: 'EUR', refunded: 0.1 + 0.2 - 1e-12 }, { amount: null, currency: null })).toEqual({
      problem: 'nothing_left',
      remaining: 0,
    });
    expect(netValue(100, 30)).toBe(70);
    expect(netValue(null, 0)).toBeNull();
  });

  it('reverses the refunded share of the earned points, rounded down, less what was reversed before', () => {
    expect(pointsToReverse(100, 20, 80, 0)).toBe(25);
    expect(pointsToReverse(100, 50, 80, 25)).toBe(37);
    expect(pointsToReverse(100, 80, 80, 62)).toBe(38);
    expect(pointsToReverse(7, 1, 3, 0)).toBe(2);
    expect(pointsToReverse(0, 50, 80, 0)).toBe(0);
    expect(pointsToReverse(10, 10, 30, 5)).toBe(0);
  });

  it('takes pending points first, then the available lots each up to its size', () => {
    const pending = [{ pendingId: 'p1', points: 10 }];
    const lots = [
      { expiresAt: '2027-01-01', points: 20 },
      { expiresAt: '2027-06-01', points: 5 },
    ];
    expect(splitReversal(33, pending, lots)).toEqual({
      fromPending: [{ pendingId: 'p1', points: 10 }],
      fromAvailable: [
        { expiresAt: '2027-01-01', points: 20 },
        { expiresAt: '2027-06-01', points: 3 },
      ],
    });
    expect(splitReversal(4, pending, lots)).toEqual({ fromPending: [{ pendingId: 'p1', points: 4 }], fromAvailable: [] });
    expect(splitReversal(0, pending, lots)).toEqual({ fromPending: [], fromAvailable: [] });
  });
});
