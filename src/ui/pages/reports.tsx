/** `/reports`: filters (GET form), channels, the time series chart, channel × device, codes, loyalty and ABC segments. */
import type { Campaign } from '../../db/campaigns';
import type { FieldErrors } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import { Layout } from '../layout';
import { hrefWith, type RangePreset } from '../ranges';
import type { BarMetric } from '../ranges';
import { ChannelBars } from './channel-bars';
import { CampaignSelect, KeptParams, ModelNote, ModelSelect, RangePicker } from './range-picker';
import { fill } from '../texts/index';
import { referralColumns, ReportTable, spendColumns, type Cell, type Column } from './table';
import type { MarkovSummary } from '../../services/markov';
import { DATA_DRIVEN_MODEL } from '../../domain/vocab';
import { RemovalEffects } from './removal-effects';

export interface ReportFilter {
  from: string;
  to: string;
  campaign_id: string;
  model: string;
}

export interface ReportsView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
  filter: ReportFilter;
  errors: FieldErrors;
  campaigns: Campaign[];
  /** CSV URL of a report kind under the current filter. */
  csv: (kind: string) => string;
  channels: Array<Record<string, Cell>>;
  /** The campaign report's rows (with spend), the row without a campaign named. */
  campaignRows: Array<Record<string, Cell>>;
  /** Customer value per acquisition channel (services/customer-value.ts). */
  customerValue: Array<Record<string, Cell>>;
  devices: Array<Record<string, Cell>>;
  /** Routed visits per link, rule and variant (the `rules` report, rule already named for display). */
  rules: Array<Record<string, Cell>>;
  codes: Array<Record<string, Cell>>;
  loyalty: Array<Record<string, Cell>>;
  segments: Array<Record<string, Cell>>;
  email: Array<Record<string, Cell>>;
  referrals: Array<Record<string, Cell>>;
  /** Visits and conversions per day and channel, drawn as stacked bars. */
  series: ReadonlyArray<{ day: string; channel: string; visits: number; conversions: number }>;
  metric: BarMetric;
  hidden: ReadonlySet<string>;
  partialLast: boolean;
  /** The page's query parameters as they stand, kept by range, chart and legend links. */
  params: Record<string, string | undefined>;
  preset: RangePreset | undefined;
  /** The channel and device tables' unique visitors are estimates (a busy range). */
  uniquesEstimated: boolean;
  /** Totals rows by table id. */
  totals: Record<string, Record<string, Cell>>;
  /** Currencies some revenue of the page had no exchange rate for. */
  missingRates: string[];
  /** Under the data-driven model: its chain's removal effects. */
  markov?: MarkovSummary;
}

