/**
 * Multi-touch attribution (docs/DESIGN.md "Attribution"): which touches are
 * candidates of a conversion, and the weight each model gives each of them.
 * Pure functions; every time is passed in as epoch milliseconds.
 */
import { ATTRIBUTION_MODELS, DIRECT, type AttributedChannel, type AttributionModel, type Channel, type DeviceClass } from './vocab';

export const DAY_MS = 86_400_000;
export const DEFAULT_LOOKBACK_DAYS = 30;
export const MIN_LOOKBACK_DAYS = 1;
export const MAX_LOOKBACK_DAYS = 365;
/** Time-decay half-life: a touch 7 days before the conversion counts half as much as one at the conversion. */
export const HALF_LIFE_MS = 7 * DAY_MS;

/** A touch as attribution sees it. */
export interface AttributionTouch {
  id: string;
  occurredAt: number;
  channel: Channel;
  campaignId: string | null;
  linkId: string | null;
  deviceClass: DeviceClass | null;
  isBot: boolean;
  /** The rule, variant and cap mark of a routed link's touch (schema/0027); absent or null: a plain touch. */
  route?: TouchRoute | null;
}

/** Which rule a touch matched, which variant it got, whether it came after the cap (at least one of them set). */
export interface TouchRoute {
  rule: string | null;
  variant: string | null;
  afterCap: boolean;
}

/** One credit: a share of one conversion given to a touch (or to `direct` when touchId is null). */
export interface Credit {
  position: number;
  touchId: string | null;
  touchAt: number | null;
  channel: AttributedChannel;
  campaignId: string | null;
  linkId: string | null;
  deviceClass: DeviceClass | null;
  /** The credited touch's route (credits of routed touches are rolled up by rule and variant: schema/0033). */
  route?: TouchRoute | null;
  weight: number;
  /** value × weight; null for a conversion without a value. */
  revenue: number | null;
}

/** Start of the lookback window [T − window, T]. */
export const lookbackStart = (conversionAt: number, lookbackDays: number): number => conversionAt - lookbackDays * DAY_MS;

/**
 * The candidate touches of a conversion at `conversionAt`: humans only, inside
 * [T − lookback, T] (both ends inclusive), each touch once, ordered by time (then id).
 */
export function selectCandidates<T extends AttributionTouch>(touches: readonly T[], conversionAt: number, lookbackDays: number): T[] {
  const from = lookbackStart(conversionAt, lookbackDays);
  const seen = new Set<string>();
  const candidates: T[] = [];
  for (const touch of touches) {
    if (touch.isBot || touch.occurredAt < from || touch.occurredAt > conversionAt || seen.has(touch.id)) continue;
    seen.add(touch.id);
    candidates.push(touch);
  }
  return candidates.sort((a, b) => a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Weights of `model` over touches at `times` (ascending); they sum to 1. Empty for no touches. */
export function modelWeights(model: AttributionModel, times: readonly number[], conversionAt: number): number[] {
  const n = times.length;
  if (n === 0) return [];
  const weights = new Array<number>(n).fill(0);
  switch (model) {
    case 'last_touch':
      weights[n - 1] = 1;
      return weights;
    case 'first_touch':
      weights[0] = 1;
      return weights;
    case 'linear':
      return weights.fill(1 / n);
    case 'time_decay': {
      const raw = times.map((t) => 2 ** (-(conversionAt - t) / HALF_LIFE_MS));
      const total = raw.reduce((sum, w) => sum + w, 0);
      return raw.map((w) => w / total);
    }
    case 'position': {
      if (n === 1) return [1];
      if (n === 2) return [0.5, 0.5];
      weights.fill(0.2 / (n - 2));
      weights[0] = 0.4;
      weights[n - 1] = 0.4;
      return weights;
    }
  }
}

/** Credits of one conversion under one model; candidates must come from selectCandidates. */
export function attribute(model: AttributionModel, candidates: readonly AttributionTouch[], conversionAt: number, value: number | null): Credit[] {
  if (candidates.length === 0) {
    return [{ position: 0, touchId: null, touchAt: null, channel: DIRECT, campaignId: null, linkId: null, deviceClass: null, weight: 1, revenue: value }];
  }
  const weights = modelWeights(
    model,
    candidates.map((touch) => touch.occurredAt),
    conversionAt,
  );
  return candidates.map((touch, position) => ({
    position,
    touchId: touch.id,
    touchAt: touch.occurredAt,
    channel: touch.channel,
    campaignId: touch.campaignId,
    linkId: touch.linkId,
    deviceClass: touch.deviceClass,
    route: touch.route ?? null,
    weight: weights[position],
    revenue: value === null ? null : value * weights[position],
  }));
}

/** Credits under every model, keyed by model. */
export function attributeAll(candidates: readonly AttributionTouch[], conversionAt: number, value: number | null): Record<AttributionModel, Credit[]> {
  const result = {} as Record<AttributionModel, Credit[]>;
  for (const model of ATTRIBUTION_MODELS) result[model] = attribute(model, candidates, conversionAt, value);
  return result;
}
