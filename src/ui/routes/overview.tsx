/** `/`: the overview for sessions that may read reports (others land on the campaign list). */
import { replicaOf } from '../../db/client';
import { findLabels } from '../../db/report-rollups';
import { grants } from '../../domain/scopes';
import { ATTRIBUTED_CHANNELS, DEVICE_CLASSES } from '../../domain/vocab';
import { buildOverview } from '../../services/overview';
import { redirectLocal, requireSession, uiRouter } from '../context';
import { OVERVIEW_FILTERS, OverviewPage, type OverviewView } from '../pages/overview';
import { holdsToday } from '../ranges';
import { oneOf, pageParams, pageRange, pageView, queryId, reportQuery } from '../report-query';
import { vocabName } from '../texts/index';

export const overviewPage = uiRouter();

overviewPage.get('/', requireSession('links:write', 'reports:read'), async (c) => {
  const scopes = c.var.session.scopes;
  if (!grants(scopes, 'reports:read')) return redirectLocal(c, '/campaigns', 302);
  const raw = c.req.query();
  const now = c.var.now();
  const range = pageRange(raw, now);
  const view = pageView(raw);
  const { model, metric, hidden } = view;
  const campaignId = queryId(raw.campaign_id);
  const linkId = queryId(raw.link_id);
  const channel = oneOf(ATTRIBUTED_CHANNELS, raw.channel);
  const device = oneOf(DEVICE_CLASSES, raw.device);
  // One origin at a time: a country, else a referring host (as stored: an upper-case code, a host name).
  const country = raw.country && /^[A-Z0-9]{2}$/.test(raw.country) ? raw.country : undefined;
  const referrer = !country && raw.referrer && /^[\w.-]{1,253}$/.test(raw.referrer) ? raw.referrer : undefined;
  const origin = country ? { facet: 'country' as const, value: country } : referrer ? { facet: 'referrer' as const, value: referrer } : undefined;
  const query = { ...reportQuery(c, { from: range.from, to: range.to, campaignId, model }), linkId, channel, deviceClass: device, origin };
  const [overview, labels] = await Promise.all([
    buildOverview(replicaOf(c.var.db), query),
    findLabels(c.var.db, campaignId ? [campaignId] : [], linkId ? [linkId] : []),
  ]);
  const t = c.var.t;
  const fmt = c.var.fmt;
  const values: Record<(typeof OVERVIEW_FILTERS)[number], string | undefined> = {
    campaign_id: campaignId,
    link_id: linkId,
    channel,
    device,
    country,
    referrer,
  };
  const label: Record<(typeof OVERVIEW_FILTERS)[number], (value: string) => string> = {
    campaign_id: (value) => labels.campaigns.get(value) ?? value,
    link_id: (value) => labels.links.get(value) ?? value,
    channel: (value) => vocabName(t, 'channel', value),
    device: (value) => vocabName(t, 'device', value),
    country: (value) => fmt.country(value),
    referrer: (value) => value,
  };
  const filters: OverviewView['filters'] = OVERVIEW_FILTERS.filter((key) => values[key] !== undefined).map((key) => ({ key, label: label[key](values[key]!) }));
  const params = pageParams(range, view, values);
  return c.html(
    <OverviewPage
      lang={c.var.lang}
      t={t}
      fmt={fmt}
      csrf={c.var.csrf}
      admin={grants(scopes, 'admin')}
      params={params}
      preset={range.preset}
      errors={range.errors}
      filters={filters}
      model={model}
      metric={metric}
      hidden={hidden}
      partialLast={holdsToday(range, now)}
      overview={overview}
    />,
    Object.keys(range.errors).length > 0 ? 400 : 200,
  );
});
