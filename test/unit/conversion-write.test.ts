import { describe, expect, it } from 'vitest';
import { findCredits, insertConversion } from '../../src/db/conversions';
import type { NewConversionPath } from '../../src/db/schema';
import { ATTRIBUTION_MODELS } from '../../src/domain/vocab';
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

describe('conversion_credits (a view over conversion_paths, schema/0022)', () => {
  it('answers one row per model and candidate with that model’s weight and revenue, and rolls up only weights above 0', async () => {
    const id = 'cnv_VIEWROWS';
    const path = (position: number, weights: [number, number, number, number, number]): NewConversionPath => ({
      ...credit(id, position, weights[2]),
      touch_id: `tpc_VIEW${position}`,
      channel: position === 0 ? 'email' : 'social',
      net: 60,
      w_last_touch: weights[0],
      w_first_touch: weights[1],
      w_time_decay: weights[3],
      w_position: weights[4],
    });
    await insertConversion(db(), {
      conversion: { ...conversionRow(id), value: 60, occurred_at: '2031-02-03T04:05:06.000Z', day: '2031-02-03' },
      visitorIds: [],
      credits: [path(0, [0, 1, 0.5, 0.25, 0.5]), path(1, [1, 0, 0.5, 0.75, 0.5])],
      customerHash: null,
      stitchVisitorIds: [],
      createdAt: '2031-02-03T04:05:06.000Z',
      seen: { clickFound: false, clickId: null, visitorTouchCount: 0, fromIso: '2031-01-04T04:05:06.000Z', occurredAt: '2031-02-03T04:05:06.000Z' },
    });
    const rows = await findCredits(db(), id);
    expect(rows.map((row) => [row.model, row.position, row.weight, row.revenue, row.currency, row.day, row.hour])).toEqual([
      ['first_touch', 0, 1, 60, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['first_touch', 1, 0, 0, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['last_touch', 0, 0, 0, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['last_touch', 1, 1, 60, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['linear', 0, 0.5, 30, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['linear', 1, 0.5, 30, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['position', 0, 0.5, 30, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['position', 1, 0.5, 30, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['time_decay', 0, 0.25, 15, 'EUR', '2031-02-03', '2031-02-03T04'],
      ['time_decay', 1, 0.75, 45, 'EUR', '2031-02-03', '2031-02-03T04'],
    ]);
    expect([...new Set(rows.map((row) => row.model))].sort()).toEqual([...ATTRIBUTION_MODELS].sort());
    const daily = await db()
      .selectFrom('credit_daily')
      .select(['model', 'channel', 'conversions', 'revenue'])
      .where('day', '=', '2031-02-03')
      .orderBy('model')
      .orderBy('channel')
      .execute();
    expect(daily).toEqual([
      { model: 'first_touch', channel: 'email', conversions: 1, revenue: 60 },
      { model: 'last_touch', channel: 'social', conversions: 1, revenue: 60 },
      { model: 'linear', channel: 'email', conversions: 0.5, revenue: 30 },
      { model: 'linear', channel: 'social', conversions: 0.5, revenue: 30 },
      { model: 'position', channel: 'email', conversions: 0.5, revenue: 30 },
      { model: 'position', channel: 'social', conversions: 0.5, revenue: 30 },
      { model: 'time_decay', channel: 'email', conversions: 0.25, revenue: 15 },
      { model: 'time_decay', channel: 'social', conversions: 0.75, revenue: 45 },
    ]);
    // Removing the rows (a re-attribution does) takes them out of the rollups again.
    await db().deleteFrom('conversion_paths').where('conversion_id', '=', id).execute();
    expect(await db().selectFrom('credit_daily').select('model').where('day', '=', '2031-02-03').execute()).toEqual([]);
    expect(await db().selectFrom('credit_hourly').select('model').where('hour', '=', '2031-02-03T04').execute()).toEqual([]);
  });
});
