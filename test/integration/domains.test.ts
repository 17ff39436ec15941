/** Branded domains: the API, links on a domain (slug unique per domain), routing by Host and the QR code. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, json, makeCampaign, makeKey, makeLink } from '../helpers';
import { decodePng } from '../png-decode';
import { readQr } from '../qr-raster';

const addDomain = async (hostname: string) => {
  const response = await call('POST', '/api/v1/domains', { body: { hostname } });
  expect(response.status).toBe(201);
  return json(response);
};

const domainCount = async () => Number(await env.DB.prepare('SELECT count(*) AS n FROM domains').first('n'));
const linkCount = async () => Number(await env.DB.prepare('SELECT count(*) AS n FROM links').first('n'));

const visit = (base: string, path: string, extra: { env?: Record<string, string> } = {}) =>
  call('GET', path, { key: null, base, headers: { 'User-Agent': DESKTOP_CHROME }, ...extra });

const locationOf = (response: Response) => {
  const url = new URL(response.headers.get('Location')!);
  url.searchParams.delete('tp_click');
  return url.toString();
};

describe('/api/v1/domains', () => {
  it('attaches a hostname, normalised, and shows it', async () => {
    const response = await call('POST', '/api/v1/domains', { body: { hostname: ' Go.Brand.TEST. ' }, now: () => Date.parse('2026-12-03T09:00:00Z') });
    expect(response.status).toBe(201);
    const domain = await json(response);
    expect(domain.id).toMatch(/^dom_[0-9A-Z]{26}$/);
    expect(domain).toEqual({
      id: domain.id,
      hostname: 'go.brand.test',
      short_url_base: 'https://go.brand.test/',
      app_links: { apple: null, android: null },
      created_at: '2026-12-03T09:00:00.000Z',
      updated_at: '2026-12-03T09:00:00.000Z',
    });
    expect(await json(await call('GET', `/api/v1/domains/${domain.id}`))).toEqual(domain);
    expect(await json(await call('GET', '/api/v1/domains'))).toEqual({ data: [domain], next_cursor: null });
  });

  it('refuses a hostname attached already with 409', async () => {
    await addDomain('dup.brand.test');
    const response = await call('POST', '/api/v1/domains', { body: { hostname: 'DUP.brand.test' } });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ error: { code: 'conflict', message: 'hostname: dup.brand.test is already attached' } });
  });

  it.each([
    ['https://go.brand.test/x', 'hostname: give the hostname only, e.g. go.brand.com (no scheme, port or path)'],
    ['go.brand.test:8443', 'hostname: give the hostname only, e.g. go.brand.com (no scheme, port or path)'],
    ['brand', 'hostname: must be a full hostname with a dot, e.g. go.brand.com'],
    ['-go.brand.test', 'hostname: each part between dots must be 1 to 63 characters of a-z, 0-9 and -, not starting or ending with -'],
    ['go_x.brand.test', 'hostname: each part between dots must be 1 to 63 characters of a-z, 0-9 and -, not starting or ending with -'],
    ['203.0.113.7', 'hostname: must be a hostname, not an IP address'],
    ['touchpoint.acme.workers.dev', "hostname: touchpoint.acme.workers.dev is the installation's own host; its links need no domain"],
    ['app.localhost', "hostname: app.localhost is the installation's own host; its links need no domain"],
  ])('refuses %s with 400, storing nothing', async (hostname, message) => {
    const before = await domainCount();
    const response = await call('POST', '/api/v1/domains', { body: { hostname } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
    expect(await domainCount()).toBe(before);
  });

  it("refuses PUBLIC_ORIGIN's host with 422", async () => {
    const response = await call('POST', '/api/v1/domains', { body: { hostname: 'go.example.com' }, env: { PUBLIC_ORIGIN: 'https://go.example.com' } });
    expect(response.status).toBe(422);
    expect(await json(response)).toEqual({
      error: { code: 'unprocessable', message: "hostname: go.example.com is the installation's own host; its links need no domain" },
    });
  });

  it('answers 404 for an unknown id', async () => {
    const response = await call('GET', '/api/v1/domains/dom_nope');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Domain not found' } });
  });

  it('removes a domain without links, and refuses one with links (409), keeping it', async () => {
    const unused = await addDomain('unused.brand.test');
    expect((await call('DELETE', `/api/v1/domains/${unused.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/domains/${unused.id}`)).status).toBe(404);
    expect((await visit('https://unused.brand.test', '/abc', { env: { PUBLIC_ORIGIN: 'https://tp.test' } })).status).toBe(404);

    const used = await addDomain('used.brand.test');
    await makeLink({ domain: 'used.brand.test', slug: 'held' });
    const response = await call('DELETE', `/api/v1/domains/${used.id}`);
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({
      error: { code: 'conflict', message: "used.brand.test still has 1 link: move them to another domain (PATCH the link's domain) first" },
    });
    expect((await call('GET', `/api/v1/domains/${used.id}`)).status).toBe(200);
  });

  it('lets a links:write and a reports:read key list, only links:write add', async () => {
    const writer = await makeKey(['links:write']);
    const reader = await makeKey(['reports:read']);
    expect((await call('POST', '/api/v1/domains', { key: writer, body: { hostname: 'w.brand.test' } })).status).toBe(201);
    expect((await call('POST', '/api/v1/domains', { key: reader, body: { hostname: 'r.brand.test' } })).status).toBe(403);
    const listed = (await json(await call('GET', '/api/v1/domains', { key: reader }))).data.map((d: any) => d.hostname);
    expect([listed.includes('w.brand.test'), listed.includes('r.brand.test')]).toEqual([true, false]);
  });
});

describe('links on a branded domain', () => {
  it('puts the short URL and the QR code on the domain', async () => {
    await addDomain('qr.brand.test');
    const link = await makeLink({ domain: 'QR.brand.test', slug: 'summer' });
    expect(link).toMatchObject({
      domain: 'qr.brand.test',
      slug: 'summer',
      short_url: 'https://qr.brand.test/summer',
      qr_url: `https://tp.test/api/v1/links/${link.id}/qr`,
    });
    const qr = await call('GET', `/api/v1/links/${link.id}/qr?format=png&size=256`);
    expect(readQr(await decodePng(new Uint8Array(await qr.arrayBuffer())))).toBe('https://qr.brand.test/summer?qr=1');
    expect((await json(await call('GET', `/api/v1/links/${link.id}`))).domain).toBe('qr.brand.test');
  });

  it('shows domain null and the own short URL for a link without one', async () => {
    const link = await makeLink({ slug: 'plain' });
    expect(link).toMatchObject({ domain: null, short_url: 'https://tp.test/plain' });
  });

  it('refuses a domain that is not attached with 422', async () => {
    const campaign = await makeCampaign();
    const before = await linkCount();
    const response = await call('POST', '/api/v1/links', {
      body: { campaign_id: campaign.id, destination: 'https://shop.example/', domain: 'nope.brand.test' },
    });
    expect(response.status).toBe(422);
    expect(await json(response)).toEqual({
      error: { code: 'unprocessable', message: 'domain: no domain nope.brand.test is attached (POST /api/v1/domains first)' },
    });
    const bulk = await call('POST', '/api/v1/links/bulk', {
      body: {
        links: [
          { campaign_id: campaign.id, destination: 'https://shop.example/' },
          { campaign_id: campaign.id, destination: 'https://shop.example/', domain: 'nope.brand.test' },
        ],
      },
    });
    expect(await json(bulk)).toEqual({
      error: { code: 'unprocessable', message: 'links.1.domain: no domain nope.brand.test is attached (POST /api/v1/domains first)' },
    });
    expect(await linkCount()).toBe(before);
  });

  it('keeps a slug unique per domain: the same slug on two domains and the own host is three links, each reached by its Host', async () => {
    await addDomain('a.brand.test');
    await addDomain('b.brand.test');
    const campaign = await makeCampaign();
    const own = await makeLink({ campaign_id: campaign.id, slug: 'launch', destination: 'https://shop.example/own' });
    const onA = await makeLink({ campaign_id: campaign.id, slug: 'launch', destination: 'https://shop.example/a', domain: 'a.brand.test' });
    const onB = await makeLink({ campaign_id: campaign.id, slug: 'launch', destination: 'https://shop.example/b', domain: 'b.brand.test' });
    expect(new Set([own.id, onA.id, onB.id]).size).toBe(3);

    // Twice each, so the second answer comes from the cache keyed by (domain, slug).
    for (let round = 0; round < 2; round++) {
      expect(locationOf(await visit('https://a.brand.test', '/launch'))).toBe('https://shop.example/a?utm_campaign=spring-sale');
      expect(locationOf(await visit('https://b.brand.test', '/launch'))).toBe('https://shop.example/b?utm_campaign=spring-sale');
      expect(locationOf(await visit('https://tp.test', '/launch'))).toBe('https://shop.example/own?utm_campaign=spring-sale');
    }
    const counts = await env.DB.prepare('SELECT link_id, count(*) AS n FROM touches GROUP BY link_id ORDER BY link_id').all();
    expect(counts.results).toEqual([own.id, onA.id, onB.id].sort().map((id) => ({ link_id: id, n: 2 })));

    const again = await call('POST', '/api/v1/links', {
      body: { campaign_id: campaign.id, destination: 'https://shop.example/', slug: 'launch', domain: 'a.brand.test' },
    });
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual({ error: { code: 'slug_taken', message: 'slug: "launch" is already taken' } });
  });

  it('answers 404 for a slug of another namespace', async () => {
    await addDomain('c.brand.test');
    await makeLink({ slug: 'own-only' });
    await makeLink({ slug: 'brand-only', domain: 'c.brand.test' });
    expect((await visit('https://c.brand.test', '/own-only')).status).toBe(404);
    expect((await visit('https://tp.test', '/brand-only')).status).toBe(404);
    expect((await visit('https://c.brand.test', '/brand-only')).status).toBe(302);
  });

  it('moves a link to another domain with PATCH, the old short URL answering 404 at once', async () => {
    await addDomain('d.brand.test');
    const link = await makeLink({ slug: 'moving' });
    expect((await visit('https://tp.test', '/moving')).status).toBe(302);
    const response = await call('PATCH', `/api/v1/links/${link.id}`, { body: { domain: 'd.brand.test' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ domain: 'd.brand.test', short_url: 'https://d.brand.test/moving' });
    expect((await visit('https://tp.test', '/moving')).status).toBe(404);
    expect((await visit('https://d.brand.test', '/moving')).status).toBe(302);
    const back = await call('PATCH', `/api/v1/links/${link.id}`, { body: { domain: null } });
    expect(await json(back)).toMatchObject({ domain: null, short_url: 'https://tp.test/moving' });
  });

  it('refuses to move a link onto a domain where its slug is taken (409), changing nothing', async () => {
    await addDomain('e.brand.test');
    const campaign = await makeCampaign();
    const link = await makeLink({ campaign_id: campaign.id, slug: 'clash' });
    await makeLink({ campaign_id: campaign.id, slug: 'clash', domain: 'e.brand.test' });
    const response = await call('PATCH', `/api/v1/links/${link.id}`, { body: { domain: 'e.brand.test', label: 'moved' } });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ error: { code: 'slug_taken', message: 'domain: the slug "clash" is taken on that domain' } });
    expect(await json(await call('GET', `/api/v1/links/${link.id}`))).toMatchObject({ domain: null, label: null });
  });
});

describe('routing by Host', () => {
  const withOrigin = { env: { PUBLIC_ORIGIN: 'https://tp.test' } };

  it('answers 404 for a short link on an unknown host once PUBLIC_ORIGIN names the own host', async () => {
    const link = await makeLink({ slug: 'known' });
    const response = await visit('https://other.example', '/known', withOrigin);
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(await response.text()).toContain('<h1>Link not found</h1>');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM touches WHERE link_id = ?').bind(link.id).first('n')).toBe(0);
  });

  it.each([
    ['https://tp.test', 'home-1'],
    ['http://localhost:8787', 'home-2'],
    ['http://127.0.0.1:8787', 'home-3'],
    ['http://[::1]:8787', 'home-4'],
    ['https://touchpoint.acme.workers.dev', 'home-5'],
  ])('keeps serving the own links on %s', async (base, slug) => {
    await makeLink({ slug });
    expect((await visit(base, `/${slug}`, withOrigin)).status).toBe(302);
  });

  it('treats every host that is no domain as the own host while PUBLIC_ORIGIN is empty (as before domains)', async () => {
    await makeLink({ slug: 'anyhost' });
    expect((await visit('https://whatever.example', '/anyhost')).status).toBe(302);
  });

  it('serves only short links and well-known files on a branded host', async () => {
    await addDomain('f.brand.test');
    const api = await call('GET', '/api/v1/links', { base: 'https://f.brand.test' });
    expect(api.status).toBe(404);
    expect(await api.text()).toContain('<h1>Link not found</h1>');
    expect((await visit('https://f.brand.test', '/')).status).toBe(404);
    for (const path of ['/redeem', '/campaigns', '/signin', '/r/abcdef', '/t.js', '/healthz']) {
      expect([path, (await visit('https://f.brand.test', path)).status]).toEqual([path, 404]);
    }
    await makeLink({ slug: 'f-link', domain: 'f.brand.test' });
    const head = await call('HEAD', '/f-link', { key: null, base: 'https://f.brand.test' });
    expect(head.status).toBe(302);
    expect((await call('GET', '/api/v1/links', { base: 'https://tp.test' })).status).toBe(200);
  });
});
