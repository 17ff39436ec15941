import { describe, expect, it } from 'vitest';
import { multiplierOf, parseTiers, tierFor, tierProgress, tierWindowStart, tiersJson, type Tier } from '../../src/domain/loyalty-program';

const TIERS: Tier[] = [
  { name: 'Bronze', minPoints12m: 0, multiplier: 1 },
  { name: 'Silver', minPoints12m: 500, multiplier: 1.25 },
  { name: 'Gold', minPoints12m: 2000, multiplier: 1.5 },
];

describe('tiers', () => {
  it.each([
    [0, 'Bronze'],
    [499, 'Bronze'],
    [500, 'Silver'],
    [1999, 'Silver'],
    [2000, 'Gold'],
    [90000, 'Gold'],
  ])('%i points in 12 months reach %s', (points, name) => {
    expect(tierFor(TIERS, points)?.name).toBe(name);
  });

  it('has no tier below the first threshold or without tiers', () => {
    expect(tierFor([{ name: 'Club', minPoints12m: 100, multiplier: 2 }], 99)).toBeNull();
    expect(tierFor([], 1000)).toBeNull();
    expect(multiplierOf(null)).toBe(1);
    expect(multiplierOf(TIERS[2])).toBe(1.5);
  });

  it('measures progress to the next tier from the current threshold', () => {
    expect(tierProgress(TIERS, 800)).toEqual({ tier: TIERS[1], next: TIERS[2], missing: 1200, share: 0.2 });
    expect(tierProgress(TIERS, 2500)).toEqual({ tier: TIERS[2], next: null, missing: 0, share: 1 });
    expect(tierProgress([{ name: 'Club', minPoints12m: 100, multiplier: 2 }], 25)).toEqual({
      tier: null,
      next: { name: 'Club', minPoints12m: 100, multiplier: 2 },
      missing: 75,
      share: 0.25,
    });
  });

  it('counts this month and the eleven before', () => {
    expect(tierWindowStart(Date.parse('2026-12-02T10:00:00Z'))).toBe('2026-01');
    expect(tierWindowStart(Date.parse('2026-03-31T23:59:59Z'))).toBe('2025-04');
  });

  it('stores tiers as snake_case JSON and reads them back', () => {
    expect(tiersJson(TIERS.slice(0, 1))).toBe('[{"name":"Bronze","min_points_12m":0,"multiplier":1}]');
    expect(parseTiers(tiersJson(TIERS))).toEqual(TIERS);
  });
});
