/** `/campaigns/:id` and its forms (links, code batches, promo codes), plus session-authenticated QR images, sheet and CSV. */
import type { Context } from 'hono';
import { findCampaignById } from '../../db/campaigns';
import { listCodeBatches } from '../../db/code-batches';
import { findLinkById, linksStats, listLinks } from '../../db/links';
import { listPromoCodes } from '../../db/promo-codes';
import { normaliseHexColour } from '../../domain/qr';
import { QR_ECC_LEVELS } from '../../domain/vocab';
import { grants } from '../../domain/scopes';
import { notFound } from '../../lib/errors';
import { publicOrigin } from '../../lib/origin';
import { CodeBatchInput } from '../../schemas/code-batches';
import { LinkInput, linkJson, LinkPatch } from '../../schemas/links';
import { CampaignPatch } from '../../schemas/campaigns';
import { editCampaign } from '../../services/campaigns';
import { archiveLink, editLink, restoreLink } from '../../services/edit-link';
import { PromoInput } from '../../schemas/promo-codes';
import { linkQrResponse, QrQuery, qrSheetResponse } from '../../routes/qr';
import { batchCsvResponse, openCodeBatch } from '../../services/code-batches';
import { createLinks } from '../../services/create-links';
import { createPromotion, promoCsvResponse } from '../../services/promotions';
import { campaignKFactors, referralRows } from '../../services/referral-report';
import { exactVisitorsLimitSetting } from '../../services/reports';
import { defaultRange } from '../report-query';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, toInput, toPatch, type FieldErrors, type FormValues } from '../forms';
import { CampaignPage, type CampaignForm, type CampaignView, type LinkRow } from '../pages/campaign';
import { describeZodError } from '../../lib/validation';

