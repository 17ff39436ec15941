/** A campaign's link: its own page, its edit form's post, archiving it (after a confirm step) and restoring it. */
import type { Context } from 'hono';
import { findCampaignById } from '../../db/campaigns';
import { findLinkById } from '../../db/links';
import { linkStats } from '../../db/link-stats';
import { ATTRIBUTED_CHANNELS, DEFAULT_ATTRIBUTION_MODEL } from '../../domain/vocab';
import { grants } from '../../domain/scopes';
import { notFound } from '../../lib/errors';
import { publicOrigin } from '../../lib/origin';
import { LinkPatch, linkJson } from '../../schemas/links';
import { linkReport } from '../../services/campaign-page';
import { archiveLink, editLink, restoreLink } from '../../services/edit-link';
import { exactVisitorsLimitSetting } from '../../services/report-metrics';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { withIsoTimes } from '../dates';
import { runForm, toPatch } from '../forms';
import { previewPatch } from '../link-inputs';
import { daysOf, noticeOf, pageRange, withNotice } from '../page-query';
import { reportQuery } from '../report-query';
import { fill, vocabName } from '../texts';
import { campaignPath } from '../pages/campaign-view';
import { pivot } from '../pages/chart';
import { ConfirmPage } from '../pages/confirm';
import { LinkPage } from '../pages/link-page';
import { linkRoutingReport } from '../../services/link-routing-report';
import { ROUTING_FORM_FIELDS, withRoutingInput } from '../routing-form';
import { campaignForm } from './campaign';

const LINK_EDIT_FIELDS = ['destination', 'label', 'expires_at', 'domain', 'preview', ...ROUTING_FORM_FIELDS] as const;
const LINK_NULLABLE = ['label', 'expires_at', 'domain', ...ROUTING_FORM_FIELDS];

const read = requireSession('links:write', 'reports:read');
const write = requireSession('links:write');

/** The link `linkId` when it belongs to campaign `id`; else 404. */
async function linkOfCampaign(c: Context<UiEnv>, id: string, linkId: string) {
  const link = await findLinkById(c.var.db, linkId);
  if (!link || link.campaignId !== id) throw notFound('Link');
  return link;
}

const linkPagePath = (id: string, linkId: string) => `/campaigns/${id}/links/${linkId}`;

export const campaignLinks = uiRouter();

campaignLinks.get('/campaigns/:id/links/:linkId', read, async (c) => {
  const id = c.req.param('id');
  const [campaign, link] = await Promise.all([findCampaignById(c.var.db, id), linkOfCampaign(c, id, c.req.param('linkId'))]);
  if (!campaign) throw notFound('Campaign');
  const json = linkJson(link, publicOrigin(c));
  const range = pageRange(c);
  const query = { ...reportQuery(c, { ...range, campaignId: id }), linkId: link.id, model: DEFAULT_ATTRIBUTION_MODEL };
  const canRead = grants(c.var.session.scopes, 'reports:read');
  const report = canRead ? await linkReport(c.var.db, query, c.env.ARCHIVE ?? null) : null;
  const hasRouting = !!(link.rules?.length || link.variants?.length || link.maxClicks !== null || link.fallbackUrl !== null);
  const routing = canRead && hasRouting ? await linkRoutingReport(c.var.db, link) : null;
  const t = c.var.t;
  let chart = null;
  if (report) {
    const days = daysOf(range);
    const order: readonly string[] = ATTRIBUTED_CHANNELS;
    const named = report.series.map((cell) => ({ ...cell, channel: vocabName(t, 'channel', cell.channel) }));
    const present = [...new Set(report.series.map((cell) => cell.channel))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const colours = new Map(present.map((channel) => [vocabName(t, 'channel', channel), Math.max(0, order.indexOf(channel))]));
    chart = { days, visits: pivot(days, named, 'visits'), conversions: pivot(days, named, 'conversions'), colours };
  }
  return c.html(
    <LinkPage
      lang={c.var.lang}
      t={t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      canWrite={grants(c.var.session.scopes, 'links:write')}
      campaign={campaign}
      row={{ link, shortUrl: json.short_url, trackedUrl: json.tracked_url, figures: report?.figures ?? null }}
      notice={noticeOf(c)}
      range={range}
      model={query.model}
      report={report}
      routing={routing}
      chart={chart}
    />,
  );
});

campaignLinks.post('/campaigns/:id/links/:linkId/edit', write, async (c) => {
  await linkOfCampaign(c, c.req.param('id'), c.req.param('linkId'));
  return campaignForm(
    c,
    'editLink',
    (_id, values) =>
      withRoutingInput({ ...toPatch(withIsoTimes(values, ['expires_at']), LINK_EDIT_FIELDS, LINK_NULLABLE), ...previewPatch(values) }, c.var.t, (input) =>
        runForm(LinkPatch, input, LINK_EDIT_FIELDS, (patch) => editLink(c.var.db, c.req.param('linkId'), patch, c.var.now())),
      ),
    (_value, id) => `${campaignPath(id, 'links', { edit: c.req.param('linkId') })}#edit-link`,
  );
});

// Archiving asks first: the page says what stops (the short URL and its printed QR code answer 410) and that it can be restored.
campaignLinks.get('/campaigns/:id/links/:linkId/archive', write, async (c) => {
  const id = c.req.param('id');
  const link = await linkOfCampaign(c, id, c.req.param('linkId'));
  const base = linkPagePath(id, link.id);
  if (link.status === 'archived') return redirectLocal(c, base);
  const { short_url } = linkJson(link, publicOrigin(c));
  const stats = await linkStats(c.var.db, link.id, exactVisitorsLimitSetting(c.env));
  const { t, fmt } = c.var;
  return c.html(
    <ConfirmPage
      lang={c.var.lang}
      t={t}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      path={`${base}/archive`}
      question={fill(t.cpConfirmArchiveLink, { link: short_url })}
      consequences={[
        fill(t.cpArchiveLinkGone, { link: short_url, destination: link.destination }),
        fill(t.cpArchiveLinkScans, { clicks: fmt.num(stats.clicks), scans: fmt.num(stats.scans) }),
        t.cpArchiveKeepsData,
      ]}
      undo={t.cpArchiveLinkRestore}
      action={`${base}/archive`}
      confirm={t.cpConfirmArchive}
      cancel={base}
    />,
  );
});

campaignLinks.post('/campaigns/:id/links/:linkId/archive', write, async (c) => {
  const id = c.req.param('id');
  await linkOfCampaign(c, id, c.req.param('linkId'));
  await archiveLink(c.var.db, c.req.param('linkId'), c.var.now());
  return redirectLocal(c, withNotice(linkPagePath(id, c.req.param('linkId')), 'link-archived'));
});

campaignLinks.post('/campaigns/:id/links/:linkId/restore', write, async (c) => {
  const id = c.req.param('id');
  await linkOfCampaign(c, id, c.req.param('linkId'));
  const back = (await readForm(c)).back === 'link' ? linkPagePath(id, c.req.param('linkId')) : campaignPath(id, 'links', { edit: c.req.param('linkId') });
  await restoreLink(c.var.db, c.req.param('linkId'), c.var.now());
  return redirectLocal(c, withNotice(back, 'link-restored'));
});
