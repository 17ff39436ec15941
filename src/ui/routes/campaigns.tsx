/** `/campaigns`: the campaign list, creating and archiving campaigns. */
import { replicaOf } from '../../db/client';
import type { Context } from 'hono';
import { findCampaignById, listCampaigns } from '../../db/campaigns';
import { grants } from '../../domain/scopes';
import { CampaignInput } from '../../schemas/campaigns';
import { archiveCampaign, createCampaign, restoreCampaign } from '../../services/campaigns';
import { buildReport } from '../../services/reports';
import type { ReportValue } from '../../services/report-metrics';
import { campaignReach } from '../../services/campaign-page';
import { notFound } from '../../lib/errors';
import { fill } from '../texts';
import { noticeOf, withNotice } from '../page-query';
import { campaignPath } from '../pages/campaign-view';
import { ConfirmPage } from '../pages/confirm';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, toInput, type FieldErrors, type FormValues } from '../forms';
import { CampaignsPage, type CampaignRow } from '../pages/campaigns';
import { defaultRange, reportQuery, totals } from '../report-query';

const CAMPAIGN_FIELDS = ['name', 'utm_campaign', 'landing_url', 'description'] as const;
const PAGE_SIZE = 50;

async function renderList(c: Context<UiEnv>, status: 200 | 400 | 409 | 422, values?: FormValues, errors?: FieldErrors) {
  const scopes = c.var.session.scopes;
  const page = await listCampaigns(c.var.db, { limit: PAGE_SIZE, cursor: c.req.query('cursor') || undefined });
  const byCampaign = new Map<string, Array<Record<string, ReportValue>>>();
  if (grants(scopes, 'reports:read')) {
    const report = await buildReport(replicaOf(c.var.db), 'campaigns', reportQuery(c, defaultRange(c.var.now())));
    for (const row of report.rows) byCampaign.set(String(row.campaign_id), [...(byCampaign.get(String(row.campaign_id)) ?? []), row]);
  }
  const rows: CampaignRow[] = page.items.map((campaign) => ({
    campaign,
    stats: grants(scopes, 'reports:read') ? totals(byCampaign.get(campaign.id) ?? []) : undefined,
  }));
  return c.html(
    <CampaignsPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(scopes, 'admin')}
      canWrite={grants(scopes, 'links:write')}
      rows={rows}
      nextCursor={page.nextCursor}
      values={values}
      errors={errors}
      notice={noticeOf(c)}
    />,
    status,
  );
}

export const campaignPages = uiRouter();

campaignPages.get('/campaigns', requireSession('links:write', 'reports:read'), (c) => renderList(c, 200));

campaignPages.post('/campaigns', requireSession('links:write'), async (c) => {
  const values = formValues(await readForm(c));
  const outcome = await runForm(CampaignInput, toInput(values, CAMPAIGN_FIELDS), CAMPAIGN_FIELDS, (input) => createCampaign(c.var.db, input, c.var.now()));
  if (!outcome.ok) return renderList(c, 400, values, outcome.errors);
  return redirectLocal(c, `/campaigns/${encodeURIComponent(outcome.value.id)}`);
});

// Archiving asks first: the page counts what will answer 'expired' (links, printed QR codes, action and promo codes, referral links) and says it can be restored.
campaignPages.get('/campaigns/:id/archive', requireSession('links:write'), async (c) => {
  const id = c.req.param('id');
  const back = backOf(c.req.query('back'));
  const campaign = await findCampaignById(c.var.db, id);
  if (!campaign) throw notFound('Campaign');
  if (campaign.status === 'archived') return redirectLocal(c, back === 'list' ? '/campaigns' : campaignPath(id, 'settings'));
  const reach = await campaignReach(c.var.db, id);
  const { t, fmt } = c.var;
  const n = (value: number) => fmt.num(value);
  const consequences = [
    reach.links === 0 ? t.cpArchiveLinksNone : fill(t.cpArchiveLinks, { links: n(reach.links), scanned: n(reach.scannedLinks) }),
    ...(reach.codes > 0 ? [fill(t.cpArchiveCodes, { codes: n(reach.codes), batches: n(reach.batches) })] : []),
    ...(reach.promos > 0 ? [fill(t.cpArchivePromos, { promos: n(reach.promos) })] : []),
    ...(reach.referrals > 0 ? [fill(t.cpArchiveReferrals, { referrals: n(reach.referrals) })] : []),
    t.cpArchiveKeepsData,
  ];
  return c.html(
    <ConfirmPage
      lang={c.var.lang}
      t={t}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      path={`/campaigns/${id}/archive`}
      question={fill(t.cpConfirmArchiveCampaign, { name: campaign.name })}
      consequences={consequences}
      undo={t.cpArchiveCanRestore}
      action={`/campaigns/${id}/archive?back=${back}`}
      confirm={t.cpConfirmArchive}
      cancel={back === 'list' ? '/campaigns' : campaignPath(id, 'settings')}
    />,
  );
});

campaignPages.post('/campaigns/:id/archive', requireSession('links:write'), async (c) => {
  const id = c.req.param('id');
  await archiveCampaign(c.var.db, id, c.var.now());
  return redirectLocal(c, withNotice(backOf(c.req.query('back')) === 'list' ? '/campaigns' : campaignPath(id, 'settings'), 'archived'));
});

campaignPages.post('/campaigns/:id/restore', requireSession('links:write'), async (c) => {
  const id = c.req.param('id');
  await restoreCampaign(c.var.db, id, c.var.now());
  const back = backOf((await readForm(c)).back);
  return redirectLocal(c, withNotice(back === 'list' ? '/campaigns' : campaignPath(id, 'settings'), 'restored'));
});

/** Where an archive or restore goes back to: the campaign list, or the campaign's own page. */
const backOf = (value: unknown): 'list' | 'campaign' => (value === 'campaign' ? 'campaign' : 'list');
