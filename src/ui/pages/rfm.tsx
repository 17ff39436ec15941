/** `/reports/rfm`: the RFM segments of the customers buying in the range, the score → segment map, and the segments per acquisition channel. */
import { RFM_GRID, RFM_SEGMENTS, type RfmSegment } from '../../domain/rfm';
import type { RfmReport } from '../../services/rfm';
import type { Texts } from '../i18n';
import { Layout } from '../layout';
import { vocabName } from '../texts/index';
import { SubpageHead, type SubpageFrame } from './subpage';
import { MissingRatesNotice } from './table';

export interface RfmView extends SubpageFrame {
  report: RfmReport;
  csv: { channels: string; segments: string };
}

const segmentName = (t: Texts, segment: RfmSegment) => t[`segment_${segment}`];

/** The documented map from R and FM scores to a segment (domain/rfm.ts RFM_GRID), as a table. */
function SegmentGrid(props: { t: Texts }) {
  const { t } = props;
  const scores = [1, 2, 3, 4, 5] as const;
  return (
    <section class="table-wrap" tabindex={0} aria-label={t.rfmGridIntro}>
      <table class="rfm-grid">
        <thead>
          <tr>
            <th scope="col">
              {t.rfmScore} ↓ {t.fmScore} →
            </th>
            {scores.map((fm) => (
              <th scope="col">FM {fm}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...scores].reverse().map((r) => (
            <tr>
              <th scope="row">R {r}</th>
              {RFM_GRID[r].map((segment) => (
                <td class={`seg-${segment}`} data-segment={segment}>
                  {segmentName(t, segment)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function RfmPage(view: RfmView) {
  const { t, fmt, report } = view;
  const empty = report.totals.customers === 0;
  return (
    <Layout lang={view.lang} t={t} title={t.rfmSegments} path="/reports/rfm" csrf={view.csrf} admin={view.admin}>
      <SubpageHead view={view} path="/reports/rfm" title={t.rfmSegments} />
      <section class="card" id="rfm-segments" aria-labelledby="rfm-segments-title">
        <h2 id="rfm-segments-title">{t.rfmSegments}</h2>
        <p class="muted">{t.rfmIntro}</p>
        <MissingRatesNotice t={t} missing={report.missing_rates} />
        {empty ? (
          <p class="empty">{t.noRfmCustomers}</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label={t.rfmSegments}>
            <table class="sticky-first">
              <thead>
                <tr>
                  <th scope="col">{t.segment}</th>
                  <th scope="col" class="num">
                    {t.customers}
                  </th>
                  <th scope="col" class="num">
                    {t.share}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                  <th scope="col" class="num">
                    {t.meanRecencyDays}
                  </th>
                  <th scope="col" class="num">
                    {t.meanOrders}
                  </th>
                  <th scope="col" class="num">
                    {t.revenuePerCustomer}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.segments.map((row) => (
                  <tr data-segment={row.segment}>
                    <th scope="row" class="key">
                      {segmentName(t, row.segment)}
                    </th>
                    <td class="num" data-col="customers">
                      {fmt.num(row.customers)}
                    </td>
                    <td class="num" data-col="share">
                      {fmt.pct(row.share)}
                    </td>
                    <td class="num" data-col="revenue">
                      {fmt.money(row.revenue, row.currency)}
                    </td>
                    <td class="num" data-col="mean_recency_days">
                      {fmt.num(row.mean_recency_days)}
                    </td>
                    <td class="num" data-col="mean_orders">
                      {fmt.num(row.mean_orders)}
                    </td>
                    <td class="num" data-col="revenue_per_customer">
                      {row.revenue_per_customer === null ? '–' : fmt.money(row.revenue_per_customer, row.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <p>
          <a href={view.csv.segments} download>
            CSV
          </a>
        </p>
        <p class="muted">{t.rfmGridIntro}</p>
        <SegmentGrid t={t} />
      </section>
      <section class="card" id="rfm-channels" aria-labelledby="rfm-channels-title">
        <h2 id="rfm-channels-title">{t.rfmPerChannel}</h2>
        {empty ? (
          <p class="empty">{t.noRfmCustomers}</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label={t.rfmPerChannel}>
            <table class="sticky-first">
              <thead>
                <tr>
                  <th scope="col">{t.acquisitionChannel}</th>
                  <th scope="col" class="num">
                    {t.customers}
                  </th>
                  {RFM_SEGMENTS.map((segment) => (
                    <th scope="col" class="num">
                      {segmentName(t, segment)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr data-channel={row.channel}>
                    <th scope="row" class="key">
                      {vocabName(t, 'channel', row.channel)}
                    </th>
                    <td class="num" data-col="customers">
                      {fmt.num(row.customers)}
                    </td>
                    {RFM_SEGMENTS.map((segment) => (
                      <td class="num" data-col={segment}>
                        {fmt.num(row[segment])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr class="totals">
                  <th scope="row">{t.total}</th>
                  <td class="num" data-col="customers">
                    {fmt.num(report.totals.customers)}
                  </td>
                  {RFM_SEGMENTS.map((segment) => (
                    <td class="num" data-col={segment}>
                      {fmt.num(report.totals[segment])}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </section>
        )}
        <p>
          <a href={view.csv.channels} download>
            CSV
          </a>
        </p>
      </section>
    </Layout>
  );
}
