/**
 * `model=markov` in reports (docs/DESIGN.md "Data-driven model"). The chain is fitted at read time over every
 * journey of the range, converting or not: each conversion of the range with a candidate touch is a converting
 * journey (its candidate path, its net value in the reporting currency at its day's rate), and each visitor whose
 * human touches in the range form a path no conversion took as often is a journey that ended in (null). A report's
 * cells then follow the linear model's credits (the same candidates, so every dimension — campaign, link, device,
 * day, currency — keeps its share), scaled per channel so that each channel's total is its Markov credit.
 * Conversions without a candidate touch stay with `direct`, as under every model.
 */
import type { Db } from '../db/client';
import { PATH_SEPARATOR } from '../db/journeys';
import type { CreditCell, Dim } from '../db/report-dims';
import { rateOn, toCents, toMillionths, type RateBook } from '../domain/currency';
import { heuristicModels, markovModel, type MarkovStatus, type PathCount } from '../domain/markov';
import { ATTRIBUTED_CHANNELS } from '../domain/vocab';
import type { ArchiveReader } from './archive-reads';
import { conversionJourneys, visitorPaths } from './journeys';

export interface MarkovChannelSummary {
  channel: string;
  removal_effect: number;
  removal_effect_value: number;
  conversions: number;
  revenue: number;
}

/** What a report under `model=markov` says about the chain it was computed from. */
export interface MarkovSummary {
  status: MarkovStatus;
  /** When a report first asked for this range's fit (large ranges, fitted by the cron); null: never requested. */
  requested_at: string | null;
  /** Journeys in the chain: converting (conversions with a candidate touch) and ending in null; null while computing. */
  journeys: number | null;
  converting_journeys: number | null;
  /** Channel visits a walk may take (the longest path + 1, as ChannelAttribution simulates). */
  max_steps: number | null;
  /** When the cron fitted the chain (a report of its range reads that fit); null: fitted for this report, at read time. */
  computed_at: string | null;
  channels: MarkovChannelSummary[];
}

export interface MarkovFit {
  summary: MarkovSummary;
  /** Per channel: Markov credit ÷ linear credit over the same conversions, for conversions and for revenue. */
  factors: Map<string, { conversions: number; revenue: number }>;
}

/** The journeys of [from, to] (hot and, with `archive`, archived) as aggregated paths, their values in the book's currency (no rate: no value). */
export async function journeyPaths(db: Db, archive: ArchiveReader | null, from: string, to: string, book: RateBook): Promise<PathCount[]> {
  const [converting, visitors] = await Promise.all([conversionJourneys(db, archive, from, to), visitorPaths(db, archive, from, to)]);
  const byPath = new Map<string, PathCount>();
  const of = (path: string) => {
    let row = byPath.get(path);
    // Stored paths are channel names joined by the separator, nothing else (no blanks to trim): a split is the parse.
    if (!row) byPath.set(path, (row = { path: path.split(PATH_SEPARATOR), conversions: 0, value: 0, nulls: 0 }));
    return row;
  };
  for (const row of converting) {
    const rate = row.currency ? rateOn(book, row.currency, row.day) : null;
    const path = of(row.path);
    path.conversions += row.conversions;
    path.value += rate === null ? 0 : row.value * rate;
  }
  for (const row of visitors) {
    const path = of(row.path);
    path.nulls += Math.max(0, row.visitors - path.conversions);
  }
  return [...byPath.values()];
}

const CHANNEL_ORDER: readonly string[] = ATTRIBUTED_CHANNELS;
const rank = (channel: string) => CHANNEL_ORDER.indexOf(channel);

/** Fits the chain over the journeys of the range (every campaign: the model is the range's, a filter narrows its cells). */
export async function fitMarkov(db: Db, range: { from: string; to: string }, book: RateBook, archive: ArchiveReader | null): Promise<MarkovFit> {
  const paths = await journeyPaths(db, archive, range.from, range.to, book);
  const result = markovModel(paths);
  const linear = heuristicModels(paths);
  const factors = new Map<string, { conversions: number; revenue: number }>();
  for (const channel of result.channels) {
    const base = linear.get(channel.channel)!;
    const conversions = base.linear_touch_conversions > 0 ? channel.conversions / base.linear_touch_conversions : 0;
    factors.set(channel.channel, { conversions, revenue: base.linear_touch_value > 0 ? channel.value / base.linear_touch_value : conversions });
  }
  const converting = paths.reduce((sum, row) => sum + row.conversions, 0);
  return {
    factors,
    summary: {
      status: 'fitted',
      requested_at: null,
      journeys: converting + paths.reduce((sum, row) => sum + row.nulls, 0),
      converting_journeys: converting,
      max_steps: result.maxSteps,
      computed_at: null,
      // Channels in the reports' order (the chain numbers them as first seen, which differs with the shard layout).
      channels: [...result.channels]
        .sort((a, b) => rank(a.channel) - rank(b.channel))
        .map((row) => ({
          channel: row.channel,
          removal_effect: toMillionths(row.removalEffect),
          removal_effect_value: toMillionths(row.removalEffectValue),
          conversions: toMillionths(row.conversions),
          revenue: toCents(row.value),
        })),
    },
  };
}

/** `dims` with channel added: linear cells must be split by channel to be scaled. */
export const withChannel = (dims: readonly Dim[]): Dim[] => (dims.includes('channel') ? [...dims] : [...dims, 'channel']);

/** Linear credit cells (read with `withChannel(dims)`) scaled to the Markov credit of their channel, grouped by `dims` again. */
export function scaleToMarkov(linear: readonly CreditCell[], fit: MarkovFit, dims: readonly Dim[]): CreditCell[] {
  return linear.map((cell) => {
    const factor = fit.factors.get(cell.dims.channel ?? '') ?? { conversions: 1, revenue: 1 };
    const kept = Object.fromEntries(dims.map((dim) => [dim, cell.dims[dim] ?? null]));
    return { ...cell, dims: kept, conversions: cell.conversions * factor.conversions, revenue: cell.revenue * factor.revenue };
  });
}

/** The stand-in while a range's fit is being computed: every channel keeps its linear credit (factor 1). */
export function pendingMarkovFit(requestedAt: string): MarkovFit {
  return {
    factors: new Map(ATTRIBUTED_CHANNELS.map((channel) => [channel, { conversions: 1, revenue: 1 }])),
    summary: { status: 'computing', requested_at: requestedAt, journeys: null, converting_journeys: null, max_steps: null, computed_at: null, channels: [] },
  };
}
