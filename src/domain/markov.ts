/**
 * The data-driven model (docs/DESIGN.md "Data-driven model"): a first-order Markov chain over journeys — channel
 * sequences, converting or not — with credit by removal effect, as ChannelAttribution's `markov_model` (order 1)
 * defines it, computed exactly instead of simulated. Also the heuristic models over the same aggregated paths.
 *
 * The chain has the states (start), one per channel, (conversion) and (null). A journey a > a > b converting once
 * adds start→a, a→b, b→conversion (repeated channels collapse: order 1 has no self-transitions). The removal
 * effect of channel c is 1 − P(conversion | c removed) / P(conversion), where removing c sends every transition
 * into c to (null); for the value, P(conversion) becomes the expected value of a walk, a conversion reached from
 * channel s being worth the mean value of the journeys that converted from s. ChannelAttribution caps each
 * simulated walk at the longest observed journey + 1 channel visits (a longer walk counts as not converting);
 * `maxSteps` keeps that cap (default) or lifts it (null: the absorbing chain, solved as a linear system).
 */

/** A report's Markov fit: `fitted` (the credit is the chain's) or `computing` (requested from the cron; the credit is linear meanwhile). */
export const MARKOV_STATUSES = ['fitted', 'computing'] as const;
export type MarkovStatus = (typeof MARKOV_STATUSES)[number];

/** One aggregated path: how many journeys took it and converted (with their total value) or ended in null. */
export interface PathCount {
  path: readonly string[];
  conversions: number;
  value: number;
  nulls: number;
}

export interface MarkovChannel {
  channel: string;
  /** Credited conversions: total conversions × removal effect ÷ the sum of removal effects. */
  conversions: number;
  /** Credited value, likewise with the value removal effects. */
  value: number;
  removalEffect: number;
  removalEffectValue: number;
}

export interface MarkovResult {
  /** One entry per channel seen in a path, in order of first appearance. */
  channels: MarkovChannel[];
  conversions: number;
  value: number;
  /** The step cap the walks were evaluated with (null: none). */
  maxSteps: number | null;
}

export interface MarkovOptions {
  /** Channel visits a converting walk may take; default: the longest collapsed path + 1 (ChannelAttribution); null: no cap. */
  maxSteps?: number | null;
}

/** `a > b > c` (ChannelAttribution's separator with spaces) as a channel list; blanks are dropped. */
export const parsePath = (text: string, separator = '>'): string[] =>
  text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** The path without consecutive repeats (a > a > b → a > b). */
export function collapseRepeats(path: readonly string[]): string[] {
  const out: string[] = [];
  for (const channel of path) if (out[out.length - 1] !== channel) out.push(channel);
  return out;
}

interface Chain {
  channels: string[];
  /** Transition probabilities among transient states (0 = start, i + 1 = channels[i]), row-normalised with the exits. */
  next: number[][];
  /** P(state → conversion) per transient state. */
  toConversion: number[];
  /** Mean value of a conversion reached from each transient state. */
  meanValue: number[];
  longest: number;
}

function buildChain(paths: readonly PathCount[]): Chain {
  const index = new Map<string, number>();
  const channels: string[] = [];
  for (const row of paths)
    for (const channel of row.path)
      if (!index.has(channel)) {
        channels.push(channel);
        index.set(channel, channels.length);
      }
  const size = channels.length + 1;
  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const conv = new Array<number>(size).fill(0);
  const out = new Array<number>(size).fill(0);
  const valueSum = new Array<number>(size).fill(0);
  let longest = 0;
  // Walks the paths in place with repeats collapsed (a > a > b is start→a→b): at 300,000 journeys allocating a
  // collapsed copy of each path cost more in garbage collection than the chain itself.
  for (const row of paths) {
    if (row.path.length === 0) continue;
    const journeys = row.conversions + row.nulls;
    let from = 0;
    let states = 0;
    for (const channel of row.path) {
      const to = index.get(channel)!;
      if (to === from) continue;
      counts[from][to] += journeys;
      out[from] += journeys;
      from = to;
      states += 1;
    }
    longest = Math.max(longest, states);
    conv[from] += row.conversions;
    valueSum[from] += row.value;
    out[from] += journeys;
  }
  const next = counts.map((row, from) => row.map((count) => (out[from] > 0 ? count / out[from] : 0)));
  const toConversion = conv.map((count, from) => (out[from] > 0 ? count / out[from] : 0));
  const meanValue = conv.map((count, from) => (count > 0 ? valueSum[from] / count : 0));
  return { channels, next, toConversion, meanValue, longest };
}

