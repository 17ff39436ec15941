/** `/reports`: filters (GET form), channels, the time series chart, channel × device, codes, loyalty and ABC segments. */
import type { Campaign } from '../../db/campaigns';
import { ATTRIBUTION_MODELS } from '../../domain/vocab';
import type { FieldErrors } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import { Layout } from '../layout';
import { Legend, LineChart, type Series } from './chart';
import { referralColumns, ReportTable, type Cell, type Column } from './table';

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
  devices: Array<Record<string, Cell>>;
  codes: Array<Record<string, Cell>>;
  loyalty: Array<Record<string, Cell>>;
  segments: Array<Record<string, Cell>>;
  email: Array<Record<string, Cell>>;
  referrals: Array<Record<string, Cell>>;
  chart: { days: string[]; visits: Series[]; conversions: Series[]; colours: Map<string, number> };
  /** The channel and device tables' unique visitors are estimates (a busy range). */
  uniquesEstimated: boolean;
  /** Totals rows by table id. */
  totals: Record<string, Record<string, Cell>>;
  /** Currencies some revenue of the page had no exchange rate for. */
  missingRates: string[];
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
  const hasChart = view.chart.visits.some((s) => s.values.some((v) => v > 0)) || view.chart.conversions.some((s) => s.values.some((v) => v > 0));
  return (
    <Layout lang={view.lang} t={t} title={t.reports} path="/reports" csrf={view.csrf} admin={view.admin} charts>
      <h1>{t.reports}</h1>
      <section class="card">
        <form class="stack" method="get" action="/reports">
          {(['from', 'to'] as const).map((name) => (
            <div class="field">
              <label for={`f-${name}`}>{name === 'from' ? t.from : t.to}</label>
              <input
                id={`f-${name}`}
                name={name}
                type="date"
                value={filter[name]}
                aria-invalid={errors[name] ? 'true' : undefined}
                aria-describedby={errors[name] ? `f-${name}-error` : undefined}
              />
              {errors[name] && (
                <span class="error" id={`f-${name}-error`}>
                  {errors[name]}
                </span>
              )}
            </div>
          ))}
          <div class="field">
            <label for="f-campaign">{t.campaign}</label>
            <select id="f-campaign" name="campaign_id">
              <option value="">{t.allCampaigns}</option>
              {view.campaigns.map((campaign) => (
                <option value={campaign.id} selected={campaign.id === filter.campaign_id}>
                  {campaign.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-model">{t.model}</label>
            <select id="f-model" name="model">
              {ATTRIBUTION_MODELS.map((model) => (
                <option value={model} selected={model === filter.model}>
                  {model}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <button type="submit">{t.show}</button>
          </div>
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
      {table('channels', t.channels, [{ key: 'channel', label: t.channel }, ...metrics], view.channels, view.csv('channels'))}
      <section class="card" id="timeseries" aria-labelledby="timeseries-title">
        <h2 id="timeseries-title">{t.timeseries}</h2>
        {hasChart ? (
          <>
            <h3 class="muted">{t.visits}</h3>
            <LineChart title={t.visits} days={view.chart.days} series={view.chart.visits} colours={view.chart.colours} fmt={fmt} />
            <h3 class="muted">{t.conversions}</h3>
            <LineChart title={t.conversions} days={view.chart.days} series={view.chart.conversions} colours={view.chart.colours} fmt={fmt} dashed />
            <Legend colours={view.chart.colours} />
          </>
        ) : (
          <p class="empty">{t.noData}</p>
        )}
        <p class="actions">
          <a href={view.csv('timeseries')} download data-csv="timeseries">
            {t.downloadCsv}
          </a>
        </p>
      </section>
      {table(
        'devices',
        t.devices,
        [{ key: 'channel', label: t.channel }, { key: 'device_class', label: t.device }, ...metrics],
        view.devices,
        view.csv('devices'),
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
          { key: 'channel', label: t.channel },
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
