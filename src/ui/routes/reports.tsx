/** `/reports`: the analyst's page, over the same report services as /api/v1/reports. */
import { replicaOf } from '../../db/client';
import type { Context } from 'hono';
import { listCampaigns } from '../../db/campaigns';
import { grants } from '../../domain/scopes';
import { ATTRIBUTED_CHANNELS, DATA_DRIVEN_MODEL, REPORT_MODELS } from '../../domain/vocab';
import { buildCodeReport } from '../../services/code-report';
import { customerValueReport } from '../../services/customer-value';
import { customersReport, loyaltyReport } from '../../services/loyalty';
import { emailReport } from '../../services/email-report';
import { referralReport } from '../../services/referral-report';
import { channelSeries } from '../../services/report-views';
import { buildReport } from '../../services/reports';
import { requireSession, uiRouter, type UiEnv } from '../context';
import { ModelsPage } from '../pages/models';
import { PathsPage } from '../pages/paths';
import { CohortsPage } from '../pages/cohorts';
import { RfmPage } from '../pages/rfm';
import { rfmReport } from '../../services/rfm';
import { cohortReport } from '../../services/cohorts';
import { cohortStart, MEMBERSHIPS } from '../../domain/cohorts';
import { hrefWith } from '../ranges';
import type { SubpageFrame } from '../pages/subpage';
import { DEFAULT_PATH_LIMIT, pathsReport } from '../../services/conversion-paths';
import { archiveReaderFor } from '../../services/archive-reads';
import { markovFitPolicy } from '../../services/markov-store';
import { ReportsPage, type ReportFilter } from '../pages/reports';
import { holdsToday } from '../ranges';
import { pageParams, pageRange, pageView, queryId, reportQuery } from '../report-query';

export const reportPages = uiRouter();

/** The rules report of the page's query; under markov (which credits channels, not rules) the stored linear credit. */
const buildRulesReport = (db: Parameters<typeof buildReport>[0], query: Parameters<typeof buildReport>[2]) =>
  buildReport(db, 'rules', query.model === DATA_DRIVEN_MODEL ? { ...query, model: 'linear' } : query);

/** The range, campaign and model of a report page's query (unknown values fall back to the defaults; `defaults` fill a query without a range). */
function reportFilter(c: Context<UiEnv>, defaults: Record<string, string> = {}) {
  const query = c.req.query();
  const raw = query.range || query.from || query.to ? query : { ...query, ...defaults };
  const now = c.var.now();
  return { raw, now, range: pageRange(raw, now), parsed: { campaign_id: queryId(raw.campaign_id), ...pageView(raw) } };
}

/** The frame a report subpage shares (the way back, range and campaign pickers) for the request's filter. */
function subpageFrame(c: Context<UiEnv>, campaigns: SubpageFrame['campaigns'], filter = reportFilter(c)): SubpageFrame {
  const { range, parsed } = filter;
  return {
    lang: c.var.lang,
    t: c.var.t,
    fmt: c.var.fmt,
    csrf: c.var.csrf,
    admin: grants(c.var.session.scopes, 'admin'),
    params: pageParams(range, {}, { campaign_id: parsed.campaign_id }),
    preset: range.preset,
    from: range.from,
    to: range.to,
    errors: range.errors,
    campaigns,
    campaignId: parsed.campaign_id,
  };
}

/** `/reports/models`: every attribution model side by side, per channel, each explained. */
reportPages.get('/reports/models', requireSession('reports:read'), async (c) => {
  const { range, parsed } = reportFilter(c);
  const db = replicaOf(c.var.db);
  const [campaigns, ...reports] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    ...REPORT_MODELS.map((model) => buildReport(db, 'channels', reportQuery(c, { ...range, campaignId: parsed.campaign_id, model }))),
  ]);
  return c.html(
    <ModelsPage
      {...subpageFrame(c, campaigns.items)}
      reports={REPORT_MODELS.map((model, index) => ({ model, rows: reports[index].rows, totals: reports[index].totals, markov: reports[index].markov }))}
    />,
    Object.keys(range.errors).length > 0 ? 400 : 200,
  );
});

/** `/reports/paths`: the conversion paths of the range, path lengths and days to conversion. */
reportPages.get('/reports/paths', requireSession('reports:read'), async (c) => {
  const { range, parsed } = reportFilter(c);
  const db = replicaOf(c.var.db);
  const [campaigns, report] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    pathsReport(db, { from: range.from, to: range.to, campaignId: parsed.campaign_id, limit: DEFAULT_PATH_LIMIT }, archiveReaderFor(c.var.db, c.env.ARCHIVE)),
  ]);
  const csv = new URLSearchParams({ from: range.from, to: range.to, format: 'csv' });
  if (parsed.campaign_id) csv.set('campaign_id', parsed.campaign_id);
  return c.html(
    <PathsPage {...subpageFrame(c, campaigns.items)} report={report} csv={`/reports/data/paths?${csv}`} />,
    Object.keys(range.errors).length > 0 ? 400 : 200,
  );
});

/** The link of a subpage's CSV: its range and campaign, and `extra` parameters. */
function csvLink(kind: string, filter: ReturnType<typeof reportFilter>, extra: Record<string, string | undefined> = {}) {
  return hrefWith(
    `/reports/data/${kind}`,
    { from: filter.range.from, to: filter.range.to, campaign_id: filter.parsed.campaign_id, ...extra },
    { format: 'csv' },
  );
}

