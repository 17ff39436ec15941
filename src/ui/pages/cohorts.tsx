/** `/reports/cohorts`: first-purchase cohorts against months since, as a heat map table with a legend; filters for channel and membership. */
import { MEMBERSHIPS, type Cohort, type CohortCell } from '../../domain/cohorts';
import { ATTRIBUTED_CHANNELS } from '../../domain/vocab';
import type { CohortReport } from '../../services/cohorts';
import { fill, type Formatters, type Texts } from '../i18n';
import { Layout } from '../layout';
import { vocabName } from '../texts/index';
import { SubpageHead, type SubpageFrame } from './subpage';
import { MissingRatesNotice } from './table';

export interface CohortsView extends SubpageFrame {
  report: CohortReport;
  csv: string;
}

/** Upper bounds of the heat map's colour steps by share of the cohort (step 0: nobody bought). */
export const HEAT_BOUNDS = [0, 0.1, 0.25, 0.5, 0.75, 1] as const;

/** The colour step of a share: the first bound it does not exceed. */
export const heatLevel = (share: number): number => HEAT_BOUNDS.findIndex((bound) => share <= bound);

/** A step's shares: "0 %" for step 0, else "above the step before – up to its bound". */
const boundText = (fmt: Formatters, level: number) => (level === 0 ? fmt.pct(0) : `${fmt.pct(HEAT_BOUNDS[level - 1])} – ${fmt.pct(HEAT_BOUNDS[level])}`);

function Filters(props: { t: Texts; channel: string | null; membership: string | null }) {
  const { t } = props;
  return (
    <>
      <div class="field">
        <label for="f-channel">{t.acquisitionChannel}</label>
        <select id="f-channel" name="channel">
          <option value="">{t.allChannels}</option>
          {ATTRIBUTED_CHANNELS.map((channel) => (
            <option value={channel} selected={channel === props.channel}>
              {vocabName(t, 'channel', channel)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-membership">{t.membership}</label>
        <select id="f-membership" name="membership">
          <option value="">{t.allCustomers}</option>
          {MEMBERSHIPS.map((membership) => (
            <option value={membership} selected={membership === props.membership}>
              {t[`membership_${membership}`]}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function Cell(props: { t: Texts; fmt: Formatters; cohort: Cohort; cell: CohortCell; currency: string }) {
  const { t, fmt, cohort, cell } = props;
  const revenue = fmt.money(cell.revenue, props.currency);
  const title = fill(t.cohortCell, {
    cohort: cohort.cohort,
    month: String(cell.month),
    customers: fmt.num(cell.customers),
    size: fmt.num(cohort.customers),
    share: fmt.pct(cell.share),
    orders: fmt.num(cell.orders),
    revenue,
  });
  return (
    <td class={`num heat h${heatLevel(cell.share)}`} title={title} data-month={String(cell.month)} data-share={String(cell.share)}>
      <span class="share">{fmt.pct(cell.share)}</span>
      <span class="rev">{revenue}</span>
    </td>
  );
}

export function CohortsPage(view: CohortsView) {
  const { t, fmt, report } = view;
  const months = Array.from({ length: report.months }, (_, month) => month);
  return (
    <Layout lang={view.lang} t={t} title={t.cohorts} path="/reports/cohorts" csrf={view.csrf} admin={view.admin}>
      <SubpageHead
        view={view}
        path="/reports/cohorts"
        title={t.cohorts}
        filters={<Filters t={t} channel={report.channel} membership={report.membership} />}
        filterNames={['channel', 'membership']}
      />
      <section class="card" id="cohorts" aria-labelledby="cohorts-title">
        <h2 id="cohorts-title">{t.cohorts}</h2>
        <p class="muted">{t.cohortsIntro}</p>
        <MissingRatesNotice t={t} missing={report.missing_rates} />
        {report.cohorts.length === 0 ? (
          <p class="empty">{t.noCohorts}</p>
        ) : (
          <>
            <section class="table-wrap" tabindex={0} aria-label={t.cohorts}>
              <table class="sticky-first cohorts">
                <thead>
                  <tr>
                    <th scope="col">{t.cohort}</th>
                    <th scope="col" class="num">
                      {t.customers}
                    </th>
                    {months.map((month) => (
                      <th scope="col" class="num">
                        {fill(t.monthsSince, { month: String(month) })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.cohorts.map((cohort) => (
                    <tr data-cohort={cohort.cohort}>
                      <th scope="row" class="key">
                        {cohort.cohort}
                      </th>
                      <td class="num" data-col="customers">
                        {fmt.num(cohort.customers)}
                      </td>
                      {months.map((month) =>
                        cohort.cells[month] ? (
                          <Cell t={t} fmt={fmt} cohort={cohort} cell={cohort.cells[month]} currency={report.currency} />
                        ) : (
                          <td class="heat-none" />
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <figure class="heat-legend">
              <figcaption>{t.shareLegend}</figcaption>
              <ul class="legend">
                {HEAT_BOUNDS.map((_, level) => (
                  <li data-level={String(level)}>
                    <span class={`swatch heat h${level}`} aria-hidden="true"></span>
                    {boundText(fmt, level)}
                  </li>
                ))}
              </ul>
            </figure>
          </>
        )}
        <p>
          <a href={view.csv} download>
            CSV
          </a>
        </p>
      </section>
    </Layout>
  );
}
