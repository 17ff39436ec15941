/** `/loyalty`: the bonus program report — the API's tables (GET /api/v1/reports/loyalty-program), each with its CSV. */
import type { Child } from 'hono/jsx';
import type { ProgramReportTable } from '../../domain/loyalty-program-report';
import type { LoyaltyProgramReport } from '../../services/loyalty-program-report';
import type { FieldErrors } from '../forms';
import { fill, type Texts } from '../i18n';
import { LoyaltyTabs } from './loyalty-tabs';
import { Layout } from '../layout';
import { hrefWith, type RangePreset } from '../ranges';
import { vocabName } from '../texts/index';
import { Cell, type Column, DataTable, KeyCell, type PageView } from './parts';
import { RangePicker } from './range-picker';

export interface LoyaltyView extends PageView {
  params: Record<string, string | undefined>;
  preset: RangePreset | undefined;
  errors: FieldErrors;
  report: LoyaltyProgramReport;
}

/** A card with one of the report's tables and the link to its CSV. */
function TableCard(props: { id: string; title: string; t: Texts; csv: string; note?: Child; children?: Child }) {
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.note && <p class="muted">{props.note}</p>}
      {props.children}
      <p>
        <a href={props.csv} aria-label={fill(props.t.lpCsvOf, { name: props.title })} data-csv={props.id}>
          {props.t.lpCsv}
        </a>
      </p>
    </section>
  );
}

const nameOf = (t: Texts, key: string) => (t as Record<string, string>)[key] ?? key.split('_').slice(1).join('_');

