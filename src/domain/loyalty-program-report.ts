/** The loyalty-program report's arithmetic, pure: point flow totals, the liability per day, shares, tier order. */
import { toCents, toMillionths } from './currency';
import { utcDays } from '../lib/time';

export const POINT_FLOWS = ['earned', 'pending', 'spent', 'expired', 'reversed'] as const;
export type PointFlows = Record<(typeof POINT_FLOWS)[number], number>;

/** The flows of `rows` added up. */
export function sumFlows(rows: readonly PointFlows[]): PointFlows {
  const total: PointFlows = { earned: 0, pending: 0, spent: 0, expired: 0, reversed: 0 };
  for (const row of rows) for (const flow of POINT_FLOWS) total[flow] += row[flow];
  return total;
}

/** `part` of `whole`, to six decimals; 0 when there is no whole. */
export const shareOf = (part: number, whole: number): number => (whole > 0 ? toMillionths(part / whole) : 0);

export interface LiabilityDay {
  day: string;
  /** Available points of all members at the end of the day. */
  balance: number;
  pending: number;
  debt: number;
  /** balance × point value, in the program's currency, to the cent. */
  value: number;
}

/**
 * The outstanding points at the end of each day of [from, to] from the ledger's sums per day (`day` ''
 * holding everything before `from`): running totals of balance, pending and debt, the balance valued.
 */
export function liabilityByDay(
  sums: ReadonlyArray<{ day: string; points: number; pending: number; debt: number }>,
  from: string,
  to: string,
  pointValue: number,
): LiabilityDay[] {
  const byDay = new Map(sums.map((sum) => [sum.day, sum]));
  const running = { points: 0, pending: 0, debt: 0, ...byDay.get('') };
  return utcDays(from, to).map((day) => {
    const sum = byDay.get(day);
    if (sum) {
      running.points += sum.points;
      running.pending += sum.pending;
      running.debt += sum.debt;
    }
    return { day, balance: running.points, pending: running.pending, debt: running.debt, value: toCents(running.points * pointValue) };
  });
}

/**
 * Members per tier: the program's tiers in its order (lowest threshold first, those without members too),
 * then tiers members still hold that the program no longer has, then `none` for members without a tier.
 */
export function tierRows(counts: ReadonlyArray<{ tier: string | null; members: number }>, programTiers: readonly string[]) {
  const total = counts.reduce((sum, row) => sum + row.members, 0);
  const count = (tier: string | null) => counts.find((row) => row.tier === tier)?.members ?? 0;
  const stale = counts
    .map((row) => row.tier)
    .filter((tier): tier is string => tier !== null && !programTiers.includes(tier))
    .sort();
  const rows = [...programTiers, ...stale].map((tier) => ({ tier, members: count(tier) }));
  if (count(null) > 0) rows.push({ tier: 'none', members: count(null) });
  return rows.map((row) => ({ ...row, share: shareOf(row.members, total) }));
}

/** The report's tables, as `?table=` names them for CSV; the first is the default. */
export const PROGRAM_REPORT_TABLES = [
  'members_vs_non_members',
  'points_by_source',
  'points_by_channel',
  'liability',
  'rewards',
  'engagement',
  'tiers',
  'members',
] as const;
export type ProgramReportTable = (typeof PROGRAM_REPORT_TABLES)[number];
