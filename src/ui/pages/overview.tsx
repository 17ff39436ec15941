import type { Overview, TopRow } from '../../services/overview';
import type { FieldErrors } from '../forms';
import { fill, type Formatters, type Lang, type Texts } from '../i18n';
import { Layout } from '../layout';
import { revenueText } from '../report-query';
import { hrefWith, type RangePreset } from '../ranges';
import { vocabName } from '../texts/index';
import type { BarMetric } from '../ranges';
import { ChannelBars } from './channel-bars';
import { KeptParams, ModelNote, ModelSelect, RangePicker } from './range-picker';

/** The filters the overview understands, as query parameters. */
export const OVERVIEW_FILTERS = ['campaign_id', 'link_id', 'channel', 'device', 'country', 'referrer'] as const;
export type OverviewFilter = (typeof OVERVIEW_FILTERS)[number];

export interface OverviewView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
  /** The page's query parameters as they stand (range, filters, model, metric, hide). */
  params: Record<string, string | undefined>;
  preset: RangePreset | undefined;
  errors: FieldErrors;
  /** Active filters with the reader's name of their value. */
  filters: Array<{ key: OverviewFilter; label: string }>;
  model: string;
  metric: BarMetric;
  hidden: ReadonlySet<string>;
  partialLast: boolean;
  overview: Overview;
}

/** "+12 %", "−3 %", "new", "no change"; for rates the change in percentage points. */
function change(fmt: Formatters, t: Texts, current: number | null, previous: number | null, points = false): { text: string; trend: 'up' | 'down' | 'flat' } {
  const now = current ?? 0;
  const then = previous ?? 0;
  if (now === then) return { text: t.noChange, trend: 'flat' };
  const trend = now > then ? 'up' : 'down';
  if (points) {
    const pp = Math.round((now - then) * 1000) / 10;
    return { text: `${pp > 0 ? '+' : '−'}${fmt.num(Math.abs(pp))} pp`, trend };
  }
  if (then === 0) return { text: t.newThisPeriod, trend };
  const ratio = (now - then) / then;
  return { text: `${ratio > 0 ? '+' : '−'}${fmt.pct(Math.abs(ratio))}`, trend };
}

