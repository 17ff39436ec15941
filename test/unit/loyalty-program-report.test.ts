import { describe, expect, it } from 'vitest';
import { liabilityByDay, shareOf, sumFlows, tierRows } from '../../src/domain/loyalty-program-report';

describe('loyalty-program report arithmetic', () => {
  it('runs the ledger sums per day up from the opening, days without rows carrying the day before', () => {
    const sums = [
      { day: '', points: 100, pending: 10, debt: 0 },
      { day: '2032-01-02', points: -40, pending: 5, debt: 3 },
    ];
    expect(liabilityByDay(sums, '2032-01-01', '2032-01-03', 0.015)).toEqual([
      { day: '2032-01-01', balance: 100, pending: 10, debt: 0, value: 1.5 },
      { day: '2032-01-02', balance: 60, pending: 15, debt: 3, value: 0.9 },
      { day: '2032-01-03', balance: 60, pending: 15, debt: 3, value: 0.9 },
    ]);
    expect(liabilityByDay([], '2032-01-01', '2032-01-01', 0.01)).toEqual([{ day: '2032-01-01', balance: 0, pending: 0, debt: 0, value: 0 }]);
  });

  it("lists tiers in the program's order, empty ones too, then tiers it no longer has, then none", () => {
    const counts = [
      { tier: null, members: 1 },
      { tier: 'Gold', members: 1 },
      { tier: 'Silver', members: 2 },
    ];
    expect(tierRows(counts, ['Bronze', 'Silver'])).toEqual([
      { tier: 'Bronze', members: 0, share: 0 },
      { tier: 'Silver', members: 2, share: 0.5 },
      { tier: 'Gold', members: 1, share: 0.25 },
      { tier: 'none', members: 1, share: 0.25 },
    ]);
  });

  it('adds flows and takes shares to six decimals', () => {
    const row = { earned: 1, pending: 2, spent: 3, expired: 4, reversed: 5 };
    expect(sumFlows([row, row])).toEqual({ earned: 2, pending: 4, spent: 6, expired: 8, reversed: 10 });
    expect(shareOf(1, 3)).toBe(0.333333);
    expect(shareOf(1, 0)).toBe(0);
  });
});
