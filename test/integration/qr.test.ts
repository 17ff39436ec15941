import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { QR_ECC_LEVELS } from '../../src/domain/vocab';
import { call, json, makeKey, makeLink, MOBILE_SAFARI } from '../helpers';
import { decodePng, pngChunks } from '../png-decode';
import { rasteriseSvg, readQr } from '../qr-raster';
import { parseXml } from '../xml';

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const touchCount = async () => Number(await env.DB.prepare('SELECT count(*) AS n FROM touches').first('n'));

describe('GET /api/v1/links/:id/qr', () => {
  for (const size of [64, 300, 1024]) {
    it.each(QR_ECC_LEVELS)(`serves a PNG of ${size} px that reads back as short_url?qr=1 at ECC %s`, async (ecc) => {
      const link = await makeLink({ slug: `qr-${size}-${ecc.toLowerCase()}` });
      const response = await call('GET', `/api/v1/links/${link.id}/qr?format=png&size=${size}&ecc=${ecc}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('image/png');
      expect(response.headers.get('Content-Disposition')).toBe(`inline; filename="qr-${size}-${ecc.toLowerCase()}-qr.png"`);
      const image = await decodePng(await bytes(response));
      expect([image.width, image.height]).toEqual([size, size]);
      expect(readQr(image)).toBe(`https://tp.test/qr-${size}-${ecc.toLowerCase()}?qr=1`);
      expect(`${link.short_url}?qr=1`).toBe(`https://tp.test/qr-${size}-${ecc.toLowerCase()}?qr=1`);
    });
  }

  it('serves a well-formed, crisp SVG by default that reads back as the scan URL', async () => {
    const link = await makeLink({ slug: 'qr-svg' });
    const response = await call('GET', `/api/v1/links/${link.id}/qr?size=200&margin=2&fg=%231A4B8C&bg=fffdf0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
    const svg = parseXml(await response.text());
    expect(svg.name).toBe('svg');
    expect(svg.attrs).toEqual({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '200',
      height: '200',
      viewBox: '0 0 33 33', // version 3 (29 modules) + 2 × 2 margin
      'shape-rendering': 'crispEdges',
    });
    expect(svg.children.map((child) => child.name)).toEqual(['rect', 'path']);
    expect(svg.children[0].attrs).toEqual({ width: '33', height: '33', fill: '#fffdf0' });
    expect(svg.children[1].attrs.fill).toBe('#1a4b8c');
    expect(readQr(rasteriseSvg(svg, 6))).toBe('https://tp.test/qr-svg?qr=1');
  });

  it('renders the largest size, 4096 px, as a small 1-bit PNG', async () => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?format=png&size=4096&ecc=h`);
    expect(response.status).toBe(200);
    const png = await bytes(response);
    const [ihdr] = pngChunks(png);
    expect([...ihdr.data]).toEqual([0, 0, 16, 0, 0, 0, 16, 0, 1, 3, 0, 0, 0]);
    expect(png.length).toBeLessThan(64 * 1024);
  });

  it('uses the PUBLIC_ORIGIN in the encoded URL', async () => {
    const link = await makeLink({ slug: 'qr-origin' });
    const response = await call('GET', `/api/v1/links/${link.id}/qr?format=png&size=256`, { env: { PUBLIC_ORIGIN: 'https://go.example.com/' } });
    expect(readQr(await decodePng(await bytes(response)))).toBe('https://go.example.com/qr-origin?qr=1');
  });

  it('answers 304 to a matching If-None-Match and a new ETag when any option changes', async () => {
    const link = await makeLink();
    const path = `/api/v1/links/${link.id}/qr?format=png&size=128`;
    const first = await call('GET', path);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"qr-[0-9a-f]{32}"$/);
    expect(first.headers.get('Cache-Control')).toBe('private, max-age=86400');

    const again = await call('GET', path, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect((await call('GET', path, { headers: { 'If-None-Match': `"other", W/${etag}` } })).status).toBe(304);

    const tags = new Set([etag]);
    for (const change of ['&ecc=H', '&margin=2', '&fg=%23222', '&bg=%23eeeeee']) {
      const response = await call('GET', path + change, { headers: { 'If-None-Match': etag } });
      expect(response.status).toBe(200);
      tags.add(response.headers.get('ETag')!);
    }
    for (const other of ['format=svg&size=128', 'format=png&size=129']) {
      tags.add((await call('GET', `/api/v1/links/${link.id}/qr?${other}`)).headers.get('ETag')!);
    }
    expect(tags.size).toBe(7);
    // #000 and #000000 draw the same image, so they share an ETag.
    expect((await call('GET', `${path}&fg=%23000`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('never logs a touch; the encoded URL does, as a scan', async () => {
    const link = await makeLink({ slug: 'qr-no-touch' });
    const before = await touchCount();
    await call('GET', `/api/v1/links/${link.id}/qr?format=png`);
    await call('GET', `/api/v1/links/${link.id}/qr?format=svg`);
    expect(await touchCount()).toBe(before);

    const scan = await call('GET', '/qr-no-touch?qr=1', { key: null, headers: { 'User-Agent': MOBILE_SAFARI } });
    expect(await touchCount()).toBe(before + 1);
    expect(scan.status).toBe(302);
    const stats = await json(await call('GET', `/api/v1/links/${link.id}`));
    expect(stats.stats).toEqual({ clicks: 0, scans: 1, unique_visitors: 1 });
  });

  it('refuses a foreground lighter than the background', async () => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?fg=%23ffffff&bg=%23000000`);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      error: { code: 'validation_error', message: 'fg: #ffffff is lighter than bg #000000; many scanners cannot read light-on-dark codes' },
    });
  });

  it('refuses a contrast below 4.5:1', async () => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?fg=%23888888`);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      error: { code: 'validation_error', message: 'fg: contrast with bg is 3.54:1, at least 4.5:1 is needed to scan reliably' },
    });
  });

  it.each([
    ['size=63', 'size: '],
    ['size=4097', 'size: '],
    ['size=abc', 'size: '],
    ['margin=17', 'margin: '],
    ['ecc=X', 'ecc: '],
    ['format=gif', 'format: '],
    ['fg=black', 'fg: must be a hex colour'],
    ['bg=%2312345', 'bg: must be a hex colour'],
  ])('answers 400 naming the field for %s', async (query, prefix) => {
    const link = await makeLink();
    const response = await call('GET', `/api/v1/links/${link.id}/qr?${query}`);
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error.code).toBe('validation_error');
    expect(body.error.message.startsWith(prefix)).toBe(true);
  });

  it('answers 422 when the size cannot give every module a pixel', async () => {
    const link = await makeLink({ slug: 'qr-tiny' });
    const response = await call('GET', `/api/v1/links/${link.id}/qr?size=64&margin=16&ecc=H`);
    expect(response.status).toBe(422);
    expect(await json(response)).toEqual({
      error: {
        code: 'unprocessable',
        message: "size: this link's code has 65 modules with margin 16 at ECC H; ask for at least 65 px, or a smaller margin or ECC level",
      },
    });
  });

  it('answers 404 for an unknown link', async () => {
    const response = await call('GET', '/api/v1/links/lnk_nope/qr');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Link not found' } });
  });

  it('needs a key with links:write or reports:read', async () => {
    const link = await makeLink();
    const path = `/api/v1/links/${link.id}/qr?format=png`;
    expect((await call('GET', path, { key: null })).status).toBe(401);
    const wrong = await call('GET', path, { key: await makeKey(['conversions:write']) });
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error.code).toBe('forbidden');
    expect((await call('GET', path, { key: await makeKey(['reports:read']) })).status).toBe(200);
    expect((await call('GET', path, { key: await makeKey(['links:write']) })).status).toBe(200);
  });
});