function KpiCards(props: { t: Texts; fmt: Formatters; overview: Overview }) {
  const { t, fmt, overview } = props;
  const { current, prior } = overview;
  const cards = [
    { key: 'visits', label: t.visits, value: fmt.num(current.visits), change: change(fmt, t, current.visits, prior.visits) },
    {
      key: 'unique_visitors',
      label: overview.estimated ? t.uniqueVisitorsEstimated : t.uniqueVisitors,
      value: fmt.num(current.unique_visitors),
      change: change(fmt, t, current.unique_visitors, prior.unique_visitors),
    },
    { key: 'conversions', label: t.conversions, value: fmt.num(current.conversions), change: change(fmt, t, current.conversions, prior.conversions) },
    {
      key: 'revenue',
      label: t.revenue,
      value: revenueText(fmt, t, current.revenue),
      change: change(fmt, t, current.revenue.revenue, prior.revenue.revenue),
    },
    {
      key: 'conversion_rate',
      label: t.conversionRate,
      value: fmt.pct(current.conversion_rate),
      change: change(fmt, t, current.conversion_rate, prior.conversion_rate, true),
    },
  ];
  const compared = fill(t.vsPrevious, { from: fmt.day(overview.previous.from), to: fmt.day(overview.previous.to) });
  return (
    <ul class="kpis" aria-label={t.overview}>
      {cards.map((card) => (
        <li class="kpi" data-kpi={card.key}>
          <span class="kpi-label">{card.label}</span>
          <strong class="kpi-value">{card.value}</strong>
          {card.change && (
            <span class={`kpi-change ${card.change.trend}`}>
              <span aria-hidden="true">{card.change.trend === 'up' ? '▲ ' : card.change.trend === 'down' ? '▼ ' : ''}</span>
              {card.change.text} <span class="muted">{compared}</span>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function TopList(props: {
  id: string;
  title: string;
  t: Texts;
  fmt: Formatters;
  rows: TopRow[];
  name: (row: TopRow) => string;
  href?: (row: TopRow) => string | undefined;
}) {
  const { t, fmt } = props;
  const withConversions = props.rows.some((row) => row.conversions !== null);
  return (
    <section class="card top" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p class="muted">{t.noData}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col" class="num">
                {t.visits}
              </th>
              {withConversions && (
                <th scope="col" class="num">
                  {t.conversions}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => {
              const href = row.key === null ? undefined : props.href?.(row);
              const name = props.name(row);
              return (
                <tr>
                  <th scope="row">
                    {href ? (
                      <a href={href} aria-label={fill(t.filterBy, { name })}>
                        {name}
                      </a>
                    ) : (
                      name
                    )}
                  </th>
                  <td class="num">{fmt.num(row.visits)}</td>
                  {withConversions && <td class="num">{fmt.num(row.conversions)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function OverviewPage(view: OverviewView) {
  const { t, fmt, overview, params } = view;
  const here = (changes: Record<string, string | undefined>) => hrefWith('/', params, changes);
  // The top lists: what each row is called, and the filter a click on it sets (one origin at a time).
  const tops: Array<{ key: keyof Overview['top']; title: string; name: (row: TopRow) => string; href: (row: TopRow) => string }> = [
    { key: 'campaigns', title: t.topCampaigns, name: (row) => row.label ?? t.unknown, href: (row) => here({ campaign_id: row.key ?? undefined }) },
    { key: 'links', title: t.topLinks, name: (row) => row.label ?? t.noLink, href: (row) => here({ link_id: row.key ?? undefined }) },
    {
      key: 'devices',
      title: t.topDevices,
      name: (row) => (row.key === null ? t.unknown : vocabName(t, 'device', row.key)),
      href: (row) => here({ device: row.key ?? undefined }),
    },
    {
      key: 'countries',
      title: t.topCountries,
      name: (row) => (row.label === null ? t.unknown : fmt.country(row.label)),
      href: (row) => here({ country: row.key ?? undefined, referrer: undefined }),
    },
    {
      key: 'referrers',
      title: t.topReferrers,
      name: (row) => row.label ?? t.noReferrer,
      href: (row) => here({ referrer: row.key ?? undefined, country: undefined }),
    },
  ];
  const empty = overview.current.visits === 0 && overview.current.conversions === 0 && overview.prior.visits === 0;
  return (
    <Layout lang={view.lang} t={t} title={t.overview} path="/" csrf={view.csrf} admin={view.admin}>
      <h1>{t.overview}</h1>
      <section class="card filters-card">
        <RangePicker t={t} path="/" params={params} from={overview.from} to={overview.to} preset={view.preset} errors={view.errors} />
        {view.filters.length > 0 && (
          <ul class="chips" aria-label={t.filters}>
            {view.filters.map((filter) => (
              <li>
                <span class="muted">{t[`filter_${filter.key}`]}:</span> {filter.label}{' '}
                <a href={here({ [filter.key]: undefined })} aria-label={fill(t.removeFilter, { name: filter.label })}>
                  ✕
                </a>
              </li>
            ))}
            <li>
              <a href={here(Object.fromEntries(OVERVIEW_FILTERS.map((key) => [key, undefined])))}>{t.clearFilters}</a>
            </li>
          </ul>
        )}
        <form class="model-pick" method="get" action="/">
          <KeptParams params={params} except={['model']} />
          <ModelSelect t={t} selected={view.model} />
          <button type="submit" class="secondary">
            {t.apply}
          </button>
          <ModelNote t={t} model={view.model} from={overview.from} to={overview.to} campaignId={params.campaign_id} />
        </form>
      </section>
      {empty && <p class="empty">{t.overviewEmpty}</p>}
      <KpiCards t={t} fmt={fmt} overview={overview} />
      <ChannelBars
        t={t}
        fmt={fmt}
        from={overview.from}
        to={overview.to}
        cells={overview.series}
        metric={view.metric}
        hidden={view.hidden}
        partialLast={view.partialLast}
        href={here}
      />
      <div class="top-grid">
        {tops.map((top) => (
          <TopList id={`top-${top.key}`} title={top.title} t={t} fmt={fmt} rows={overview.top[top.key]} name={top.name} href={top.href} />
        ))}
      </div>
    </Layout>
  );
}
