/** A report table with a CSV download link and an empty state. */
import type { Formatters, Texts } from '../i18n';
import { vocabName } from '../texts/index';

export type Cell = string | number | null | undefined;
export interface Column {
  key: string;
  label: string;
  /** How cells show: numbers, rates and money for the locale; channels and device classes by their names. */
  kind?: 'num' | 'pct' | 'money' | 'text' | 'channel' | 'device';
}

const numeric = (column: Column) => column.kind === 'num' || column.kind === 'pct' || column.kind === 'money';

export function ReportTable(props: {
  id: string;
  title: string;
  t: Texts;
  fmt: Formatters;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  csv: string;
  empty: string;
}) {
  const { fmt } = props;
  const show = (column: Column, row: Record<string, Cell>) => {
    const value = row[column.key];
    if (column.kind === 'num') return fmt.num(value as number | null);
    if (column.kind === 'pct') return fmt.pct(value as number | null);
    if (column.kind === 'money') return value == null ? '–' : fmt.money(Number(value), (row.currency as string | null) ?? null);
    if (column.kind === 'channel' || column.kind === 'device') return vocabName(props.t, column.kind, value == null ? null : String(value));
    return value == null || value === '' ? '–' : String(value);
  };
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
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
                <tr>
                  {props.columns.map((column) => (
                    <td class={numeric(column) ? 'num' : undefined} data-col={column.key}>
                      {show(column, row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
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

/** Columns of the referral report (reports page and campaign page). */
export const referralColumns = (t: Texts): Column[] => [
  { key: 'referrer', label: t.referrer },
  { key: 'visits', label: t.visits, kind: 'num' },
  { key: 'unique_visitors', label: t.uniqueVisitors, kind: 'num' },
  { key: 'signups', label: t.signups, kind: 'num' },
  { key: 'sales', label: t.sales, kind: 'num' },
  { key: 'revenue', label: t.revenue, kind: 'money' },
];