const LINK_FIELDS = ['destination', 'slug', 'kind', 'channel', 'label', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
const BATCH_FIELDS = ['count', 'prefix', 'reward', 'max_redemptions_per_code', 'starts_at', 'expires_at'] as const;
const BATCH_NUMBERS = ['count', 'max_redemptions_per_code'];
const PROMO_FIELDS = ['code', 'count', 'prefix', 'discount', 'max_redemptions', 'max_per_customer', 'min_order_value', 'starts_at', 'ends_at'] as const;
const PROMO_NUMBERS = ['count', 'max_redemptions', 'max_per_customer', 'min_order_value'];
const CAMPAIGN_EDIT_FIELDS = ['name', 'landing_url', 'description', 'starts_at', 'ends_at'] as const;
const CAMPAIGN_NULLABLE = ['landing_url', 'description', 'starts_at', 'ends_at'];
const LINK_EDIT_FIELDS = ['destination', 'label', 'expires_at'] as const;
const LINK_NULLABLE = ['label', 'expires_at'];

const read = requireSession('links:write', 'reports:read');
const write = requireSession('links:write');

const colour = (value: string | undefined, fallback: string) => (value && normaliseHexColour(value) ? normaliseHexColour(value)! : fallback);

async function renderCampaign(c: Context<UiEnv>, id: string, status: 200 | 400, failed?: CampaignView['failed']) {
  const db = c.var.db;
  const campaign = await findCampaignById(db, id);
  if (!campaign) throw notFound('Campaign');
  const origin = publicOrigin(c);
  const range = defaultRange(c.var.now());
  const canRead = grants(c.var.session.scopes, 'reports:read');
  const [links, batches, promos, referrals] = await Promise.all([
    listLinks(db, { campaignId: id, limit: 200 }),
    listCodeBatches(db, { campaignId: id, limit: 50 }),
    listPromoCodes(db, { campaignId: id, limit: 50 }),
    canRead ? referralRows(db, { ...range, campaignId: id }) : Promise.resolve(null),
  ]);
  const stats = await linksStats(
    db,
    links.items.map((link) => link.id),
    exactVisitorsLimitSetting(c.env),
  );
  const rows: LinkRow[] = links.items.map((link) => {
    const json = linkJson(link, origin);
    return { link, shortUrl: json.short_url, trackedUrl: json.tracked_url, stats: stats.get(link.id)! };
  });
  const chosen = rows.find((row) => row.link.id === c.req.query('link')) ?? rows[0];
  const size = Number(c.req.query('size'));
  const ecc = c.req.query('ecc') ?? 'M';
  const qr = chosen && {
    link: chosen,
    options: {
      size: Number.isInteger(size) && size >= 64 && size <= 2048 ? size : 256,
      ecc: (QR_ECC_LEVELS as readonly string[]).includes(ecc) ? ecc : 'M',
      fg: colour(c.req.query('fg'), '#000000'),
      bg: colour(c.req.query('bg'), '#ffffff'),
    },
  };
  const view: CampaignView = {
    lang: c.var.lang,
    t: c.var.t,
    fmt: c.var.fmt,
    csrf: c.var.csrf,
    admin: grants(c.var.session.scopes, 'admin'),
    canWrite: grants(c.var.session.scopes, 'links:write'),
    campaign,
    links: rows,
    batches: batches.items,
    promos: promos.items,
    referrals: referrals && {
      rows: referrals,
      kFactor: campaignKFactors(referrals)[0]?.k_factor ?? 0,
      csv: `/reports/data/referrals?${new URLSearchParams({ ...range, campaign_id: id, format: 'csv' })}`,
    },
    qr: qr ?? null,
    // `?edit=<link id>` opens a link's form; a failed edit post shows it again.
    editing: rows.find((row) => row.link.id === (c.req.query('edit') ?? c.req.param('linkId'))) ?? null,
    failed,
  };
  return c.html(<CampaignPage {...view} />, status);
}

/** Runs one of the campaign's forms; on failure the page again with the errors, on success back to it (POST-redirect-GET). */
async function campaignForm(
  c: Context<UiEnv>,
  form: CampaignForm,
  run: (id: string, values: FormValues) => Promise<{ ok: true; value: unknown } | { ok: false; errors: FieldErrors }>,
  after: (value: unknown) => string = () => '',
) {
  const id = c.req.param('id')!;
  const values = formValues(await readForm(c));
  const outcome = await run(id, values);
  if (!outcome.ok) return renderCampaign(c, id, 400, { form, values, errors: outcome.errors });
  return redirectLocal(c, `/campaigns/${encodeURIComponent(id)}${after(outcome.value)}`);
}

export const campaignPage = uiRouter();

campaignPage.get('/campaigns/:id', read, (c) => renderCampaign(c, c.req.param('id'), 200));

campaignPage.post('/campaigns/:id/links', write, (c) =>
  campaignForm(
    c,
    'link',
    (id, values) =>
      runForm(LinkInput, { ...toInput(values, LINK_FIELDS), campaign_id: id }, LINK_FIELDS, async (input) => {
        const [link] = await createLinks(c.var.db, [input], c.var.now(), false);
        return link.id;
      }),
    (linkId) => `?link=${encodeURIComponent(String(linkId))}#qr`,
  ),
);

campaignPage.post('/campaigns/:id/code-batches', write, (c) =>
  campaignForm(c, 'batch', (id, values) =>
    runForm(CodeBatchInput, { ...toInput(values, BATCH_FIELDS, BATCH_NUMBERS), campaign_id: id }, BATCH_FIELDS, (input) =>
      openCodeBatch(c.var.db, input, c.var.now, c.env, (work) => c.executionCtx.waitUntil(work)),
    ),
  ),
);

campaignPage.post('/campaigns/:id/promo-codes', write, (c) =>
  campaignForm(c, 'promo', (id, values) =>
    runForm(PromoInput, { ...toInput(values, PROMO_FIELDS, PROMO_NUMBERS), campaign_id: id }, PROMO_FIELDS, (input) =>
      createPromotion(c.var.db, input, c.var.now()),
    ),
  ),
);

campaignPage.post('/campaigns/:id/edit', write, (c) =>
  campaignForm(c, 'campaign', (id, values) =>
    runForm(CampaignPatch, toPatch(values, CAMPAIGN_EDIT_FIELDS, CAMPAIGN_NULLABLE), CAMPAIGN_EDIT_FIELDS, (patch) =>
      editCampaign(c.var.db, id, patch, c.var.now()),
    ),
  ),
);

/** The link `linkId` when it belongs to campaign `id`; else 404. */
async function linkOfCampaign(c: Context<UiEnv>, id: string, linkId: string) {
  const link = await findLinkById(c.var.db, linkId);
  if (!link || link.campaignId !== id) throw notFound('Link');
  return link;
}

campaignPage.post('/campaigns/:id/links/:linkId/edit', write, async (c) => {
  await linkOfCampaign(c, c.req.param('id'), c.req.param('linkId'));
  return campaignForm(
    c,
    'editLink',
    (_id, values) =>
      runForm(LinkPatch, toPatch(values, LINK_EDIT_FIELDS, LINK_NULLABLE), LINK_EDIT_FIELDS, (patch) =>
        editLink(c.var.db, c.req.param('linkId'), patch, c.var.now()),
      ),
    () => `?edit=${encodeURIComponent(c.req.param('linkId'))}#edit-link`,
  );
});

campaignPage.post('/campaigns/:id/links/:linkId/archive', write, async (c) => {
  await linkOfCampaign(c, c.req.param('id'), c.req.param('linkId'));
  await archiveLink(c.var.db, c.req.param('linkId'), c.var.now());
  return redirectLocal(c, `/campaigns/${encodeURIComponent(c.req.param('id'))}`);
});

campaignPage.post('/campaigns/:id/links/:linkId/restore', write, async (c) => {
  await linkOfCampaign(c, c.req.param('id'), c.req.param('linkId'));
  await restoreLink(c.var.db, c.req.param('linkId'), c.var.now());
  return redirectLocal(c, `/campaigns/${encodeURIComponent(c.req.param('id'))}`);
});

campaignPage.get('/links/:id/qr', read, async (c) => {
  const parsed = QrQuery.safeParse(c.req.query());
  if (!parsed.success) return c.text(describeZodError(parsed.error), 400);
  const response = await linkQrResponse(c.var.db, publicOrigin(c), c.req.param('id'), parsed.data, c.req.header('If-None-Match'));
  if (c.req.query('download') === '1') {
    response.headers.set('Content-Disposition', (response.headers.get('Content-Disposition') ?? '').replace(/^inline/, 'attachment'));
  }
  return response;
});

campaignPage.get('/campaigns/:id/qr-sheet', read, async (c) => {
  const response = await qrSheetResponse(c.var.db, publicOrigin(c), c.req.param('id'));
  // The sheet carries its own inline print styles: allow those, nothing else.
  response.headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'");
  return response;
});

campaignPage.get('/codes/batches/:id/codes.csv', write, (c) => batchCsvResponse(c.var.db, publicOrigin(c), c.req.param('id')));

campaignPage.get('/codes/promos/:id/codes.csv', write, (c) => promoCsvResponse(c.var.db, c.req.param('id')));
