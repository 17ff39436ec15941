/**
 * The data-driven model against ChannelAttribution 2.1.7 (markov_model, order 1, nsim_start 1e6) and its
 * heuristic_models, computed offline on 2,000 synthetic journeys (test/fixtures/channel-attribution-reference.json,
 * a copy of the project's shared reference data), and on small chains solved by hand.
 *
 * The reference simulates; we compute exactly. Seeds 1 and 2 of the reference are the same run to the last digit, so
 * the runs are two (seeds 1 and 3), 2 % apart from each other on `search`. Our credit is held within 2 % of their
 * mean for every channel, conversions and value alike (measured: at most 1.58 % and 1.35 %, both on `search`), and
 * within 2 % of seed 3 alone (at most 0.81 %); seed 1 alone is 2.61 % from us on `search`.
 */
import { describe, expect, it } from 'vitest';
import reference from '../fixtures/channel-attribution-reference.json';
import { collapseRepeats, heuristicModels, markovModel, parsePath, type PathCount } from '../../src/domain/markov';

const paths: PathCount[] = reference.paths.map((row) => ({
  path: parsePath(row.path),
  conversions: row.total_conversions,
  value: row.total_conversion_value,
  nulls: row.total_null,
}));
type Seed = keyof typeof reference.markov;
type RefChannel = keyof (typeof reference.markov)['1']['result'];
const runs: Seed[] = ['1', '3'];
const mean = (pick: (seed: Seed) => number) => runs.reduce((sum, seed) => sum + pick(seed), 0) / runs.length;
const deviation = (ours: number, theirs: number) => Math.abs(ours / theirs - 1);

describe('markov model against ChannelAttribution', () => {
  const result = markovModel(paths);
  const byChannel = new Map(result.channels.map((row) => [row.channel as RefChannel, row]));

  it('caps walks as the reference does: the longest path (6 channels) + 1', () => {
    expect(result.maxSteps).toBe(7);
    expect(result.conversions).toBe(571);
    expect(result.value).toBeCloseTo(90343.12, 6);
  });

  it('seeds 1 and 2 of the reference are one run, so the runs to average are seeds 1 and 3', () => {
    expect(reference.markov['2']).toEqual(reference.markov['1']);
  });

  it('credits every channel within 2 % of the mean of the reference runs, conversions and value', () => {
    expect([...byChannel.keys()].sort()).toEqual(Object.keys(reference.markov['1'].result).sort());
    for (const [channel, ours] of byChannel) {
      const conversions = mean((seed) => reference.markov[seed].result[channel].total_conversions);
      const value = mean((seed) => reference.markov[seed].result[channel].total_conversion_value);
      expect(deviation(ours.conversions, conversions), `${channel} conversions`).toBeLessThan(0.02);
      expect(deviation(ours.value, value), `${channel} value`).toBeLessThan(0.02);
      expect(deviation(ours.conversions, reference.markov['3'].result[channel].total_conversions), `${channel} vs seed 3`).toBeLessThan(0.02);
    }
  });

  it('the credits add up to the conversions and value of the paths', () => {
    expect(result.channels.reduce((sum, row) => sum + row.conversions, 0)).toBeCloseTo(571, 9);
    expect(result.channels.reduce((sum, row) => sum + row.value, 0)).toBeCloseTo(90343.12, 6);
  });

  it('reports removal effects within 0.005 of the reference runs', () => {
    for (const [channel, ours] of byChannel) {
      const effect = mean((seed) => reference.markov[seed].removal_effects[channel].removal_effects_conversion);
      const effectValue = mean((seed) => reference.markov[seed].removal_effects[channel].removal_effects_conversion_value);
      expect(Math.abs(ours.removalEffect - effect), channel).toBeLessThan(0.005);
      expect(Math.abs(ours.removalEffectValue - effectValue), channel).toBeLessThan(0.005);
    }
    expect(byChannel.get('search')!.removalEffect).toBeCloseTo(0.137227, 6);
  });

  it('without the cap (the absorbing chain) the credit moves by up to 9 %: the cap is part of the reference', () => {
    const unbounded = markovModel(paths, { maxSteps: null });
    const search = unbounded.channels.find((row) => row.channel === 'search')!;
    expect(search.conversions).toBeCloseTo(35.5499, 3);
    expect(
      deviation(
        search.conversions,
        mean((seed) => reference.markov[seed].result.search.total_conversions),
      ),
    ).toBeGreaterThan(0.07);
  });
});

