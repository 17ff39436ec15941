/** `/` and `/campaigns`: the campaign list, creating and archiving campaigns. */
import type { Context } from 'hono';
import { listCampaigns } from '../../db/campaigns';
import { grants } from '../../domain/scopes';
import { CampaignInput } from '../../schemas/campaigns';
import { archiveCampaign, createCampaign, restoreCampaign } from '../../services/campaigns';
import { buildReport, type ReportValue } from '../../services/reports';
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
    const report = await buildReport(c.var.db, 'campaigns', reportQuery(c, defaultRange(c.var.now())));
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
    />,
    status,
  );
}

export const campaignPages = uiRouter();

campaignPages.get('/', requireSession('links:write', 'reports:read'), (c) => renderList(c, 200));

campaignPages.post('/campaigns', requireSession('links:write'), async (c) => {
  const values = formValues(await readForm(c));
  const outcome = await runForm(CampaignInput, toInput(values, CAMPAIGN_FIELDS), CAMPAIGN_FIELDS, (input) => createCampaign(c.var.db, input, c.var.now()));
  if (!outcome.ok) return renderList(c, 400, values, outcome.errors);
  return redirectLocal(c, `/campaigns/${encodeURIComponent(outcome.value.id)}`);
});

campaignPages.post('/campaigns/:id/archive', requireSession('links:write'), async (c) => {
  await archiveCampaign(c.var.db, c.req.param('id'), c.var.now());
  return redirectLocal(c, '/');
});

campaignPages.post('/campaigns/:id/restore', requireSession('links:write'), async (c) => {
  await restoreCampaign(c.var.db, c.req.param('id'), c.var.now());
  return redirectLocal(c, '/');
});
