/** The loyalty-program report as CSV: one table at a time, its rows, then its total line(s) where sums mean something. */
import type { ProgramReportTable } from '../domain/loyalty-program-report';
import type { LoyaltyProgramReport } from './loyalty-program-report';
import { LOYALTY_FIGURE_COLUMNS, LOYALTY_MONEY_COLUMNS } from './loyalty';
import { reportCsv } from './report-csv';

const FLOW_COLUMNS = ['earned', 'pending', 'spent', 'expired', 'reversed'];

/** Columns, rows, total lines (first column "total") and money columns of each table. */
function tableOf(report: LoyaltyProgramReport, table: ProgramReportTable): { columns: string[]; rows: object[]; totals: object[]; money: string[] } {
  switch (table) {
    case 'members_vs_non_members':
      return {
        columns: ['channel', 'group', ...LOYALTY_FIGURE_COLUMNS],
        rows: report.members_vs_non_members.rows,
        totals: report.members_vs_non_members.totals,
        money: LOYALTY_MONEY_COLUMNS,
      };
    case 'points_by_source':
      return { columns: ['source', ...FLOW_COLUMNS], rows: report.points.by_source.rows, totals: [report.points.by_source.totals], money: [] };
    case 'points_by_channel':
      return { columns: ['channel', 'members', ...FLOW_COLUMNS], rows: report.points.by_channel.rows, totals: [report.points.by_channel.totals], money: [] };
    case 'liability':
      return { columns: ['day', 'balance', 'pending', 'debt', 'value', 'currency'], rows: report.liability.rows, totals: [], money: ['value'] };
    case 'rewards':
      return {
        columns: ['reward_id', 'name', 'kind', 'redemptions', 'members', 'points'],
        rows: report.rewards.rows,
        totals: [report.rewards.totals],
        money: [],
      };
    case 'engagement':
      return { columns: ['activity', 'members', 'share'], rows: report.engagement.rows, totals: [], money: [] };
    case 'tiers':
      return { columns: ['tier', 'members', 'share'], rows: report.tiers.rows, totals: [report.tiers.totals], money: [] };
    case 'members':
      return { columns: ['total', 'joined', 'active_30d', 'active_90d'], rows: [report.members], totals: [], money: [] };
  }
}

/** One table of the report as CSV text. */
export function programReportCsv(report: LoyaltyProgramReport, table: ProgramReportTable): string {
  const { columns, rows, totals, money } = tableOf(report, table);
  return reportCsv(columns, [...rows, ...totals.map((total) => ({ ...total, [columns[0]]: 'total' }))], null, money);
}
