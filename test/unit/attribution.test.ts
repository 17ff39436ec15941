import { describe, expect, it } from 'vitest';
import { attribute, attributeAll, DAY_MS, modelWeights, selectCandidates, type AttributionTouch } from '../../src/domain/attribution';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const day = (n: number) => T0 + n * DAY_MS;

const touch = (id: string, at: number, channel: AttributionTouch['channel'], isBot = false): AttributionTouch => ({
  id,
  occurredAt: at,
  channel,
  campaignId: 'cmp_1',
  linkId: `lnk_${id}`,
  deviceClass: 'mobile',
  isBot,
});

// email (day 0) → offline scan (day 10) → referral click (day 20) → sale of 100.00 EUR on day 21
const path = [touch('email', day(0), 'email'), touch('scan', day(10), 'offline'), touch('ref', day(20), 'referral')];
const saleAt = day(21);

// time decay by hand: 2^(-21/7) = 1/8, 2^(-11/7), 2^(-1/7), normalised
const raw = [2 ** -3, 2 ** (-11 / 7), 2 ** (-1 / 7)];
const decay = raw.map((w) => w / (raw[0] + raw[1] + raw[2]));

describe('attribution models on the hand-computed path', () => {
  const credits = attributeAll(selectCandidates(path, saleAt, 30), saleAt, 100);
  const weights = (model: keyof typeof credits) => credits[model].map((c) => c.weight);
  const revenue = (model: keyof typeof credits) => credits[model].map((c) => c.revenue);

  it('gives last touch everything to the referral click', () => {
    expect(weights('last_touch')).toEqual([0, 0, 1]);
    expect(revenue('last_touch')).toEqual([0, 0, 100]);
  });

  it('gives first touch everything to the email', () => {
    expect(weights('first_touch')).toEqual([1, 0, 0]);
    expect(revenue('first_touch')).toEqual([100, 0, 0]);
  });

  it('splits linear evenly', () => {
    expect(weights('linear')).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(revenue('linear')).toEqual([100 * (1 / 3), 100 * (1 / 3), 100 * (1 / 3)]);
  });

  it('halves time-decay weight every 7 days before the sale', () => {
    credits.time_decay.forEach((credit, i) => {
      expect(Math.abs(credit.weight - decay[i])).toBeLessThan(1e-9);
      expect(Math.abs((credit.revenue ?? NaN) - 100 * decay[i])).toBeLessThan(1e-9);
    });
    expect(Math.abs(decay[0] - 0.0914278216)).toBeLessThan(1e-9);
    expect(Math.abs(decay[1] - 0.2461054455)).toBeLessThan(1e-9);
    expect(Math.abs(decay[2] - 0.6624667329)).toBeLessThan(1e-9);
  });

  it('gives position 0.4 / 0.2 / 0.4', () => {
    expect(weights('position')).toEqual([0.4, 0.2, 0.4]);
    expect(revenue('position')).toEqual([40, 20, 40]);
  });

  it('keeps channels, campaign and link on each credit in path order', () => {
    expect(credits.linear.map((c) => [c.position, c.channel, c.linkId])).toEqual([
      [0, 'email', 'lnk_email'],
      [1, 'offline', 'lnk_scan'],
      [2, 'referral', 'lnk_ref'],
    ]);
  });
});

describe('candidates', () => {
  it('excludes a touch 31 days before the conversion under a 30-day lookback', () => {
    expect(selectCandidates(path, day(31), 30).map((t) => t.id)).toEqual(['scan', 'ref']);
  });

  it('includes a touch exactly at the window start and at the conversion', () => {
    expect(selectCandidates([touch('a', day(1), 'email'), touch('b', day(31), 'paid')], day(31), 30).map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('never takes a touch after the conversion', () => {
    expect(selectCandidates([touch('late', day(22), 'email')], saleAt, 30)).toEqual([]);
  });

  it('excludes bots', () => {
    expect(selectCandidates([...path, touch('bot', day(20.5), 'social', true)], saleAt, 30).map((t) => t.id)).toEqual(['email', 'scan', 'ref']);
  });

  it('orders by time and takes each touch once', () => {
    expect(selectCandidates([path[2], path[0], path[1], path[0]], saleAt, 30).map((t) => t.id)).toEqual(['email', 'scan', 'ref']);
  });
});

describe('edge cases', () => {
  it('credits direct with weight 1 when there is no candidate', () => {
    expect(attribute('linear', [], saleAt, 50)).toEqual([
      { position: 0, touchId: null, touchAt: null, channel: 'direct', campaignId: null, linkId: null, deviceClass: null, weight: 1, revenue: 50 },
    ]);
  });

  it('gives position 1 to a single touch and 0.5/0.5 to two', () => {
    expect(modelWeights('position', [day(1)], saleAt)).toEqual([1]);
    expect(modelWeights('position', [day(1), day(2)], saleAt)).toEqual([0.5, 0.5]);
    expect(modelWeights('position', [1, 2, 3, 4, 5].map(day), saleAt)).toEqual([0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]);
  });

  it('leaves revenue null for a conversion without a value', () => {
    expect(attribute('last_touch', [path[0]], saleAt, null)[0].revenue).toBeNull();
  });

  it('makes every model sum to 1', () => {
    const times = [0, 3, 4, 9, 15, 20].map(day);
    for (const model of ['last_touch', 'first_touch', 'linear', 'time_decay', 'position'] as const) {
      expect(Math.abs(modelWeights(model, times, saleAt).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    }
  });
});