/** Expected visits of each transient state from start within `maxSteps` channel visits (null: unbounded), `removed` state made unreachable. */
function expectedVisits(chain: Chain, removed: number | null, maxSteps: number | null): number[] {
  const size = chain.next.length;
  const step = (from: number, to: number) => (to === removed ? 0 : chain.next[from][to]);
  if (maxSteps !== null) {
    const visits = new Array<number>(size).fill(0);
    let at = new Array<number>(size).fill(0);
    at[0] = 1;
    for (let visited = 0; visited <= maxSteps; visited++) {
      for (let state = 0; state < size; state++) visits[state] += at[state];
      const moved = new Array<number>(size).fill(0);
      for (let from = 0; from < size; from++) if (at[from] !== 0) for (let to = 1; to < size; to++) moved[to] += at[from] * step(from, to);
      at = moved;
    }
    return visits;
  }
  // h (I − Q) = e_start, i.e. (I − Q)ᵀ hᵀ = e_start, by Gaussian elimination with partial pivoting.
  const matrix = Array.from({ length: size }, (_, row) => [
    ...Array.from({ length: size }, (_, col) => (row === col ? 1 : 0) - step(col, row)),
    row === 0 ? 1 : 0,
  ]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(matrix[row][col]) > Math.abs(matrix[pivot][col])) pivot = row;
    [matrix[col], matrix[pivot]] = [matrix[pivot], matrix[col]];
    for (let row = 0; row < size; row++) {
      if (row === col || matrix[row][col] === 0) continue;
      const factor = matrix[row][col] / matrix[col][col];
      for (let k = col; k <= size; k++) matrix[row][k] -= factor * matrix[col][k];
    }
  }
  return matrix.map((row, i) => row[size] / row[i]);
}

/** P(conversion) and the expected converted value of a walk from start. */
function outcome(chain: Chain, removed: number | null, maxSteps: number | null): { conversion: number; value: number } {
  const visits = expectedVisits(chain, removed, maxSteps);
  let conversion = 0;
  let value = 0;
  for (let state = 0; state < visits.length; state++) {
    if (state === removed) continue;
    conversion += visits[state] * chain.toConversion[state];
    value += visits[state] * chain.toConversion[state] * chain.meanValue[state];
  }
  return { conversion, value };
}

const shareOf = (part: number, whole: number, total: number) => (whole > 0 ? (total * part) / whole : 0);

/** Credit per channel by removal effect over every journey (converting or not), exact. */
export function markovModel(paths: readonly PathCount[], options: MarkovOptions = {}): MarkovResult {
  const chain = buildChain(paths);
  const maxSteps = options.maxSteps === undefined ? chain.longest + 1 : options.maxSteps;
  const conversions = paths.reduce((sum, row) => sum + row.conversions, 0);
  const value = paths.reduce((sum, row) => sum + row.value, 0);
  const base = outcome(chain, null, maxSteps);
  const effects = chain.channels.map((_, i) => {
    const without = outcome(chain, i + 1, maxSteps);
    return {
      conversion: base.conversion > 0 ? 1 - without.conversion / base.conversion : 0,
      value: base.value > 0 ? 1 - without.value / base.value : 0,
    };
  });
  const sumConversion = effects.reduce((sum, effect) => sum + effect.conversion, 0);
  const sumValue = effects.reduce((sum, effect) => sum + effect.value, 0);
  return {
    channels: chain.channels.map((channel, i) => ({
      channel,
      conversions: shareOf(effects[i].conversion, sumConversion, conversions),
      value: shareOf(effects[i].value, sumValue, value),
      removalEffect: effects[i].conversion,
      removalEffectValue: effects[i].value,
    })),
    conversions,
    value,
    maxSteps,
  };
}

export interface HeuristicCredit {
  first_touch_conversions: number;
  first_touch_value: number;
  last_touch_conversions: number;
  last_touch_value: number;
  linear_touch_conversions: number;
  linear_touch_value: number;
}

/** ChannelAttribution's heuristic_models: first, last and linear touch over the paths as given (repeats count in linear). */
export function heuristicModels(paths: readonly PathCount[]): Map<string, HeuristicCredit> {
  const credits = new Map<string, HeuristicCredit>();
  const of = (channel: string) => {
    let credit = credits.get(channel);
    if (!credit) {
      credit = {
        first_touch_conversions: 0,
        first_touch_value: 0,
        last_touch_conversions: 0,
        last_touch_value: 0,
        linear_touch_conversions: 0,
        linear_touch_value: 0,
      };
      credits.set(channel, credit);
    }
    return credit;
  };
  for (const { path, conversions, value } of paths) {
    if (path.length === 0) continue;
    for (const channel of path) {
      const credit = of(channel);
      credit.linear_touch_conversions += conversions / path.length;
      credit.linear_touch_value += value / path.length;
    }
    of(path[0]).first_touch_conversions += conversions;
    of(path[0]).first_touch_value += value;
    of(path[path.length - 1]).last_touch_conversions += conversions;
    of(path[path.length - 1]).last_touch_value += value;
  }
  return credits;
}
