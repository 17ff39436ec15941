/**
 * The loyalty-program report (the analyst's view): members, point flows by source and acquisition channel,
 * the outstanding liability per day, redemptions per reward, engagement, tiers, and members against
 * non-members per acquisition channel. Every table is `{rows, totals}` so JSON and CSV show the same numbers.
 */
import type { Db } from '../db/client';
import { findCustomerSales, nextDayIso } from '../db/loyalty';
import { programReportRows } from '../db/loyalty-program-report';
import { DAY_MS } from '../domain/attribution';
import { missingRates, type UnconvertedPart } from '../domain/currency';
import { loyaltyRows, type LoyaltyRow } from '../domain/loyalty';
import { liabilityByDay, shareOf, sumFlows, tierRows, type LiabilityDay, type PointFlows } from '../domain/loyalty-program-report';
import { loadRateBook } from './exchange-rates';
import { convertSales, customersOf, EMPTY_LOYALTY, unconvertedBy, type ConvertedSale } from './loyalty';

export const MEMBER_GROUPS = ['members', 'non_members'] as const;
export type MemberGroup = (typeof MEMBER_GROUPS)[number];

type Comparison = Omit<LoyaltyRow, 'channel'> & { group: MemberGroup; currency: string; unconverted: UnconvertedPart[] };
export type ComparisonRow = Comparison & { channel: string };

export interface Table<Row, Totals> {
  rows: Row[];
  totals: Totals;
}

export interface LoyaltyProgramReport {
  from: string;
  to: string;
  currency: string;
  missing_rates: string[];
  program: { name: string; points_name: string; point_value: number; currency: string } | null;
  members: { total: number; joined: number; active_30d: number; active_90d: number };
  points: {
    by_source: Table<PointFlows & { source: string }, PointFlows>;
    by_channel: Table<PointFlows & { channel: string; members: number }, PointFlows & { members: number }>;
  };
  liability: Table<LiabilityDay & { currency: string | null }, null>;
  rewards: Table<
    { reward_id: string; name: string; kind: string; redemptions: number; members: number; points: number },
    { redemptions: number; points: number }
  >;
  engagement: Table<{ activity: string; members: number; share: number }, null>;
  tiers: Table<{ tier: string; members: number; share: number }, { members: number; share: number }>;
  members_vs_non_members: Table<ComparisonRow, Comparison[]>;
}

/** Far enough ahead for every sale made since a range. */
const END_OF_TIME = '9999-12-31';

function flows<T extends PointFlows>(row: T): PointFlows {
  return { earned: row.earned, pending: row.pending, spent: row.spent, expired: row.expired, reversed: row.reversed };
}

/**
 * Customers acquired in the range (the loyalty report's cohort: every sale since, in the reporting
 * currency) per acquisition channel, members and non-members side by side; membership is as of now.
 */
function membersAgainstNonMembers(sales: readonly ConvertedSale[], currency: string): Table<ComparisonRow, Comparison[]> {
  const channels = loyaltyRows([...customersOf(sales).values()]).map((row) => row.channel);
  const groupOf = (sale: ConvertedSale): MemberGroup => (sale.member ? 'members' : 'non_members');
  const rows: ComparisonRow[] = [];
  const totals: Comparison[] = [];
  for (const group of MEMBER_GROUPS) {
    const groupSales = sales.filter((sale) => groupOf(sale) === group);
    const customers = [...customersOf(groupSales).values()];
    const unconverted = unconvertedBy(groupSales, (sale) => sale.channel);
    const byChannel = new Map(loyaltyRows(customers).map((row) => [row.channel, row]));
    for (const channel of channels)
      rows.push({ ...EMPTY_LOYALTY, ...byChannel.get(channel), channel, group, currency, unconverted: unconverted.get(channel) ?? [] });
    const [all] = loyaltyRows(customers.map((customer) => ({ ...customer, channel: '' })));
    const { channel: _, ...sums } = all ?? { ...EMPTY_LOYALTY, channel: '' };
    totals.push({ ...sums, group, currency, unconverted: unconvertedBy(groupSales, () => '').get('') ?? [] });
  }
  const order = (row: ComparisonRow) => channels.indexOf(row.channel) * MEMBER_GROUPS.length + MEMBER_GROUPS.indexOf(row.group);
  return { rows: rows.sort((a, b) => order(a) - order(b)), totals };
}

/** The report for the UTC days [from, to]. */
export async function loyaltyProgramReport(db: Db, range: { from: string; to: string }): Promise<LoyaltyProgramReport> {
  const end = nextDayIso(range.to);
  const before = (days: number) => new Date(Date.parse(end) - days * DAY_MS).toISOString();
  const [data, raw, book] = await Promise.all([
    programReportRows(db, range.from, range.to, end, before(30), before(90)),
    findCustomerSales(db, { acquiredFrom: `${range.from}T00:00:00.000Z`, acquiredTo: end, salesFrom: '', salesTo: '9999' }),
    loadRateBook(db, range.from, END_OF_TIME),
  ]);
  const program = data.program;
  const programTiers = program ? (JSON.parse(program.tiers) as Array<{ name: string; min_points_12m: number }>) : [];
  programTiers.sort((a, b) => a.min_points_12m - b.min_points_12m);
  const comparison = membersAgainstNonMembers(convertSales(book, raw), book.base);
  const tiers = tierRows(
    data.tiers,
    programTiers.map((tier) => tier.name),
  );
  const engagement = (['review', 'survey', 'referral', 'any'] as const).map((activity) => ({
    activity,
    members: data.engagement[activity],
    share: shareOf(data.engagement[activity], data.members.total),
  }));
  return {
    from: range.from,
    to: range.to,
    currency: book.base,
    missing_rates: missingRates([...comparison.totals.map((row) => row.unconverted)]),
    program: program ? { name: program.name, points_name: program.points_name, point_value: program.point_value, currency: program.currency } : null,
    members: data.members,
    points: {
      by_source: { rows: data.bySource.map((row) => ({ source: row.source, ...flows(row) })), totals: sumFlows(data.bySource) },
      by_channel: {
        rows: data.byChannel.map((row) => ({ channel: row.channel, members: row.members, ...flows(row) })),
        totals: { members: data.byChannel.reduce((sum, row) => sum + row.members, 0), ...sumFlows(data.byChannel) },
      },
    },
    liability: {
      rows: liabilityByDay(data.days, range.from, range.to, program?.point_value ?? 0).map((day) => ({ ...day, currency: program?.currency ?? null })),
      totals: null,
    },
    rewards: {
      rows: data.rewards,
      totals: { redemptions: data.rewards.reduce((sum, row) => sum + row.redemptions, 0), points: data.rewards.reduce((sum, row) => sum + row.points, 0) },
    },
    engagement: { rows: engagement, totals: null },
    tiers: { rows: tiers, totals: { members: tiers.reduce((sum, row) => sum + row.members, 0), share: data.members.total > 0 ? 1 : 0 } },
    members_vs_non_members: comparison,
  };
}