export function ReportsPage(view: ReportsView) {
  const { t, fmt, filter, errors } = view;
  const metrics: Column[] = [
    { key: 'visits', label: t.visits, kind: 'num' },
    { key: 'unique_visitors', label: view.uniquesEstimated ? t.uniqueVisitorsEstimated : t.uniqueVisitors, kind: 'num' },
    { key: 'clicks', label: t.clicks, kind: 'num' },
    { key: 'scans', label: t.scans, kind: 'num' },
    { key: 'code_entries', label: t.codeEntries, kind: 'num' },
    { key: 'conversions', label: t.conversions, kind: 'num' },
    { key: 'revenue', label: t.revenue, kind: 'money' },
    { key: 'conversion_rate', label: t.conversionRate, kind: 'pct' },
  ];
  const table = (id: string, title: string, columns: Column[], rows: Array<Record<string, Cell>>, csv: string, empty = t.noData) => (
    <ReportTable
      id={id}
      title={title}
      t={t}
      fmt={fmt}
      columns={columns}
      rows={rows}
      csv={csv}
      empty={empty}
      totals={view.totals[id]}
      missingRates={id === 'channels' ? view.missingRates : undefined}
    />
  );
  return (
    <Layout lang={view.lang} t={t} title={t.reports} path="/reports" csrf={view.csrf} admin={view.admin}>
      <h1>{t.reports}</h1>
      <section class="card filters-card">
        <RangePicker t={t} path="/reports" params={view.params} from={filter.from} to={filter.to} preset={view.preset} errors={errors} />
        <form class="model-pick" method="get" action="/reports">
          <KeptParams params={view.params} except={['model', 'campaign_id']} />
          <CampaignSelect t={t} campaigns={view.campaigns} selected={filter.campaign_id} />
          <ModelSelect t={t} selected={filter.model} />
          <button type="submit" class="secondary">
            {t.show}
          </button>
          <ModelNote t={t} model={filter.model} from={filter.from} to={filter.to} campaignId={filter.campaign_id || undefined} />
        </form>
        {errors._ && (
          <p class="notice" role="alert">
            {errors._}
          </p>
        )}
        {view.uniquesEstimated && (
          <p class="muted" id="estimated-note">
            {t.estimatedNote}
          </p>
        )}
      </section>
      <p class="actions">
        <a href="/reports/spend" id="spend-link">
          {t.spendLink}
        </a>
      </p>
      {table(
        'channels',
        t.channels,
        [{ key: 'channel', label: t.channel, kind: 'channel' }, ...metrics, ...spendColumns(t)],
        view.channels,
        view.csv('channels'),
      )}
      {view.markov ? <RemovalEffects t={t} fmt={fmt} markov={view.markov} /> : null}
      <ChannelBars
        t={t}
        fmt={fmt}
        from={filter.from}
        to={filter.to}
        cells={view.series}
        metric={view.metric}
        hidden={view.hidden}
        partialLast={view.partialLast}
        href={(changes) => hrefWith('/reports', view.params, changes)}
      />
      <p class="actions">
        <a href={view.csv('timeseries')} download data-csv="timeseries">
          {t.downloadCsv} ({t.timeseries})
        </a>
      </p>
      {table(
        'campaigns',
        t.spendTable,
        [
          { key: 'campaign_name', label: t.campaign },
          { key: 'visits', label: t.visits, kind: 'num' },
          { key: 'conversions', label: t.conversions, kind: 'num' },
          { key: 'revenue', label: t.revenue, kind: 'money' },
          ...spendColumns(t),
        ],
        view.campaignRows,
        view.csv('campaigns'),
      )}
      {table(
        'devices',
        t.devices,
        [{ key: 'channel', label: t.channel, kind: 'channel' }, { key: 'device_class', label: t.device, kind: 'device' }, ...metrics],
        view.devices,
        view.csv('devices'),
      )}
      {table(
        'rules',
        filter.model === DATA_DRIVEN_MODEL ? t.lrReportLinear : t.lrReport,
        [{ key: 'slug', label: t.lrLink }, { key: 'rule', label: t.lrRule }, { key: 'variant', label: t.lrVariant }, ...metrics],
        view.rules,
        view.csv('rules'),
        t.lrNoVisits,
      )}
      {table(
        'codes',
        t.codesReport,
        [
          { key: 'kind', label: t.kind },
          { key: 'label', label: t.code },
          { key: 'minted', label: t.minted, kind: 'num' },
          { key: 'entered', label: t.entered, kind: 'num' },
          { key: 'accepted', label: t.accepted, kind: 'num' },
          { key: 'redemption_rate', label: t.redemptionRate, kind: 'pct' },
        ],
        view.codes,
        view.csv('codes'),
        t.noCodes,
      )}
      {table(
        'loyalty',
        t.loyalty,
        [
          { key: 'channel', label: t.channel, kind: 'channel' },
          { key: 'customers', label: t.customers, kind: 'num' },
          { key: 'repeat_rate', label: t.repeatRate, kind: 'pct' },
          { key: 'orders', label: t.orders, kind: 'num' },
          { key: 'revenue_per_customer', label: t.revenuePerCustomer, kind: 'money' },
          { key: 'median_days_between_orders', label: t.daysBetweenOrders, kind: 'num' },
        ],
        view.loyalty,
        view.csv('loyalty'),
        t.noCustomers,
      )}
      {table(
        'customers',
        t.segments,
        [
          { key: 'segment', label: t.segment },
          { key: 'customers', label: t.customers, kind: 'num' },
          { key: 'revenue', label: t.revenue, kind: 'money' },
          { key: 'share', label: t.share, kind: 'pct' },
        ],
        view.segments,
        view.csv('customers'),
        t.noCustomers,
      )}
      {table(
        'customer-value',
        t.customerValue,
        [
          { key: 'channel', label: t.channel, kind: 'channel' },
          { key: 'customers', label: t.customers, kind: 'num' },
          ...[30, 90, 365].flatMap((days): Column[] => [
            { key: `revenue_per_customer_d${days}`, label: fill(t.valueAt, { days }), kind: 'cost' },
            { key: `repeat_rate_d${days}`, label: fill(t.repeatAt, { days }), kind: 'pct' },
          ]),
          { key: 'spend', label: t.spendColumn, kind: 'cost' },
          { key: 'cac', label: t.cac, kind: 'cost' },
          { key: 'value_to_cac_d365', label: t.valueToCac, kind: 'num' },
        ],
        view.customerValue,
        view.csv('customer-value'),
        t.noCustomers,
      )}
      {table('referrals', t.referrals, referralColumns(t), view.referrals, view.csv('referrals'), t.noReferrals)}
      {table(
        'email',
        t.emailReport,
        [
          { key: 'campaign', label: t.campaign },
          { key: 'opens', label: t.opens, kind: 'num' },
          { key: 'machine_opens', label: t.machineOpens, kind: 'num' },
          { key: 'human_clicks', label: t.humanClicks, kind: 'num' },
          { key: 'scanner_clicks', label: t.scannerClicks, kind: 'num' },
          { key: 'ctr', label: 'CTR', kind: 'pct' },
          { key: 'conversions', label: t.conversions, kind: 'num' },
          { key: 'revenue', label: t.revenue, kind: 'money' },
        ],
        view.email,
        view.csv('email'),
        t.noEmail,
      )}
    </Layout>
  );
}
