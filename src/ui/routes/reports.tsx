/** `/reports`: the analyst's page, over the same report services as /api/v1/reports. */
import { z } from 'zod';
import { listCampaigns } from '../../db/campaigns';
import { grants } from '../../domain/scopes';
import { DAY_MS } from '../../domain/attribution';
import { ATTRIBUTION_MODELS, CHANNELS, DEFAULT_ATTRIBUTION_MODEL, DIRECT } from '../../domain/vocab';
import { ApiError } from '../../lib/errors';
import { reportDay, resolveRange } from '../../schemas/reports';
import { buildCodeReport } from '../../services/code-report';
import { customersReport, emailReport, loyaltyReport } from '../../services/loyalty';
import { referralReport } from '../../services/referral-report';
import { buildReport, channelSeries } from '../../services/reports';
import { requireSession, uiRouter } from '../context';
import { splitMessage, type FieldErrors } from '../forms';
import { pivot } from '../pages/chart';
import { ReportsPage, type ReportFilter } from '../pages/reports';
import { defaultRange, reportQuery } from '../report-query';

const Filter = z.object({
  from: reportDay.optional().catch(undefined),
  to: reportDay.optional().catch(undefined),
  campaign_id: z.string().max(64).optional().catch(undefined),
  model: z.enum(ATTRIBUTION_MODELS).catch(DEFAULT_ATTRIBUTION_MODEL),
});

export const reportPages = uiRouter();

reportPages.get('/reports', requireSession('reports:read'), async (c) => {
  const raw = c.req.query();
  const parsed = Filter.parse({
    ...raw,
    from: raw.from || undefined,
    to: raw.to || undefined,
    campaign_id: raw.campaign_id || undefined,
    model: raw.model || undefined,
  });
  const errors: FieldErrors = {};
  if (raw.from && !parsed.from) errors.from = 'must be a date YYYY-MM-DD';
  if (raw.to && !parsed.to) errors.to = 'must be a date YYYY-MM-DD';
  let range: { from: string; to: string };
  try {
    range = resolveRange(parsed, c.var.now());
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    Object.assign(errors, splitMessage(error.message, ['from', 'to']));
    range = defaultRange(c.var.now());
  }
  const campaignId = parsed.campaign_id;
  const query = reportQuery(c, { ...range, campaignId, model: parsed.model });
  const db = c.var.db;
  const [campaigns, channels, devices, series, codes, loyalty, customers, email, referrals] = await Promise.all([
    listCampaigns(db, { limit: 200 }),
    buildReport(db, 'channels', query),
    buildReport(db, 'devices', query),
    channelSeries(db, query),
    buildCodeReport(db, campaignId),
    loyaltyReport(db, { ...range, campaignId }),
    customersReport(db, { ...range, campaignId }),
    emailReport(db, { ...range, campaignId, model: parsed.model }),
    referralReport(db, { ...range, campaignId }),
  ]);
  const names = new Map(campaigns.items.map((campaign) => [campaign.id, campaign.name]));
  const days: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  const order = [...CHANNELS, DIRECT] as readonly string[];
  const present = [...new Set(series.map((cell) => cell.channel))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const colours = new Map(present.map((channel) => [channel, Math.max(0, order.indexOf(channel))]));
  const filter: ReportFilter = { from: range.from, to: range.to, campaign_id: campaignId ?? '', model: parsed.model };
  const csv = (kind: string) => {
    const params = new URLSearchParams({ from: range.from, to: range.to, format: 'csv' });
    if (['channels', 'devices', 'timeseries', 'email'].includes(kind)) params.set('model', parsed.model);
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
      devices={devices.rows}
      codes={codes.rows as never}
      loyalty={loyalty.rows as never}
      referrals={referrals.rows}
      email={email.rows.map((row) => ({ ...row, campaign: names.get(row.campaign_id) ?? row.campaign_id }))}
      segments={customers.segments.map((segment) => ({ ...segment, currency: customers.currency, channels: null }))}
      chart={{ days, visits: pivot(days, series, 'visits'), conversions: pivot(days, series, 'conversions'), colours }}
      uniquesEstimated={channels.unique_visitors_estimated || devices.unique_visitors_estimated}
      totals={{
        channels: { ...channels.totals },
        devices: { ...devices.totals },
        loyalty: { ...loyalty.totals },
        customers: { ...customers.totals, currency: customers.currency, unconverted: customers.unconverted },
        referrals: { ...referrals.totals },
        email: { ...email.totals },
      }}
      missingRates={[...new Set([channels, devices, loyalty, customers, email, referrals].flatMap((report) => report.missing_rates))].sort()}
    />,
    Object.keys(errors).length > 0 ? 400 : 200,
  );
});
