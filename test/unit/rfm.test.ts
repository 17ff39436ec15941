import { describe, expect, it } from 'vitest';
import { quintileScores, RFM_GRID, RFM_SEGMENTS, rfmChannelRows, rfmSegmentOf, scoreCustomers, segmentFigures, type Score } from '../../src/domain/rfm';

describe('quintileScores (mid-rank quintiles, higher is better)', () => {
  it('scores five distinct values 1 … 5 whatever their order', () => {
    expect(quintileScores([10, 20, 30, 40, 50])).toEqual([1, 2, 3, 4, 5]);
    expect(quintileScores([50, 10, 40, 20, 30])).toEqual([5, 1, 4, 2, 3]);
  });

  it('scores ten distinct values two to a quintile', () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('scores fewer than five customers symmetrically: one or all equal → 3', () => {
    expect(quintileScores([])).toEqual([]);
    expect(quintileScores([7])).toEqual([3]);
    expect(quintileScores([5, 5, 5])).toEqual([3, 3, 3]);
    expect(quintileScores([1, 2])).toEqual([2, 4]);
    expect(quintileScores([1, 2, 3])).toEqual([1, 3, 5]);
    expect(quintileScores([1, 2, 3, 4])).toEqual([1, 2, 4, 5]);
  });

  it('puts a percentile exactly on a boundary into the upper quintile, and ties share a score', () => {
    // 1, 1: p = (0 + 2/2) / 5 = 0.2 exactly → 2; 2: (2 + 0.5) / 5 = 0.5 → 3; 3: 0.7 → 4; 4: 0.9 → 5
    expect(quintileScores([1, 1, 2, 3, 4])).toEqual([2, 2, 3, 4, 5]);
    // 2, 2: p = (1 + 1) / 5 = 0.4 exactly → 3; 3, 3: (3 + 1) / 5 = 0.8 exactly → 5
    expect(quintileScores([1, 2, 2, 3, 3])).toEqual([1, 3, 3, 5, 5]);
    // eight tied at the top of ten: p = (2 + 4) / 10 = 0.6 → 4
    expect(quintileScores([1, 2, 3, 3, 3, 3, 3, 3, 3, 3])).toEqual([1, 1, 4, 4, 4, 4, 4, 4, 4, 4]);
  });
});

describe('rfmSegmentOf (R and FM = ⌊(F + M) / 2⌋ through RFM_GRID)', () => {
  it('names the corners and the middle', () => {
    expect(rfmSegmentOf(5, 5, 5)).toBe('champions');
    expect(rfmSegmentOf(5, 1, 1)).toBe('new');
    expect(rfmSegmentOf(1, 1, 1)).toBe('lost');
    expect(rfmSegmentOf(1, 5, 5)).toBe('cant_lose_them');
    expect(rfmSegmentOf(3, 3, 3)).toBe('need_attention');
  });

  it('rounds FM down: F 5 and M 4 is FM 4', () => {
    expect(rfmSegmentOf(1, 5, 4)).toBe('at_risk');
    expect(rfmSegmentOf(4, 1, 2)).toBe('promising');
    expect(rfmSegmentOf(4, 4, 3)).toBe('potential_loyalists');
    expect(rfmSegmentOf(3, 4, 4)).toBe('loyal');
  });

  it('maps every score to a segment and reaches every segment', () => {
    const scores: Score[] = [1, 2, 3, 4, 5];
    const reached = new Set(scores.flatMap((r) => scores.flatMap((f) => scores.map((m) => rfmSegmentOf(r, f, m)))));
    expect([...reached].sort()).toEqual([...RFM_SEGMENTS].sort());
    expect(Object.values(RFM_GRID).every((row) => row.length === 5)).toBe(true);
  });
});

/*
 * By hand: R over −recency [0, −3, −10, −40, −90] → 5 4 3 2 1;
 * F over [5, 2, 1, 4, 1] → c and e tie at p = 0.2 → 2, b 3, d 4, a 5; M over [500, 80, 20, 400, 20] likewise.
 * a R5 FM5 champions, b R4 FM3 potential loyalists, c R3 FM2 about to sleep, d R2 FM4 at risk, e R1 FM2 hibernating.
 */
const customers = [
  { id: 'a', channel: 'email', recencyDays: 0, orders: 5, revenue: 500 },
  { id: 'b', channel: 'email', recencyDays: 3, orders: 2, revenue: 80 },
  { id: 'c', channel: 'direct', recencyDays: 10, orders: 1, revenue: 20 },
  { id: 'd', channel: 'direct', recencyDays: 40, orders: 4, revenue: 400 },
  { id: 'e', channel: 'direct', recencyDays: 90, orders: 1, revenue: 20 },
];

describe('scoreCustomers', () => {
  it('scores and segments five customers as computed by hand', () => {
    expect(scoreCustomers(customers).map(({ id, r, f, m, segment }) => ({ id, r, f, m, segment }))).toEqual([
      { id: 'a', r: 5, f: 5, m: 5, segment: 'champions' },
      { id: 'b', r: 4, f: 3, m: 3, segment: 'potential_loyalists' },
      { id: 'c', r: 3, f: 2, m: 2, segment: 'about_to_sleep' },
      { id: 'd', r: 2, f: 4, m: 4, segment: 'at_risk' },
      { id: 'e', r: 1, f: 2, m: 2, segment: 'hibernating' },
    ]);
  });

  it('counts segments per acquisition channel and sums each segment', () => {
    const scored = scoreCustomers(customers);
    const zero = Object.fromEntries(RFM_SEGMENTS.map((segment) => [segment, 0]));
    expect(rfmChannelRows(scored)).toEqual([
      { channel: 'direct', customers: 3, ...zero, about_to_sleep: 1, at_risk: 1, hibernating: 1 },
      { channel: 'email', customers: 2, ...zero, champions: 1, potential_loyalists: 1 },
    ]);
    const figures = segmentFigures(scoreCustomers([...customers, { id: 'f', channel: 'email', recencyDays: 0, orders: 5, revenue: 450 }]));
    expect(figures.find((row) => row.segment === 'champions')).toEqual({
      segment: 'champions',
      customers: 2,
      share: 0.333333,
      revenue: 950,
      mean_recency_days: 0,
      mean_orders: 5,
      revenue_per_customer: 475,
    });
    expect(figures.find((row) => row.segment === 'new')).toEqual({
      segment: 'new',
      customers: 0,
      share: 0,
      revenue: 0,
      mean_recency_days: null,
      mean_orders: null,
      revenue_per_customer: null,
    });
  });
});
