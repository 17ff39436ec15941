/**
 * The bonus program's settings and its tiers, pure. A member's tier is the highest whose threshold their
 * points of the last 12 months reach (the current calendar month and the eleven before it, UTC).
 */
import type { EnrollmentMode } from './vocab';

export interface Tier {
  name: string;
  /** Points earned in the last 12 months that reach this tier. */
  minPoints12m: number;
  /** Earned points are multiplied by this (≥ 1) and rounded down. */
  multiplier: number;
}

export interface Program {
  name: string;
  pointsName: string;
  /** What one point is worth, in `currency`. */
  pointValue: number;
  currency: string;
  /** Days purchase points stay pending (the return window); 0: available at once. */
  pendingDays: number;
  /** Days points stay usable after they became available; null: they never expire. */
  expiryDays: number | null;
  /** Ascending by threshold. */
  tiers: Tier[];
  enrollment: EnrollmentMode;
  /** The campaign whose tell-a-friend link a member's wallet shows. */
  referralCampaignId: string | null;
}

/** The tier `points12m` reaches, or null (no tiers, or below the first threshold). */
export function tierFor(tiers: readonly Tier[], points12m: number): Tier | null {
  let reached: Tier | null = null;
  for (const tier of tiers) if (points12m >= tier.minPoints12m) reached = tier;
  return reached;
}

export interface TierProgress {
  tier: Tier | null;
  /** The tier after the current one, null at the top (or with no tiers). */
  next: Tier | null;
  /** Points still needed to reach `next` (0 when there is none). */
  missing: number;
  /** How far from the current threshold to the next one, 0..1 (1 at the top). */
  share: number;
}

export function tierProgress(tiers: readonly Tier[], points12m: number): TierProgress {
  const tier = tierFor(tiers, points12m);
  const next = tiers.find((candidate) => candidate.minPoints12m > points12m) ?? null;
  if (!next) return { tier, next: null, missing: 0, share: 1 };
  const floor = tier?.minPoints12m ?? 0;
  return { tier, next, missing: next.minPoints12m - points12m, share: Math.max(0, Math.min(1, (points12m - floor) / (next.minPoints12m - floor))) };
}

/** The tier multiplier applied to earned points: 1 without a tier. */
export const multiplierOf = (tier: Tier | null): number => tier?.multiplier ?? 1;

/** The first month ('YYYY-MM') of the 12 that count for tiers at `nowMs`: this month and the eleven before. */
export function tierWindowStart(nowMs: number): string {
  const now = new Date(nowMs);
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return start.toISOString().slice(0, 7);
}

/** Parses the stored tiers JSON (written only by saveProgram, so trusted in shape). */
export function parseTiers(json: string): Tier[] {
  const raw = JSON.parse(json) as { name: string; min_points_12m: number; multiplier: number }[];
  return raw.map((tier) => ({ name: tier.name, minPoints12m: tier.min_points_12m, multiplier: tier.multiplier }));
}

export const tiersJson = (tiers: readonly Tier[]): string =>
  JSON.stringify(tiers.map((tier) => ({ name: tier.name, min_points_12m: tier.minPoints12m, multiplier: tier.multiplier })));
