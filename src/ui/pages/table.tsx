/** A report table with a totals row, flags on revenue without an exchange rate, a CSV download link and an empty state. */
import type { UnconvertedPart } from '../../domain/currency';
import type { UnconvertedSpend } from '../../domain/spend';
import type { Formatters, Texts } from '../i18n';
import { vocabName } from '../texts/index';

export type Cell = string | number | boolean | null | undefined | UnconvertedPart[] | UnconvertedSpend[];
export interface Column {
  key: string;
  label: string;
  /** How cells show: numbers, rates and money for the locale; channels and device classes by their names. */
  /** `cost`: money without the revenue's unconverted parts (spend shows its own). */
  kind?: 'num' | 'pct' | 'money' | 'cost' | 'text' | 'channel' | 'device';
}

const numeric = (column: Column) => column.kind === 'num' || column.kind === 'pct' || column.kind === 'money' || column.kind === 'cost';

export function ReportTable(props: {
  id: string;
  title: string;
  t: Texts;
  fmt: Formatters;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  csv: string;
  empty: string;
  /** The rows added up, shown as the table's last row. */
  totals?: Record<string, Cell>;
  /** Currencies without a rate for some days: a notice links to the settings. */
  missingRates?: readonly string[];
}) {
  const { fmt, t } = props;
  const show = (column: Column, row: Record<string, Cell>) => {
    const value = row[column.key];
    if (column.kind === 'num') return fmt.num(value as number | null);
    if (column.kind === 'pct') return fmt.pct(value as number | null);
    if (column.kind === 'money') return value == null ? '–' : <Money row={row} value={Number(value)} t={t} fmt={fmt} />;
    if (column.kind === 'cost') return value == null ? '–' : <Cost row={row} column={column.key} value={Number(value)} t={t} fmt={fmt} />;
    if (column.kind === 'channel' || column.kind === 'device') return vocabName(t, column.kind, value == null ? null : String(value));
    return value == null || value === '' ? '–' : String(value);
  };
  const totals = props.totals;
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.missingRates && <MissingRatesNotice t={t} missing={props.missingRates} />}
      {props.rows.length === 0 ? (
        <p class="empty">{props.empty}</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-label={props.title}>
          <table>
            <thead>
              <tr>
                {props.columns.map((column) => (
                  <th scope="col" class={numeric(column) ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr class={unconvertedOf(row).length > 0 ? 'unconverted' : undefined}>
                  {props.columns.map((column) => (
                    <td class={numeric(column) ? 'num' : undefined} data-col={column.key}>
                      {show(column, row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            {totals && (
              <tfoot>
                <tr class="totals">
                  {props.columns.map((column, i) =>
                    i === 0 ? (
                      <th scope="row" data-col={column.key}>
                        {t.total}
                      </th>
                    ) : (
                      <td class={numeric(column) ? 'num' : undefined} data-col={column.key}>
                        {column.key in totals ? show(column, totals) : ''}
                      </td>
                    ),
                  )}
                </tr>
              </tfoot>
            )}
          </table>
        </section>
      )}
      <p class="actions">
        <a href={props.csv} download data-csv={props.id}>
          {props.t.downloadCsv}
        </a>
      </p>
    </section>
  );
}

const unconvertedOf = (row: Record<string, Cell>): UnconvertedPart[] => (Array.isArray(row.unconverted) ? (row.unconverted as UnconvertedPart[]) : []);

/** Revenue in the reporting currency, and below it each part that had no exchange rate ("+ 12,00 CHF not converted (no rate)"). */
function Money(props: { row: Record<string, Cell>; value: number; t: Texts; fmt: Formatters }) {
  const parts = unconvertedOf(props.row);
  const amount = props.fmt.money(props.value, (props.row.currency as string | null) ?? null);
  if (parts.length === 0) return <>{amount}</>;
  return (
    <>
      {amount}
      {parts.map((part) => (
        <span class="unconverted" data-currency={part.currency}>
          + {props.fmt.money(part.revenue, part.currency)} {props.t.notConverted}
        </span>
      ))}
    </>
  );
}

/** Spend in the reporting currency; the spend column lists below it what had no rate for its day. */
function Cost(props: { row: Record<string, Cell>; column: string; value: number; t: Texts; fmt: Formatters }) {
  const amount = props.fmt.money(props.value, (props.row.currency as string | null) ?? null);
  const parts = props.column === 'spend' && Array.isArray(props.row.spend_unconverted) ? (props.row.spend_unconverted as UnconvertedSpend[]) : [];
  return (
    <>
      {amount}
      {parts.map((part) => (
        <span class="unconverted" data-currency={part.currency}>
          + {props.fmt.money(part.amount, part.currency)} {props.t.notConverted}
        </span>
      ))}
    </>
  );
}

/** The spend columns of the channel and campaign tables (services/spend-report.ts). */
export const spendColumns = (t: Texts): Column[] => [
  { key: 'new_customers', label: t.newCustomers, kind: 'num' },
  { key: 'spend', label: t.spendColumn, kind: 'cost' },
  { key: 'cost_per_conversion', label: t.costPerConversion, kind: 'cost' },
  { key: 'roas', label: t.roas, kind: 'num' },
  { key: 'cac', label: t.cac, kind: 'cost' },
];

/** Columns of the referral report (reports page and campaign page). */
export const referralColumns = (t: Texts): Column[] => [
  { key: 'referrer', label: t.referrer },
  { key: 'visits', label: t.visits, kind: 'num' },
  { key: 'unique_visitors', label: t.uniqueVisitors, kind: 'num' },
  { key: 'signups', label: t.signups, kind: 'num' },
  { key: 'sales', label: t.sales, kind: 'num' },
  { key: 'revenue', label: t.revenue, kind: 'money' },
];

/** The notice that some revenue found no exchange rate for its day (and is left out), with the way to add rates. */
export const MissingRatesNotice = (props: { t: Texts; missing: readonly string[] }) =>
  props.missing.length > 0 ? (
    <p class="notice" data-missing-rates={props.missing.join(' ')}>
      {props.t.missingRatesNotice} {props.missing.join(', ')}. <a href="/settings/currency">{props.t.missingRatesLink}</a>
    </p>
  ) : null;
