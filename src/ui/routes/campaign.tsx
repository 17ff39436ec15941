/** `/campaigns/:id` in sections and its forms (links, code batches, promo codes, referral links, settings), plus session-authenticated QR images, sheet and CSV. */
import type { Context } from 'hono';
import { findCampaignById } from '../../db/campaigns';
import { listCodeBatches } from '../../db/code-batches';
import { listLinks } from '../../db/links';
import { listDomains } from '../../db/domains';
import { previewInput } from '../link-inputs';
import { listPromoCodes } from '../../db/promo-codes';
import { findReferralByCode } from '../../db/referrals';
import { normaliseHexColour } from '../../domain/qr';
import { QR_ECC_LEVELS, DEFAULT_ATTRIBUTION_MODEL } from '../../domain/vocab';
import { grants } from '../../domain/scopes';
import { notFound } from '../../lib/errors';
import { publicOrigin } from '../../lib/origin';
import { CodeBatchInput } from '../../schemas/code-batches';
import { LinkInput, linkJson } from '../../schemas/links';
import { CampaignPatch } from '../../schemas/campaigns';
import { ReferralInput, referralJson } from '../../schemas/referrals';
import { editCampaign } from '../../services/campaigns';
import { PromoInput } from '../../schemas/promo-codes';
import { linkQrResponse, QrQuery, qrSheetResponse } from '../../routes/qr';
import { codeFigures, linkFigures, noFigures } from '../../services/campaign-page';
import { batchCsvResponse, openCodeBatch } from '../../services/code-batches';
import { createLinks } from '../../services/create-links';
import { createPromotion, promoCsvResponse } from '../../services/promotions';
import { campaignKFactors, referralRows } from '../../services/referral-report';
import { createReferral } from '../../services/referrals';
import { defaultRange, reportQuery } from '../report-query';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { withIsoTimes } from '../dates';
import { formValues, runForm, toInput, toPatch, type FieldErrors, type FormValues } from '../forms';
import { noticeOf, pageRange, withNotice } from '../page-query';
import { CampaignPage, type CampaignForm, type CampaignView, type LinkRow, type Section } from '../pages/campaign';
import { campaignPath, SECTIONS } from '../pages/campaign-view';
import { describeZodError } from '../../lib/validation';
import { ROUTING_FORM_FIELDS, withRoutingInput } from '../routing-form';

const LINK_FIELDS = [
  'destination',
  'slug',
  'kind',
  'channel',
  'label',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'domain',
  'preview',
  ...ROUTING_FORM_FIELDS,
] as const;
const BATCH_FIELDS = ['count', 'prefix', 'reward', 'max_redemptions_per_code', 'starts_at', 'expires_at'] as const;
const BATCH_NUMBERS = ['count', 'max_redemptions_per_code'];
const PROMO_FIELDS = ['code', 'count', 'prefix', 'discount', 'max_redemptions', 'max_per_customer', 'min_order_value', 'starts_at', 'ends_at'] as const;
const PROMO_NUMBERS = ['count', 'max_redemptions', 'max_per_customer', 'min_order_value'];
const CAMPAIGN_EDIT_FIELDS = ['name', 'landing_url', 'description', 'starts_at', 'ends_at'] as const;
const CAMPAIGN_NULLABLE = ['landing_url', 'description', 'starts_at', 'ends_at'];
const REFERRAL_FIELDS = ['customer_ref', 'destination'] as const;
/** Fields holding a picked date and time (UTC): converted to ISO before the schema sees them. */
const TIME_FIELDS = ['starts_at', 'ends_at', 'expires_at'];

/** The section that shows a form. */
const FORM_SECTION: Record<CampaignForm, Section> = {
  link: 'links',
  editLink: 'links',
  batch: 'codes',
  promo: 'promos',
  referral: 'referrals',
  campaign: 'settings',
};

const read = requireSession('links:write', 'reports:read');
const write = requireSession('links:write');

const LINK_LIMIT = 200;
const DOMAIN_LIMIT = 200;
const CODE_LIMIT = 50;

const colour = (value: string | undefined, fallback: string) => (value && normaliseHexColour(value) ? normaliseHexColour(value)! : fallback);

