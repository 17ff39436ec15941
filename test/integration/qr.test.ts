import jsQR from 'jsqr';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BASE, call, json, makeCampaign, makeKey, makeLink } from '../helpers';
import { decodePng } from '../support/png-decode';

async function decodeQrPng(response: Response) {
  const image = await decodePng(new Uint8Array(await response.arrayBuffer()));
  return { image, text: jsQR(image.rgba, image.width, image.height)?.data ?? null };
}

describe('GET /api/v1/links/:id/qr', () => {
  it.each([
    [64, 'L'],
    [128, 'L'],
    [300, 'M'],
    [512, 'Q'],
    [1024, 'H'],
    [333, 'H'],
  ])('a %i px PNG at ECC %s decodes to short_url?qr=1', async (size, ecc) => {
    const link = await makeLink({ kind: 'qr' });
    const response = await call('GET', `/api/v1/links/${link.id}/qr?format=png&size=${size}&ecc=${ecc}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/png');
    const { image, text } = await decodeQrPng(response);
    expect([image.width, image.height]).toEqual([size, size]);
    expect(text).toBe(`${BASE}/${link.slug}?qr=1`);
  });

  it('draws the chosen colours', async () => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?size=200&fg=%23123456&bg=%23fffbe6&margin=2`);
    const { image, text } = await decodeQrPng(response);
    expect(text).toBe(`${BASE}/${link.slug}?qr=1`);
    expect([...image.rgba.slice(0, 4)]).toEqual([0xff, 0xfb, 0xe6, 255]);
    const dark = new Set<string>();
    for (let i = 0; i < image.rgba.length; i += 4) dark.add(image.rgba.slice(i, i + 3).join(','));
    expect([...dark].sort()).toEqual(['18,52,86', '255,251,230']);
  });

  it('serves a well-formed SVG of the requested size', async () => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?format=svg&size=256&margin=4&fg=%23000&bg=%23fff`);
    expect(response.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="256" height="256" viewBox="0 0 (\d+) \1" shape-rendering="crispEdges"><rect width="\1" height="\1" fill="#ffffff"\/><path fill="#000000" d="(M\d+ \d+h\d+v1h-\d+z)+"\/><\/svg>$/);
  });

  it('answers 304 to a matching If-None-Match and never logs a touch', async () => {
    const link = await makeLink();
    const first = await call('GET', `/api/v1/links/${link.id}/qr?size=128`);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('Cache-Control')).toBe('private, max-age=86400');
    const second = await call('GET', `/api/v1/links/${link.id}/qr?size=128`, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
    const other = await call('GET', `/api/v1/links/${link.id}/qr?size=129`);
    expect(other.headers.get('ETag')).not.toBe(etag);
    const touches = await env.DB.prepare('SELECT COUNT(*) AS n FROM touches WHERE link_id = ?').bind(link.id).first();
    expect(touches).toEqual({ n: 0 });
  });

  it('offers a download with a file name', async () => {
    const link = await makeLink({ slug: 'flyer-x1' });
    const response = await call('GET', `/api/v1/links/${link.id}/qr?format=svg&download=1`);
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="flyer-x1-qr.svg"');
  });

  it.each([
    ['size=63', 'size: Too small: expected number to be >=64'],
    ['size=4097', 'size: Too big: expected number to be <=4096'],
    ['ecc=X', 'ecc: Invalid option: expected one of "L"|"M"|"Q"|"H"'],
    ['format=gif', 'format: Invalid option: expected one of "svg"|"png"'],
    ['fg=red', 'fg: must be a hex colour like #1a2b3c or #abc'],
    ['fg=%23ffffff&bg=%23000000', 'fg: the foreground must be darker than the background'],
    // (0.4969 + 0.05) / (0.3185 + 0.05) = 1.48 by WCAG relative luminance
    ['fg=%23999999&bg=%23bbbbbb', 'fg: contrast 1.48:1 is too low to scan; at least 3:1 is needed'],
  ])('refuses %s', async (query, message) => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?${query}`);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });

  it('answers 404, 401 and 403 as the contract says', async () => {
    expect((await call('GET', '/api/v1/links/lnk_nope/qr')).status).toBe(404);
    const link = await makeLink();
    expect((await call('GET', `/api/v1/links/${link.id}/qr`, { key: null })).status).toBe(401);
    expect((await call('GET', `/api/v1/links/${link.id}/qr`, { key: await makeKey(['conversions:write']) })).status).toBe(403);
  });
});

describe('GET /api/v1/campaigns/:id/qr-sheet', () => {
  it('prints the QR links of a campaign with slug, escaped label and short URL', async () => {
    const campaign = await makeCampaign({ name: 'Flyer <Herbst>' });
    const a = await makeLink({ campaign_id: campaign.id, kind: 'qr', slug: 'sheet-a', label: '<b>"Tom & Jerry"</b>' });
    const b = await makeLink({ campaign_id: campaign.id, kind: 'qr', slug: 'sheet-b' });
    await makeLink({ campaign_id: campaign.id, kind: 'email', slug: 'sheet-mail' });
    const response = await call('GET', `/api/v1/campaigns/${campaign.id}/qr-sheet`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('<h1>Flyer &lt;Herbst&gt;</h1>');
    expect(page).toContain('&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;');
    expect(page).not.toContain('<b>"Tom');
    expect(page.match(/<svg /g)).toHaveLength(2);
    expect(page.indexOf(`>${a.slug}<`)).toBeLessThan(page.indexOf(`>${b.slug}<`));
    expect(page).toContain(`${BASE}/sheet-b`);
    expect(page).not.toContain('sheet-mail');
  });

  it('answers 404 for an unknown campaign and 403 for the wrong scope', async () => {
    expect((await call('GET', '/api/v1/campaigns/cmp_nope/qr-sheet')).status).toBe(404);
    const campaign = await makeCampaign();
    expect((await call('GET', `/api/v1/campaigns/${campaign.id}/qr-sheet`, { key: await makeKey(['conversions:write']) })).status).toBe(403);
  });
});