describe('heuristic models against ChannelAttribution', () => {
  it('matches first, last and linear touch to the fixture decimals', () => {
    const ours = heuristicModels(paths);
    expect([...ours.keys()].sort()).toEqual(Object.keys(reference.heuristic).sort());
    for (const [channel, theirs] of Object.entries(reference.heuristic)) {
      const mine = ours.get(channel)!;
      for (const [key, expected] of Object.entries(theirs)) {
        const decimals = key.startsWith('linear') ? 10 : 2;
        expect(Number(mine[key as keyof typeof mine].toFixed(decimals)), `${channel} ${key}`).toBe(Number(expected.toFixed(decimals)));
      }
    }
  });
});

describe('markov model by hand', () => {
  // start→a 2, start→b 1; a→b 1, a→null 1; b→conversion 2 (value 30 + 10).
  const small: PathCount[] = [
    { path: ['a', 'a', 'b'], conversions: 1, value: 30, nulls: 0 },
    { path: ['a'], conversions: 0, value: 0, nulls: 1 },
    { path: ['b'], conversions: 1, value: 10, nulls: 0 },
  ];

  it('collapses repeated channels and parses paths', () => {
    expect(collapseRepeats(['a', 'a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a']);
    expect(parsePath(' a >b >  > c ')).toEqual(['a', 'b', 'c']);
  });

  it('P(conversion) = 2/3·1/2 + 1/3 = 2/3; without a: 1/3 (effect 1/2); without b: 0 (effect 1)', () => {
    const result = markovModel(small);
    expect(result.maxSteps).toBe(3);
    const [a, b] = result.channels;
    expect(a.channel).toBe('a');
    expect(a.removalEffect).toBeCloseTo(0.5, 12);
    expect(b.removalEffect).toBeCloseTo(1, 12);
    // 2 conversions split 1/2 : 1 → 2/3 and 4/3.
    expect(a.conversions).toBeCloseTo(2 / 3, 12);
    expect(b.conversions).toBeCloseTo(4 / 3, 12);
    // Value: a conversion from b is worth 20; E = 2/3·20; without a: 1/3·20 → effect 1/2 again, so value splits 40 as 40/3 : 80/3.
    expect(a.value).toBeCloseTo(40 / 3, 10);
    expect(b.value).toBeCloseTo(80 / 3, 10);
  });

  it('a loop: the cap cuts walks, the absorbing chain does not', () => {
    // start→a 1; a→b 1, b→a 1 (of 2 leaving b), b→conversion 1.
    const loop: PathCount[] = [{ path: ['a', 'b', 'a', 'b'], conversions: 1, value: 8, nulls: 0 }];
    // Chain: start→a 1; a→b 1; b→a 1/2, b→conversion 1/2. Unbounded: P(conversion) = 1.
    const unbounded = markovModel(loop, { maxSteps: null });
    expect(unbounded.channels.map((row) => row.removalEffect)).toEqual([1, 1]);
    expect(unbounded.channels[0].conversions).toBeCloseTo(0.5, 12);
    // Capped at 2 visits: only a > b > conversion (1/2) converts.
    const capped = markovModel(loop, { maxSteps: 2 });
    expect(capped.channels[0].removalEffect).toBeCloseTo(1, 12);
  });

  it('no conversions: every effect and credit is 0', () => {
    const result = markovModel([{ path: ['a', 'b'], conversions: 0, value: 0, nulls: 3 }]);
    expect(result.channels.map((row) => [row.removalEffect, row.conversions, row.value])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});