const sectionOf = (value: string | undefined): Section => ((SECTIONS as readonly string[]).includes(value ?? '') ? (value as Section) : 'links');

/** Renders one section of the campaign page: it reads only what that section shows, in grouped statements (none per row). */
async function renderCampaign(c: Context<UiEnv>, id: string, status: 200 | 400 | 422, failed?: CampaignView['failed']) {
  const db = c.var.db;
  const campaign = await findCampaignById(db, id);
  if (!campaign) throw notFound('Campaign');
  const origin = publicOrigin(c);
  const section = failed ? FORM_SECTION[failed.form] : sectionOf(c.req.query('section'));
  const canRead = grants(c.var.session.scopes, 'reports:read');
  const range = pageRange(c);
  // Campaign pages report under the default rule-based model (their code figures read the stored credits).
  const query = { ...reportQuery(c, { ...range, campaignId: id }), model: DEFAULT_ATTRIBUTION_MODEL };
  const needsLinks = section === 'links' || section === 'qr';
  const needsCodes = section === 'codes' || section === 'promos';
  const referralCode = section === 'referrals' ? c.req.query('referral')?.slice(0, 64) : undefined;
  const last30 = defaultRange(c.var.now());
  const [links, figures, batches, promos, codes, referrals, created, domains] = await Promise.all([
    needsLinks ? listLinks(db, { campaignId: id, limit: LINK_LIMIT }) : null,
    section === 'links' && canRead ? linkFigures(db, query) : null,
    section === 'codes' ? listCodeBatches(db, { campaignId: id, limit: CODE_LIMIT }) : null,
    section === 'promos' ? listPromoCodes(db, { campaignId: id, limit: CODE_LIMIT }) : null,
    needsCodes && canRead ? codeFigures(db, id, query.model) : null,
    section === 'referrals' && canRead ? referralRows(db, { ...last30, campaignId: id }) : null,
    referralCode ? findReferralByCode(db, referralCode) : null,
    section === 'links' && grants(c.var.session.scopes, 'links:write') ? listDomains(db, DOMAIN_LIMIT) : null,
  ]);
  const rows: LinkRow[] = (links?.items ?? []).map((link) => {
    const json = linkJson(link, origin);
    return { link, shortUrl: json.short_url, trackedUrl: json.tracked_url, figures: figures ? (figures.byLink.get(link.id) ?? noFigures()) : null };
  });
  const chosen = rows.find((row) => row.link.id === c.req.query('link')) ?? rows[0];
  const size = Number(c.req.query('size'));
  const ecc = c.req.query('ecc') ?? 'M';
  const view: CampaignView = {
    lang: c.var.lang,
    t: c.var.t,
    fmt: c.var.fmt,
    csrf: c.var.csrf,
    admin: grants(c.var.session.scopes, 'admin'),
    canWrite: grants(c.var.session.scopes, 'links:write'),
    canRead,
    campaign,
    section,
    notice: noticeOf(c),
    range,
    model: query.model,
    uniquesEstimated: figures?.estimated ?? false,
    links: rows,
    domains: (domains?.items ?? []).map((domain) => domain.hostname),
    batches: (batches?.items ?? []).map((batch) => ({ batch, figures: codes ? (codes.batches.get(batch.id) ?? zeroCodes()) : null })),
    promos: (promos?.items ?? []).map((promo) => ({ promo, figures: codes ? (codes.promos.get(promo.id) ?? zeroCodes()) : null })),
    referrals:
      section === 'referrals'
        ? {
            report: referrals && {
              rows: referrals,
              kFactor: campaignKFactors(referrals)[0]?.k_factor ?? 0,
              csv: `/reports/data/referrals?${new URLSearchParams({ ...last30, campaign_id: id, format: 'csv' })}`,
            },
            created: created && created.campaignId === id ? { code: created.code, url: referralJson(origin, created).url } : null,
          }
        : null,
    qr:
      section === 'qr' && chosen
        ? {
            link: chosen,
            options: {
              size: Number.isInteger(size) && size >= 64 && size <= 2048 ? size : 256,
              ecc: (QR_ECC_LEVELS as readonly string[]).includes(ecc) ? ecc : 'M',
              fg: colour(c.req.query('fg'), '#000000'),
              bg: colour(c.req.query('bg'), '#ffffff'),
            },
          }
        : null,
    // `?edit=<link id>` opens a link's form; a failed edit post shows it again.
    editing: rows.find((row) => row.link.id === (c.req.query('edit') ?? c.req.param('linkId'))) ?? null,
    failed,
  };
  return c.html(<CampaignPage {...view} />, status);
}

