/** QR images of links and a campaign's printable QR sheet. Fetching them never logs a touch. */
import { createRoute, z } from '@hono/zod-openapi';
import { findCampaignById } from '../db/campaigns';
import { findLinkById, listLinks, type LinkWithCampaign } from '../db/links';
import { colourProblem, parseHexColour, QR_ECC_LEVELS, QR_MARGIN, QR_SIZE, qrMatrix, qrScanlines, qrSvg, type QrEcc, type QrStyle } from '../domain/qr';
import { requireScope } from '../lib/auth';
import { sha256Hex } from '../lib/crypto';
import { ApiError, notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { encodePalettePng } from '../lib/png';
import { authErrors, createRouter, IdParam, notFoundError } from '../lib/validation';
import { qrSheetPage } from '../ui/qr-sheet';

const colour = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => parseHexColour(value) !== null, 'must be a hex colour like #1a2b3c or #abc');

const QrQuery = z.object({
  format: z.enum(['svg', 'png']).default('png'),
  size: z.coerce.number().int().min(QR_SIZE.min).max(QR_SIZE.max).default(QR_SIZE.default),
  margin: z.coerce.number().int().min(QR_MARGIN.min).max(QR_MARGIN.max).default(QR_MARGIN.default),
  ecc: z.enum(QR_ECC_LEVELS).default('M'),
  fg: colour('#000000'),
  bg: colour('#ffffff'),
  download: z.enum(['0', '1']).default('0'),
});

/** What a printed code says: the short URL marked as a scan. */
export const qrText = (origin: string, slug: string): string => `${origin}/${slug}?qr=1`;

/** The style of a code, refusing colours that would not scan. */
function qrStyle(margin: number, fgHex: string, bgHex: string): QrStyle {
  const fg = parseHexColour(fgHex)!;
  const bg = parseHexColour(bgHex)!;
  const problem = colourProblem(fg, bg);
  if (problem) throw new ApiError('validation_error', `fg: ${problem}`);
  return { margin, fg, bg };
}

/** An inline SVG of a link's code, for pages. */
export function linkQrSvg(link: LinkWithCampaign, origin: string, pixelSize: number): string {
  return qrSvg(qrMatrix(qrText(origin, link.slug), 'M'), { margin: 2, fg: [0, 0, 0], bg: [255, 255, 255] }, pixelSize);
}

const security = [{ bearer: [] }];
const readScope = requireScope('links:write', 'reports:read');

export const qr = createRouter();

qr.openapi(
  createRoute({
    method: 'get',
    path: '/links/{id}/qr',
    tags: ['links'],
    security,
    middleware: readScope,
    request: { params: IdParam, query: QrQuery },
    responses: {
      200: { description: 'The QR code encoding short_url?qr=1', content: { 'image/png': { schema: z.any() }, 'image/svg+xml': { schema: z.string() } } },
      304: { description: 'Not modified (If-None-Match)' },
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const style = qrStyle(query.margin, query.fg, query.bg);
    const link = await findLinkById(c.var.db, id);
    if (!link) throw notFound('Link');
    const text = qrText(publicOrigin(c), link.slug);
    const etag = `"${(await sha256Hex([query.format, text, query.size, query.margin, query.ecc, query.fg, query.bg].join('|'))).slice(0, 32)}"`;
    const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'private, max-age=86400' };
    if (query.download === '1') headers['Content-Disposition'] = `attachment; filename="${link.slug}-qr.${query.format}"`;
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
    const matrix = qrMatrix(text, query.ecc as QrEcc);
    if (query.format === 'svg') {
      return c.body(qrSvg(matrix, style, query.size), 200, { ...headers, 'Content-Type': 'image/svg+xml; charset=utf-8' });
    }
    const png = await encodePalettePng(query.size, query.size, qrScanlines(matrix, style.margin, query.size), [style.bg, style.fg]);
    return c.body(png.buffer as ArrayBuffer, 200, { ...headers, 'Content-Type': 'image/png' });
  },
);

qr.openapi(
  createRoute({
    method: 'get',
    path: '/campaigns/{id}/qr-sheet',
    tags: ['campaigns'],
    security,
    middleware: readScope,
    request: { params: IdParam },
    responses: { 200: { description: 'A printable A4 page of the campaign’s QR codes', content: { 'text/html': { schema: z.string() } } }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const campaign = await findCampaignById(c.var.db, id);
    if (!campaign) throw notFound('Campaign');
    const links: LinkWithCampaign[] = [];
    let cursor: string | undefined;
    do {
      const page = await listLinks(c.var.db, { campaignId: id, status: 'active', limit: 200, cursor });
      links.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // QR-kind links are the ones made for print; a campaign without any prints all its links.
    const printable = links.some((link) => link.kind === 'qr') ? links.filter((link) => link.kind === 'qr') : links;
    const origin = publicOrigin(c);
    const cards = printable.reverse().map((link) => ({ link, shortUrl: `${origin}/${link.slug}`, svg: linkQrSvg(link, origin, 160) }));
    return c.html(qrSheetPage(campaign.name, cards), 200);
  },
);
