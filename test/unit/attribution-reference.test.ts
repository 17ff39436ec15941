/**
 * First-, last-touch and linear credit against an implementation nobody here
 * wrote: ChannelAttribution 2.1.7's heuristic_models, computed offline on 2,000
 * synthetic journeys (test/fixtures/channel-attribution-reference.json, copied
 * from the project's shared reference data). Each converting path becomes one
 * journey of touches a day apart; its conversions and value are credited with
 * our models and summed per channel.
 */
import { describe, expect, it } from 'vitest';
import reference from '../fixtures/channel-attribution-reference.json';
import { attribute, type AttributionTouch } from '../../src/domain/attribution';
import type { Channel } from '../../src/domain/vocab';

const DAY = 86_400_000;
const MODELS = [
  ['first_touch', 'first_touch'],
  ['last_touch', 'last_touch'],
  ['linear', 'linear_touch'],
] as const;

function ourTotals(model: (typeof MODELS)[number][0]) {
  const totals = new Map<string, { conversions: number; value: number }>();
  for (const path of reference.paths) {
    if (path.total_conversions === 0) continue;
    const channels = path.path.split(' > ') as Channel[];
    const at = (channels.length + 1) * DAY;
    const touches: AttributionTouch[] = channels.map((channel, i) => ({
      id: `t${i}`,
      occurredAt: (i + 1) * DAY,
      channel,
      campaignId: null,
      linkId: null,
      deviceClass: 'desktop',
      isBot: false,
    }));
    for (const credit of attribute(model, touches, at, path.total_conversion_value)) {
      const cell = totals.get(credit.channel) ?? { conversions: 0, value: 0 };
      cell.conversions += credit.weight * path.total_conversions;
      cell.value += credit.revenue ?? 0;
      totals.set(credit.channel, cell);
    }
  }
  return totals;
}

describe('heuristic models against ChannelAttribution', () => {
  it.each(MODELS)('%s equals its %s per channel (conversions and value)', (ours, theirs) => {
    const totals = ourTotals(ours);
    const heuristic = reference.heuristic as Record<string, Record<string, number>>;
    expect([...totals.keys()].sort()).toEqual(Object.keys(heuristic).sort());
    for (const [channel, expected] of Object.entries(heuristic)) {
      // The reference is printed to 10 decimals.
      expect(totals.get(channel)!.conversions).toBeCloseTo(expected[`${theirs}_conversions`], 8);
      expect(totals.get(channel)!.value).toBeCloseTo(expected[`${theirs}_value`], 6);
    }
  });
});
