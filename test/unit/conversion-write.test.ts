import { describe, expect, it } from 'vitest';
import { findCredits, insertConversion } from '../../src/db/conversions';
import type { NewConversionPath } from '../../src/db/schema';
import { db } from '../support/attribution-fixture';

/** Doubles whose decimal form is long or extreme: stored credits must read back bit-for-bit. */
const AWKWARD = [1 / 3, 2 / 3, 0.1 + 0.2, 1 / 7, Math.PI / 10, 2 ** -30, 1e-300, 5e-324, 123456.789e10, 0.30000000000000004, 1 - 2 ** -53, 42.5 / 3];

function randomDoubles(count: number, seed: number): number[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => next() * 10 ** Math.floor(next() * 12 - 6));
}

const conversionRow = (id: string) => ({
  id,
  type: 'sale',
  order_id: null,
  click_id: null,
  visitor_id: null,
  customer_hash: null,
  promo_code: null,
  promo_touch_id: null,
  value: 100,
  currency: 'EUR',
  occurred_at: '2031-01-01T00:00:00.000Z',
  day: '2031-01-01',
  lookback_days: 30,
  created_at: '2031-01-01T00:00:00.000Z',
});

const credit = (conversionId: string, position: number, weight: number): NewConversionPath => ({
  conversion_id: conversionId,
  position,
  touch_id: null,
  touch_at: null,
  channel: 'direct',
  campaign_id: null,
  link_id: null,
  device_class: null,
  net: 100,
  w_last_touch: 0,
  w_first_touch: 0,
  w_linear: weight,
  w_time_decay: 0,
  w_position: 0,
});

describe('insertConversion', () => {
  it('stores credit weights and revenues bit for bit', async () => {
    const id = 'cnv_EXACTDOUBLES';
    const weights = [...AWKWARD, ...randomDoubles(488, 7)];
    await insertConversion(db(), {
      conversion: conversionRow(id),
      visitorIds: [],
      credits: weights.map((w, i) => credit(id, i, w)),
      customerHash: null,
      stitchVisitorIds: [],
      createdAt: '2031-01-01T00:00:00.000Z',
      seen: { clickFound: false, clickId: null, visitorTouchCount: 0, fromIso: '2030-12-02T00:00:00.000Z', occurredAt: '2031-01-01T00:00:00.000Z' },
    });
    const stored = await findCredits(db(), id, 'linear');
    expect(stored.map((row) => row.weight)).toEqual(weights);
    expect(stored.map((row) => row.revenue)).toEqual(weights.map((w) => w * 100));
  });
});