const zeroCodes = () => ({ entered: 0, accepted: 0, redeemedCodes: 0, conversions: 0, revenue: { revenue: 0, currency: null, unconverted: [] } });

/** Runs one of the campaign's forms; on failure the page again with the errors, on success back to its section (POST-redirect-GET). */
export async function campaignForm(
  c: Context<UiEnv>,
  form: CampaignForm,
  run: (id: string, values: FormValues) => Promise<{ ok: true; value: unknown } | { ok: false; errors: FieldErrors }>,
  after: (value: unknown, id: string) => string = (_value, id) => campaignPath(id, FORM_SECTION[form]),
) {
  const id = c.req.param('id')!;
  const values = formValues(await readForm(c));
  const outcome = await run(id, values);
  if (!outcome.ok) return renderCampaign(c, id, 400, { form, values, errors: outcome.errors });
  return redirectLocal(c, after(outcome.value, id));
}

export { renderCampaign };

export const campaignPage = uiRouter();

campaignPage.get('/campaigns/:id', read, (c) => renderCampaign(c, c.req.param('id'), 200));

campaignPage.post('/campaigns/:id/links', write, (c) =>
  campaignForm(
    c,
    'link',
    (id, values) =>
      withRoutingInput({ ...toInput(values, LINK_FIELDS), ...previewInput(values), campaign_id: id }, c.var.t, (input) =>
        runForm(LinkInput, input, LINK_FIELDS, async (link) => {
          const [created] = await createLinks(c.var.db, [link], c.var.now(), false);
          return created.id;
        }),
      ),
    (linkId, id) => `${campaignPath(id, 'qr', { link: String(linkId) })}#qr`,
  ),
);

campaignPage.post('/campaigns/:id/code-batches', write, (c) =>
  campaignForm(c, 'batch', (id, values) =>
    runForm(CodeBatchInput, { ...toInput(withIsoTimes(values, TIME_FIELDS), BATCH_FIELDS, BATCH_NUMBERS), campaign_id: id }, BATCH_FIELDS, (input) =>
      openCodeBatch(c.var.db, input, c.var.now, c.env, (work) => c.executionCtx.waitUntil(work)),
    ),
  ),
);

campaignPage.post('/campaigns/:id/promo-codes', write, (c) =>
  campaignForm(c, 'promo', (id, values) =>
    runForm(PromoInput, { ...toInput(withIsoTimes(values, TIME_FIELDS), PROMO_FIELDS, PROMO_NUMBERS), campaign_id: id }, PROMO_FIELDS, (input) =>
      createPromotion(c.var.db, input, c.var.now()),
    ),
  ),
);

campaignPage.post('/campaigns/:id/referrals', write, (c) =>
  campaignForm(
    c,
    'referral',
    (id, values) =>
      runForm(ReferralInput, { ...toInput(values, REFERRAL_FIELDS), campaign_id: id }, REFERRAL_FIELDS, async (input) => {
        const { referral } = await createReferral(
          c.var.db,
          c.env,
          { campaignId: input.campaign_id, customerRef: input.customer_ref, destination: input.destination ?? null },
          c.var.now(),
        );
        return referral.code;
      }),
    (code, id) => `${campaignPath(id, 'referrals', { referral: String(code) })}#new-referral`,
  ),
);

campaignPage.post('/campaigns/:id/edit', write, (c) =>
  campaignForm(
    c,
    'campaign',
    (id, values) =>
      runForm(CampaignPatch, toPatch(withIsoTimes(values, TIME_FIELDS), CAMPAIGN_EDIT_FIELDS, CAMPAIGN_NULLABLE), CAMPAIGN_EDIT_FIELDS, (patch) =>
        editCampaign(c.var.db, id, patch, c.var.now()),
      ),
    (_value, id) => withNotice(campaignPath(id, 'settings'), 'saved'),
  ),
);

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