export function LoyaltyPage(view: LoyaltyView) {
  const { t, fmt, report } = view;
  const csv = (table: ProgramReportTable) => hrefWith('/reports/data/loyalty-program', { from: report.from, to: report.to }, { format: 'csv', table });
  const money = (value: number, currency: string | null) => fmt.money(value, currency);
  const flowColumns: Column[] = [t.lpEarned, t.lpPending, t.lpSpent, t.lpExpired, t.lpReversed].map((label) => ({ label, num: true }));
  const flowCells = (row: { earned: number; pending: number; spent: number; expired: number; reversed: number }) => (
    <>
      <Cell num label={t.lpEarned}>
        {fmt.num(row.earned)}
      </Cell>
      <Cell num label={t.lpPending}>
        {fmt.num(row.pending)}
      </Cell>
      <Cell num label={t.lpSpent}>
        {fmt.num(row.spent)}
      </Cell>
      <Cell num label={t.lpExpired}>
        {fmt.num(row.expired)}
      </Cell>
      <Cell num label={t.lpReversed}>
        {fmt.num(row.reversed)}
      </Cell>
    </>
  );
  const channelName = (channel: string) => vocabName(t, 'channel', channel);
  const members = report.members;
  return (
    <Layout lang={view.lang} t={t} title={t.lpTitle} path="/loyalty" csrf={view.csrf} admin={view.admin}>
      <h1>{t.lpTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty" admin={view.admin} />
      <p class="muted">{t.lpIntro}</p>
      <section class="card filters-card">
        <RangePicker t={t} path="/loyalty" params={view.params} from={report.from} to={report.to} preset={view.preset} errors={view.errors} />
      </section>
      {report.program === null && <p class="empty">{t.lpNoProgram}</p>}
      <ul class="kpis" aria-label={t.lpMembers}>
        {(
          [
            ['total', t.lpMembersTotal, members.total],
            ['joined', t.lpJoined, members.joined],
            ['active_30d', t.lpActive30, members.active_30d],
            ['active_90d', t.lpActive90, members.active_90d],
          ] as const
        ).map(([key, label, value]) => (
          <li class="kpi" data-kpi={key}>
            <span class="kpi-label">{label}</span>
            <strong class="kpi-value">{fmt.num(value)}</strong>
          </li>
        ))}
      </ul>
      <TableCard
        id="lp-comparison"
        title={t.lpComparison}
        t={t}
        csv={csv('members_vs_non_members')}
        note={fill(t.lpComparisonNote, { currency: report.currency })}
      >
        <DataTable
          class="cards"
          rows={report.members_vs_non_members.rows}
          empty={t.noData}
          columns={[
            { label: t.channel },
            { label: t.lpGroup },
            { label: t.customers, num: true },
            { label: t.repeatRate, num: true },
            { label: t.lpOrdersPerCustomer, num: true },
            { label: t.revenuePerCustomer, num: true },
          ]}
          row={(row) => (
            <tr data-row={`${row.channel} ${row.group}`}>
              <KeyCell>{channelName(row.channel)}</KeyCell>
              <Cell label={t.lpGroup}>{nameOf(t, `lpGroup_${row.group}`)}</Cell>
              <Cell num label={t.customers}>
                {fmt.num(row.customers)}
              </Cell>
              <Cell num label={t.repeatRate}>
                {fmt.pct(row.repeat_rate)}
              </Cell>
              <Cell num label={t.lpOrdersPerCustomer}>
                {fmt.num(row.orders_per_customer)}
              </Cell>
              <Cell num label={t.revenuePerCustomer}>
                {money(row.revenue_per_customer, row.currency)}
              </Cell>
            </tr>
          )}
        />
      </TableCard>
      <TableCard id="lp-sources" title={t.lpPointsBySource} t={t} csv={csv('points_by_source')}>
        <DataTable
          class="cards"
          rows={report.points.by_source.rows}
          empty={t.noData}
          columns={[{ label: t.lpSource }, ...flowColumns]}
          row={(row) => (
            <tr data-row={row.source}>
              <KeyCell>{nameOf(t, `source_${row.source}`)}</KeyCell>
              {flowCells(row)}
            </tr>
          )}
        />
      </TableCard>
      <TableCard id="lp-channels" title={t.lpPointsByChannel} t={t} csv={csv('points_by_channel')}>
        <DataTable
          class="cards"
          rows={report.points.by_channel.rows}
          empty={t.noData}
          columns={[{ label: t.channel }, { label: t.lpMembersTotal, num: true }, ...flowColumns]}
          row={(row) => (
            <tr data-row={row.channel}>
              <KeyCell>{channelName(row.channel)}</KeyCell>
              <Cell num label={t.lpMembersTotal}>
                {fmt.num(row.members)}
              </Cell>
              {flowCells(row)}
            </tr>
          )}
        />
      </TableCard>
      <TableCard
        id="lp-liability"
        title={t.lpLiability}
        t={t}
        csv={csv('liability')}
        note={report.program ? fill(t.lpLiabilityNote, { value: money(report.program.point_value, report.program.currency) }) : undefined}
      >
        <DataTable
          class="cards"
          rows={report.program ? report.liability.rows : []}
          empty={t.noData}
          columns={[
            { label: t.lpDay },
            { label: t.lpBalance, num: true },
            { label: t.lpPending, num: true },
            { label: t.lpDebt, num: true },
            { label: t.lpValue, num: true },
          ]}
          row={(row) => (
            <tr data-row={row.day}>
              <KeyCell>{fmt.day(row.day)}</KeyCell>
              <Cell num label={t.lpBalance}>
                {fmt.num(row.balance)}
              </Cell>
              <Cell num label={t.lpPending}>
                {fmt.num(row.pending)}
              </Cell>
              <Cell num label={t.lpDebt}>
                {fmt.num(row.debt)}
              </Cell>
              <Cell num label={t.lpValue}>
                {money(row.value, row.currency)}
              </Cell>
            </tr>
          )}
        />
      </TableCard>
      <TableCard id="lp-rewards" title={t.lpRewards} t={t} csv={csv('rewards')}>
        <DataTable
          class="cards"
          rows={report.rewards.rows}
          empty={t.noData}
          columns={[{ label: t.lpReward }, { label: t.redemptions, num: true }, { label: t.lpMembersTotal, num: true }, { label: t.lpPoints, num: true }]}
          row={(row) => (
            <tr data-row={row.reward_id}>
              <KeyCell>{row.name}</KeyCell>
              <Cell num label={t.redemptions}>
                {fmt.num(row.redemptions)}
              </Cell>
              <Cell num label={t.lpMembersTotal}>
                {fmt.num(row.members)}
              </Cell>
              <Cell num label={t.lpPoints}>
                {fmt.num(row.points)}
              </Cell>
            </tr>
          )}
        />
      </TableCard>
      <div class="top-grid">
        <TableCard id="lp-engagement" title={t.lpEngagement} t={t} csv={csv('engagement')} note={t.lpEngagementNote}>
          <DataTable
            class="cards"
            rows={members.total > 0 ? report.engagement.rows : []}
            empty={t.noData}
            columns={[{ label: t.lpActivity }, { label: t.lpMembersTotal, num: true }, { label: t.lpShareOfMembers, num: true }]}
            row={(row) => (
              <tr data-row={row.activity}>
                <KeyCell>{nameOf(t, `lpActivity_${row.activity}`)}</KeyCell>
                <Cell num label={t.lpMembersTotal}>
                  {fmt.num(row.members)}
                </Cell>
                <Cell num label={t.lpShareOfMembers}>
                  {fmt.pct(row.share)}
                </Cell>
              </tr>
            )}
          />
        </TableCard>
        <TableCard id="lp-tiers" title={t.lpTiers} t={t} csv={csv('tiers')}>
          <DataTable
            class="cards"
            rows={report.tiers.rows}
            empty={t.noData}
            columns={[{ label: t.lpTier }, { label: t.lpMembersTotal, num: true }, { label: t.lpShareOfMembers, num: true }]}
            row={(row) => (
              <tr data-row={row.tier}>
                <KeyCell>{row.tier === 'none' ? t.lpTierNone : row.tier}</KeyCell>
                <Cell num label={t.lpMembersTotal}>
                  {fmt.num(row.members)}
                </Cell>
                <Cell num label={t.lpShareOfMembers}>
                  {fmt.pct(row.share)}
                </Cell>
              </tr>
            )}
          />
        </TableCard>
      </div>
    </Layout>
  );
}
