import type { PathsReport } from '../../services/conversion-paths';
import type { Formatters, Texts } from '../i18n';
import { Layout } from '../layout';
import { revenueText } from '../report-query';
import { vocabName } from '../texts/index';
import { SubpageHead, type SubpageFrame } from './subpage';

export interface PathsView extends SubpageFrame {
  report: PathsReport;
  csv: string;
}

/** A path's channels by name, joined by arrows. */
const pathText = (t: Texts, path: string) =>
  path
    .split(' > ')
    .map((channel) => vocabName(t, 'channel', channel))
    .join(' → ');

function Distribution(props: { t: Texts; fmt: Formatters; id: string; title: string; rows: Array<{ key: number; conversions: number; share: number }> }) {
  const { t, fmt } = props;
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <section class="table-wrap" tabindex={0} aria-label={props.title}>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.title}</th>
              <th scope="col" class="num">
                {t.conversions}
              </th>
              <th scope="col" class="num">
                {t.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr data-key={String(row.key)}>
                <th scope="row">{fmt.num(row.key)}</th>
                <td class="num" data-col="conversions">
                  {fmt.num(row.conversions)}
                </td>
                <td class="num" data-col="share">
                  {fmt.pct(row.share)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

export function PathsPage(view: PathsView) {
  const { t, fmt, report } = view;
  return (
    <Layout lang={view.lang} t={t} title={t.conversionPaths} path="/reports/paths" csrf={view.csrf} admin={view.admin}>
      <SubpageHead view={view} path="/reports/paths" title={t.conversionPaths} />
      <section class="card" id="paths" aria-labelledby="paths-title">
        <h2 id="paths-title">{t.conversionPaths}</h2>
        <p class="muted">{t.conversionPathsIntro}</p>
        {report.rows.length === 0 ? (
          <p class="empty">{t.noPathsInRange}</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label={t.conversionPaths}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.path}</th>
                  <th scope="col" class="num">
                    {t.conversions}
                  </th>
                  <th scope="col" class="num">
                    {t.share}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr data-path={row.path}>
                    <th scope="row" class="wrap">
                      {pathText(t, row.path)}
                    </th>
                    <td class="num" data-col="conversions">
                      {fmt.num(row.conversions)}
                    </td>
                    <td class="num" data-col="share">
                      {fmt.pct(row.share)}
                    </td>
                    <td class="num" data-col="revenue">
                      {revenueText(fmt, t, row)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <p>
          <a href={view.csv} download>
            CSV
          </a>
        </p>
      </section>
      <Distribution
        t={t}
        fmt={fmt}
        id="path-lengths"
        title={t.pathLength}
        rows={report.path_lengths.map(({ touches, ...bucket }) => ({ key: touches, ...bucket }))}
      />
      <Distribution
        t={t}
        fmt={fmt}
        id="days-to-conversion"
        title={t.daysToConversion}
        rows={report.days_to_conversion.map(({ days, ...bucket }) => ({ key: days, ...bucket }))}
      />
    </Layout>
  );
}
