/**
 * QR images of links and the printable QR sheet of a campaign. Mounted at /api/v1.
 * Serving an image never logs a touch: only a phone opening the encoded `short_url?qr=1` does.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findCampaignById } from '../db/campaigns';
import type { Db } from '../db/client';
import { findLinkById, listLinks, type LinkWithCampaign } from '../db/links';
import { colourProblem, normaliseHexColour, QR_DEFAULT_BG, QR_DEFAULT_FG, QR_MARGIN, QR_SIZE, qrMatrix, renderSvg } from '../domain/qr';
import { QR_ECC_LEVELS, QR_FORMATS } from '../domain/vocab';
import { ApiError, notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { etagMatches, QR_CONTENT_TYPES, qrEtag, renderQrImage } from '../services/qr-image';
import { createRouter } from '../lib/validation';
import { authErrors, ErrorSchema, IdParam, notFoundError } from '../schemas/common';
import { qrSheetPage } from '../views/qr-sheet';
import { linkJson } from '../schemas/links';

/** Browsers may reuse an image for a day; the ETag makes revalidation cheap after that. */
const QR_MAX_AGE_SECONDS = 86_400;
/** Most cards on one sheet (about 84 A4 pages). */
const MAX_SHEET_LINKS = 1000;

const hexColour = (fallback: string) =>
  z
    .string()
    .max(16)
    .default(fallback)
    .transform((value, ctx) => {
      const colour = normaliseHexColour(value);
      if (colour) return colour;
      ctx.addIssue({ code: 'custom', message: 'must be a hex colour: #rgb or #rrggbb (send # as %23, or leave it out)' });
      return z.NEVER;
    });

export const QrQuery = z.object({
  format: z.enum(QR_FORMATS).default('svg'),
  size: z.coerce.number().int().min(QR_SIZE.min).max(QR_SIZE.max).default(QR_SIZE.default),
  margin: z.coerce.number().int().min(QR_MARGIN.min).max(QR_MARGIN.max).default(QR_MARGIN.default),
  ecc: z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(QR_ECC_LEVELS)).default('M'),
  fg: hexColour(QR_DEFAULT_FG),
  bg: hexColour(QR_DEFAULT_BG),
});

/** What a QR code encodes: the link's short URL marked as a scan. */
const scanUrl = (link: LinkWithCampaign, origin: string): string => `${linkJson(link, origin).short_url}?qr=1`;

/** The QR image of link `id`; 304 when `ifNoneMatch` matches its ETag. Shared by the API and the dashboard. */
export async function linkQrResponse(db: Db, origin: string, id: string, options: z.infer<typeof QrQuery>, ifNoneMatch: string | undefined): Promise<Response> {
  const problem = colourProblem(options.fg, options.bg);
  if (problem) throw new ApiError('validation_error', problem);
  const link = await findLinkById(db, id);
  if (!link) throw notFound('Link');

  const request = { ...options, text: scanUrl(link, origin) };
  const etag = await qrEtag(request);
  const headers = { ETag: etag, 'Cache-Control': `private, max-age=${QR_MAX_AGE_SECONDS}` };
  if (etagMatches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });

  const body = await renderQrImage(request);
  return new Response(body, {
    status: 200,
    headers: {
      ...headers,
      'Content-Type': QR_CONTENT_TYPES[options.format],
      'Content-Disposition': `inline; filename="${link.slug}-qr.${options.format}"`,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The printable A4 sheet of a campaign's QR codes. Shared by the API and the dashboard. */
export async function qrSheetResponse(db: Db, origin: string, id: string): Promise<Response> {
  const campaign = await findCampaignById(db, id);
  if (!campaign) throw notFound('Campaign');
  const { links, qrOnly, truncated } = await sheetLinks(db, campaign.id);
  const style = { size: 256, margin: QR_MARGIN.default, fg: QR_DEFAULT_FG, bg: QR_DEFAULT_BG };
  const cards = links.map((link) => ({
    slug: link.slug,
    label: link.label,
    shortUrl: linkJson(link, origin).short_url,
    svg: renderSvg(qrMatrix(scanUrl(link, origin), 'M'), style, `QR code for ${link.label ?? link.slug}`),
  }));
  const page = await qrSheetPage({
    campaignName: campaign.name,
    selection: qrOnly ? 'active QR links' : 'all active links',
    cards,
    truncatedAt: truncated ? MAX_SHEET_LINKS : undefined,
  });
  return new Response(String(page), { status: 200, headers: { 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': 'private, no-cache' } });
}

export const qr = createRouter();

qr.openapi(
  createRoute({
    method: 'get',
    path: '/links/{id}/qr',
    tags: ['links'],
    summary: "The link's QR code (encodes short_url?qr=1)",
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam, query: QrQuery },
    responses: {
      200: {
        description: 'The QR image; strong ETag, Cache-Control private',
        content: { 'image/svg+xml': { schema: z.string() }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      304: { description: 'Not modified (If-None-Match matched the ETag)' },
      ...authErrors,
      ...notFoundError,
      422: { description: 'size too small for this code', content: { 'application/json': { schema: ErrorSchema } } },
    },
  }),
  async (c) => linkQrResponse(c.var.db, publicOrigin(c), c.req.valid('param').id, c.req.valid('query'), c.req.header('If-None-Match')) as never,
);

/** The campaign's active QR-kind links; when it has none, all its active links. Oldest first, at most `MAX_SHEET_LINKS`. */
async function sheetLinks(db: Parameters<typeof listLinks>[0], campaignId: string) {
  const filter = { campaignId, status: 'active' as const };
  const hasQrLinks = (await listLinks(db, { ...filter, kind: 'qr', limit: 1 })).items.length > 0;
  const kind = hasQrLinks ? ('qr' as const) : undefined;
  const links: LinkWithCampaign[] = [];
  let cursor: string | undefined;
  let more = true;
  while (more && links.length < MAX_SHEET_LINKS) {
    const page = await listLinks(db, { ...filter, kind, limit: 200, cursor });
    links.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined;
  }
  const truncated = more || links.length > MAX_SHEET_LINKS;
  return { links: links.slice(0, MAX_SHEET_LINKS).reverse(), qrOnly: hasQrLinks, truncated };
}

qr.openapi(
  createRoute({
    method: 'get',
    path: '/campaigns/{id}/qr-sheet',
    tags: ['campaigns'],
    summary: "A printable A4 page of the campaign's QR codes",
    description: 'Cards for the active links of kind "qr"; a campaign without any gets cards for all its active links. Oldest first, at most 1000.',
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: {
      200: { description: 'HTML page with print CSS', content: { 'text/html': { schema: z.string() } } },
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => qrSheetResponse(c.var.db, publicOrigin(c), c.req.valid('param').id) as never,
);
