/** Branded domains in Chromium against `npm start`: add a domain, create a link on it with a social preview, see its short URL, follow it by Host. */
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, signedInSession, type Worker } from './harness';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

const api = async (pathname: string) => {
  const response = await fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
};

/** GET `pathname` on the Worker with another Host header (fetch may not set one), as a browser on that domain would. */
const getWithHost = (host: string, pathname: string, userAgent = 'Mozilla/5.0 Chrome/131.0') =>
  new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
    const url = new URL(worker.base);
    const req = request({ host: url.hostname, port: url.port, path: pathname, headers: { Host: host, 'User-Agent': userAgent } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('branded domains in Chromium', () => {
  it('adds a domain on the settings page and lists it', async () => {
    await page.goto(`${worker.base}/settings/domains`);
    await page.getByLabel('Hostname').fill('Go.Brand.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.waitForURL(`${worker.base}/settings/domains?notice=domain-added`);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Domain added.');
    await expect(page.locator('tr[data-domain="go.brand.test"] td').allTextContents()).resolves.toEqual([
      'go.brand.test',
      '0',
      'none',
      expect.any(String),
      'Remove',
    ]);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('refuses a hostname with a scheme, next to the field', async () => {
    await page.getByLabel('Hostname').fill('https://go.brand.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect(page.locator('#f-hostname-error').textContent()).resolves.toBe('give the hostname only, e.g. go.brand.com (no scheme, port or path)');
  });

  it('creates a link on the domain with a social preview; the link page shows the branded short URL', async () => {
    const campaigns = await api('/api/v1/campaigns?limit=1');
    const campaignId = campaigns.data[0].id;
    await page.goto(`${worker.base}/campaigns/${campaignId}?section=links`);
    await page.getByLabel('Destination URL').fill('https://shop.example/brand');
    await page.getByLabel('Slug').fill('brand-e2e');
    await page.getByLabel('Domain', { exact: true }).selectOption('go.brand.test');
    await page.getByLabel('Preview title').fill('Our <new> shop');
    await page.getByLabel('Preview description').fill('Opens Friday');
    await page.locator('form[data-utm] button[type="submit"]').click();
    await page.waitForURL(/link=lnk_/);
    const linkId = new URL(page.url()).searchParams.get('link')!;
    const link = await api(`/api/v1/links/${linkId}`);
    expect(link).toMatchObject({
      slug: 'brand-e2e',
      domain: 'go.brand.test',
      short_url: 'https://go.brand.test/brand-e2e',
      preview: { title: 'Our <new> shop', description: 'Opens Friday', image_url: null },
    });
    await page.goto(`${worker.base}/campaigns/${campaignId}/links/${linkId}`);
    await expect(page.locator('body').textContent()).resolves.toContain('https://go.brand.test/brand-e2e');
  });

  it('follows the link by Host: 302 on the domain, 404 on the own host, the card for a link-preview bot', async () => {
    const branded = await getWithHost('go.brand.test', '/brand-e2e');
    expect(branded.status).toBe(302);
    expect(branded.location).toMatch(/^https:\/\/shop\.example\/brand\?utm_campaign=[a-z0-9-]+&tp_click=tpc_[0-9A-Z]{26}$/);
    expect((await getWithHost(new URL(worker.base).host, '/brand-e2e')).status).toBe(404);
    const card = await getWithHost('go.brand.test', '/brand-e2e', 'WhatsApp/2.23.20.0');
    expect(card.status).toBe(200);
    expect(card.body).toContain('<meta property="og:title" content="Our &lt;new&gt; shop" />');
  });
});