/** `/reports/rfm`: RFM segments of the customers buying in the range, per acquisition channel. */
reportPages.get('/reports/rfm', requireSession('reports:read'), async (c) => {
  const filter = reportFilter(c);
  const db = replicaOf(c.var.db);
  const [campaigns, report] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    rfmReport(db, { from: filter.range.from, to: filter.range.to, campaignId: filter.parsed.campaign_id }),
  ]);
  return c.html(
    <RfmPage
      {...subpageFrame(c, campaigns.items, filter)}
      report={report}
      csv={{ channels: csvLink('rfm', filter), segments: csvLink('rfm', filter, { table: 'segments' }) }}
    />,
    Object.keys(filter.range.errors).length > 0 ? 400 : 200,
  );
});

/** `/reports/cohorts`: first-purchase cohorts (by default of the last twelve months) against months since. */
reportPages.get('/reports/cohorts', requireSession('reports:read'), async (c) => {
  const now = c.var.now();
  const filter = reportFilter(c, { from: cohortStart(now), to: new Date(now).toISOString().slice(0, 10) });
  const raw = c.req.query();
  const channel = (ATTRIBUTED_CHANNELS as readonly string[]).includes(raw.channel ?? '') ? raw.channel : undefined;
  const membership = MEMBERSHIPS.find((value) => value === raw.membership);
  const db = replicaOf(c.var.db);
  const [campaigns, report] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    cohortReport(db, { from: filter.range.from, to: filter.range.to, campaignId: filter.parsed.campaign_id, channel, membership }, now),
  ]);
  const frame = subpageFrame(c, campaigns.items, filter);
  return c.html(
    <CohortsPage {...frame} params={{ ...frame.params, channel, membership }} report={report} csv={csvLink('cohorts', filter, { channel, membership })} />,
    Object.keys(filter.range.errors).length > 0 ? 400 : 200,
  );
});

reportPages.get('/reports', requireSession('reports:read'), async (c) => {
  const { now, range, parsed } = reportFilter(c);
  const errors = range.errors;
  const campaignId = parsed.campaign_id;
  const query = reportQuery(c, { ...range, campaignId, model: parsed.model });
  const db = replicaOf(c.var.db);
  const [campaigns, channels, campaignReport, devices, rules, series, codes, loyalty, customers, email, referrals, value] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    buildReport(db, 'channels', query),
    buildReport(db, 'campaigns', query),
    buildReport(db, 'devices', query),
    buildRulesReport(db, query),
    channelSeries(db, query),
    buildCodeReport(db, campaignId),
    loyaltyReport(db, { ...range, campaignId }),
    customersReport(db, { ...range, campaignId }),
    emailReport(db, {
      ...range,
      campaignId,
      model: parsed.model,
      archive: archiveReaderFor(c.var.db, c.env.ARCHIVE),
      markovPolicy: markovFitPolicy(c.env, c.var.now()),
    }),
    referralReport(db, { ...range, campaignId }),
    customerValueReport(db, { ...range, campaignId }, now),
  ]);
  const names = new Map(campaigns.items.map((campaign) => [campaign.id, campaign.name]));
  const { metric, hidden } = parsed;
  const params = pageParams(range, parsed, { campaign_id: campaignId });
  const filter: ReportFilter = { from: range.from, to: range.to, campaign_id: campaignId ?? '', model: parsed.model };
  const csv = (kind: string) => {
    const params = new URLSearchParams({ from: range.from, to: range.to, format: 'csv' });
    if (['channels', 'campaigns', 'devices', 'timeseries', 'email'].includes(kind) || (kind === 'rules' && parsed.model !== DATA_DRIVEN_MODEL))
      params.set('model', parsed.model);
    if (campaignId) params.set('campaign_id', campaignId);
    if (kind === 'codes') params.delete('from'), params.delete('to');
    return `/reports/data/${kind}?${params}`;
  };
  return c.html(
    <ReportsPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      filter={filter}
      errors={errors}
      campaigns={campaigns.items}
      csv={csv}
      channels={channels.rows}
      customerValue={value.rows}
      campaignRows={campaignReport.rows.map((row) => ({
        ...row,
        campaign_name: row.campaign_id === null ? c.var.t.noCampaignRow : (row.campaign_name ?? row.campaign_id),
      }))}
      devices={devices.rows}
      rules={rules.rows.map((row) => ({
        ...row,
        rule: row.after_cap ? c.var.t.lrAfterCap : ((row.rule as string | null) ?? c.var.t.lrDefault),
        variant: (row.variant as string | null) ?? c.var.t.lrNone,
        after_cap: null,
      }))}
      codes={codes.rows as never}
      loyalty={loyalty.rows as never}
      referrals={referrals.rows}
      email={email.rows.map((row) => ({ ...row, campaign: names.get(row.campaign_id) ?? row.campaign_id }))}
      segments={customers.segments.map((segment) => ({ ...segment, currency: customers.currency, channels: null }))}
      series={series}
      metric={metric}
      hidden={hidden}
      partialLast={holdsToday(range, now)}
      params={params}
      preset={range.preset}
      uniquesEstimated={channels.unique_visitors_estimated || devices.unique_visitors_estimated}
      totals={{
        channels: { ...channels.totals },
        campaigns: { ...campaignReport.totals },
        'customer-value': { ...value.totals },
        devices: { ...devices.totals },
        rules: { ...rules.totals },
        loyalty: { ...loyalty.totals },
        customers: { ...customers.totals, currency: customers.currency, unconverted: customers.unconverted },
        referrals: { ...referrals.totals },
        email: { ...email.totals },
      }}
      missingRates={[
        ...new Set([channels, campaignReport, value, devices, rules, loyalty, customers, email, referrals].flatMap((report) => report.missing_rates)),
      ].sort()}
      markov={channels.markov}
    />,
    Object.keys(errors).length > 0 ? 400 : 200,
  );
});
