import { describe, expect, it } from 'vitest';
import { abcRows, abcSegmentOf, daysBetweenOrders, loyaltyRows, median } from '../../src/domain/loyalty';

const DAY = 86_400_000;
const customers = (pairs: Array<[string, number, string?]>) => pairs.map(([id, revenue, channel = 'email']) => ({ id, revenue, channel }));

describe('ABC segmentation', () => {
  it('splits 80 / 15 / 5 % of revenue, the customer crossing a line staying above it', () => {
    // total 1000; revenue before each: c1 0, c2 500 (50 %), c3 800 (80 %), c4 900 (90 %), c5 950 (95 %), c6 980
    const fixture = customers([
      ['c1', 500, 'email'],
      ['c2', 300, 'offline'],
      ['c3', 100],
      ['c4', 50],
      ['c5', 30, 'direct'],
      ['c6', 20],
    ]);
    expect(abcRows(fixture)).toEqual([
      { segment: 'A', customers: 2, revenue: 800, share: 0.8, channels: { email: 1, offline: 1 } },
      { segment: 'B', customers: 2, revenue: 150, share: 0.15, channels: { email: 2 } },
      { segment: 'C', customers: 2, revenue: 50, share: 0.05, channels: { direct: 1, email: 1 } },
    ]);
  });

  it('never splits customers with equal revenue', () => {
    // c2, c3, c4 tie at 100: c3 would start B (before = 80 %) but shares c2's A
    const segments = abcSegmentOf(
      customers([
        ['c1', 700],
        ['c2', 100],
        ['c3', 100],
        ['c4', 100],
      ]),
    );
    expect([...segments.entries()]).toEqual([
      ['c1', 'A'],
      ['c2', 'A'],
      ['c3', 'A'],
      ['c4', 'A'],
    ]);
  });

  it('puts a single customer in A', () => {
    expect(abcRows(customers([['only', 42.5]]))).toEqual([
      { segment: 'A', customers: 1, revenue: 42.5, share: 1, channels: { email: 1 } },
      { segment: 'B', customers: 0, revenue: 0, share: 0, channels: {} },
      { segment: 'C', customers: 0, revenue: 0, share: 0, channels: {} },
    ]);
  });

  it('answers three empty segments for no customers', () => {
    expect(abcRows([]).map((row) => row.customers)).toEqual([0, 0, 0]);
  });
});

describe('loyalty arithmetic', () => {
  it('computes the median of odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([10, 2, 4, 8])).toBe(6);
  });

  it('measures days between consecutive orders', () => {
    expect(
      daysBetweenOrders([
        { at: 0, value: 1 },
        { at: 3 * DAY, value: 1 },
        { at: 10 * DAY, value: 1 },
      ]),
    ).toEqual([3, 7]);
  });

  it('summarises customers per acquisition channel', () => {
    const rows = loyaltyRows([
      {
        channel: 'email',
        orders: [
          { at: 0, value: 100 },
          { at: 10 * DAY, value: 50 },
        ],
      },
      {
        channel: 'email',
        orders: [
          { at: 0, value: 40 },
          { at: 4 * DAY, value: 10 },
          { at: 6 * DAY, value: 10 },
        ],
      },
      { channel: 'email', orders: [{ at: 0, value: 60 }] },
      { channel: 'offline', orders: [{ at: 0, value: 20 }] },
    ]);
    expect(rows).toEqual([
      // revenue 150 + 60 + 60 = 270; gaps 10, 4, 2 → median 4
      {
        channel: 'email',
        customers: 3,
        repeat_customers: 2,
        repeat_rate: 0.666667,
        orders: 6,
        revenue: 270,
        revenue_per_customer: 90,
        orders_per_customer: 2,
        median_days_between_orders: 4,
      },
      {
        channel: 'offline',
        customers: 1,
        repeat_customers: 0,
        repeat_rate: 0,
        orders: 1,
        revenue: 20,
        revenue_per_customer: 20,
        orders_per_customer: 1,
        median_days_between_orders: null,
      },
    ]);
  });
});
