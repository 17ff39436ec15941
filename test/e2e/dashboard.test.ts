/** The dashboard in headless Chromium against `npm start`: sign-in to sign-out, forms, QR, reports, CSV, screenshots. */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../png-decode';
import { readQr } from '../qr-raster';
import { en, vocabName } from '../../src/ui/texts/index';
import { launchChromium, startWorker, type Worker } from './harness';

// `npm run screenshots` refreshes the README's images; plain test runs write to a temp dir and leave the tree clean.
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'tp-shots-'));
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let worker: Worker;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
const today = new Date().toISOString().slice(0, 10);

const api = async (pathname: string) => {
  const response = await fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
};

async function shoot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  worker = await startWorker();
  chromium = await launchChromium();
  context = chromium.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

describe('dashboard in Chromium', () => {
  let campaignId = '';
  let link: any;

  it('sends a page request without a session to the sign-in page', async () => {
    await page.goto(`${worker.base}/`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await shoot('signin');
  });

  it('signs in with the admin key', async () => {
    await page.getByLabel('API key').fill(worker.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${worker.base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    const cookie = (await context.cookies()).find((c) => c.name === 'tp_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.waitForURL(`${worker.base}/campaigns`);
  });

  it('creates a campaign and a link through the forms, with a live UTM preview', async () => {
    await page.getByLabel('Name', { exact: true }).fill('E2E Flyer Spring');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/campaigns\/cmp_/);
    campaignId = new URL(page.url()).pathname.split('/')[2];
    await page.getByLabel('Destination URL').fill('https://shop.example/spring?ref=a#top');
    await page.getByLabel('utm_source').fill('flyer');
    await page.getByLabel('utm_medium').fill('print');
    // The preview comes from the server's domain rules (GET /campaigns/:id/preview) as the fields change.
    const expected = 'https://shop.example/spring?ref=a&utm_source=flyer&utm_medium=print&utm_campaign=e2e-flyer-spring#top';
    await expect.poll(() => page.locator('output[data-utm-preview]').textContent()).toBe(expected);
    const preview = await page.locator('output[data-utm-preview]').textContent();
    await page.getByLabel('Kind').selectOption('qr');
    await page.locator('form[data-utm] button[type="submit"]').click();
    await page.waitForURL(/link=lnk_/);
    const linkId = new URL(page.url()).searchParams.get('link')!;
    link = await api(`/api/v1/links/${linkId}`);
    expect(link.tracked_url).toBe(preview);
    await expect(page.locator(`tr[data-link="${linkId}"] code[data-short-url]`).textContent()).resolves.toBe(link.short_url);
    await shoot('campaign');
  });

  it('shows a QR image that decodes to the short URL with ?qr=1', async () => {
    const src = await page.locator('#qr-img').getAttribute('src');
    expect(src).toMatch(new RegExp(`^/links/${link.id}/qr\\?format=png`));
    await expect(
      page
        .locator('#qr-img')
        .evaluate(
          (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0,
        ),
    ).resolves.toBe(true);
    const response = await page.request.get(`${worker.base}${src}`);
    expect(response.status()).toBe(200);
    const image = await decodePng(new Uint8Array(await response.body()));
    expect(readQr(image)).toBe(`${link.short_url}?qr=1`);
  });

  it('counts a visit of the short URL, and the report page shows the API numbers', async () => {
    const visit = await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA, Accept: 'text/html' } });
    expect(visit.status).toBe(302);
    const filter = `from=${today}&to=${today}&campaign_id=${campaignId}&model=last_touch`;
    let report: any;
    for (let i = 0; i < 40; i++) {
      report = await api(`/api/v1/reports/channels?${filter}`);
      if (report.rows.some((row: any) => row.visits > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(report.rows.reduce((sum: number, row: any) => sum + row.visits, 0)).toBe(1);
    await page.goto(`${worker.base}/reports?${filter}`);
    const rows = page.locator('#channels tbody tr');
    await expect(rows.count()).resolves.toBe(report.rows.length);
    for (const [index, row] of report.rows.entries()) {
      const cells = rows.nth(index);
      await expect(cells.locator('[data-col="channel"]').textContent()).resolves.toBe(vocabName(en, 'channel', row.channel));
      await expect(cells.locator('[data-col="visits"]').textContent()).resolves.toBe(String(row.visits));
      await expect(cells.locator('[data-col="clicks"]').textContent()).resolves.toBe(String(row.clicks));
      await expect(cells.locator('[data-col="conversions"]').textContent()).resolves.toBe(String(row.conversions));
    }
    // Today's bar, stacked by channel and marked partial; the legend names the channels.
    await expect(page.locator(`#channel-bars g.day.partial[data-day="${today}"] rect`).count()).resolves.toBe(report.rows.length);
    const legend = await page.locator('#by-channel .legend a').allTextContents();
    expect(legend).toEqual(report.rows.map((row: any) => vocabName(en, 'channel', row.channel)));
  });

  it('downloads a report table as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="channels"]').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'channel,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
    );
    expect(text).toContain('\r\noffline,1,1,1,0,');
  });

  it('takes screenshots of the main pages on a laptop and a phone', async () => {
    await page.goto(`${worker.base}/`);
    await shoot('overview');
    await page.goto(`${worker.base}/reports`);
    await shoot('reports');
    await page.goto(`${worker.base}/reports/models`);
    await shoot('models');
    await page.goto(`${worker.base}/campaigns`);
    await shoot('campaigns');
    // The demo's busiest campaign: its links with figures, its pack codes and promo code, one link's own page.
    const spring = (await api('/api/v1/campaigns?limit=100')).data.find((c: any) => c.name === 'Spring Sale');
    await page.goto(`${worker.base}/campaigns/${spring.id}`);
    await shoot('campaign-links');
    await page.goto(`${worker.base}/campaigns/${spring.id}?section=codes`);
    await shoot('campaign-codes');
    await page.goto(`${worker.base}/campaigns/${spring.id}?section=promos`);
    await shoot('campaign-promos');
    const springLink = (await api(`/api/v1/links?campaign_id=${spring.id}&limit=1`)).data[0];
    await page.goto(`${worker.base}/campaigns/${spring.id}/links/${springLink.id}`);
    await shoot('link');
    await page.goto(`${worker.base}/settings/currency`);
    await shoot('currency');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot('campaigns-phone');
    await page.goto(`${worker.base}/`);
    await shoot('overview-phone');
    await page.goto(`${worker.base}/campaigns/${campaignId}`);
    await shoot('campaign-phone');
    await page.goto(`${worker.base}/reports`);
    await shoot('reports-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("edits a link's destination from its row, and the short URL follows at once", async () => {
    await page.goto(`${worker.base}/campaigns/${campaignId}`);
    await page.locator(`tr[data-link="${link.id}"] a[href*="edit="]`).click();
    await page.waitForURL(/edit=lnk_/);
    await page.locator('#l-destination').fill('https://shop.example/autumn');
    await page.locator('#edit-link form[action$="/edit"] button[type="submit"]').click();
    await page.waitForURL(/edit=lnk_.*#edit-link$/);
    await expect(page.locator('#l-destination').inputValue()).resolves.toBe('https://shop.example/autumn');
    const visit = await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA, Accept: 'text/html' } });
    expect(visit.headers.get('Location')).toMatch(
      /^https:\/\/shop\.example\/autumn\?utm_source=flyer&utm_medium=print&utm_campaign=e2e-flyer-spring&tp_click=tpc_/,
    );
  });

  it('mints an API key shown once, which works with its scope until it is revoked', async () => {
    await page.goto(`${worker.base}/`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${worker.base}/settings/keys`);
    expect(await page.locator('nav.sections a[aria-current="page"]').textContent()).toBe('API keys');
    await page.getByLabel('Name', { exact: true }).fill('E2E analyst');
    await page.getByLabel('reports:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.locator('#new-key').textContent())!;
    expect(secret).toMatch(/^tp_[0-9A-Z]{26}_[0-9A-Za-z]{32}$/);
    const asKey = (pathname: string) => fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${secret}` } });
    expect((await asKey('/api/v1/reports/channels')).status).toBe(200);
    expect((await asKey('/api/v1/keys')).status).toBe(403);
    // Revoking asks first (a confirm page), then comes back to the list.
    await page.getByRole('link', { name: 'Revoke: E2E analyst' }).click();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.waitForURL(`${worker.base}/settings/keys?notice=revoked`);
    await expect(page.locator('#new-key').count()).resolves.toBe(0);
    expect((await asKey('/api/v1/reports/channels')).status).toBe(401);
  });

  it('refuses a form posted without its CSRF token', async () => {
    await page.goto(`${worker.base}/campaigns`);
    await page.locator('form[action="/campaigns"] input[name="_csrf"]').evaluate((input) => input.remove());
    await page.getByLabel('Name', { exact: true }).fill('No token');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/campaigns') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(response.status()).toBe(403);
  });

  it('signs out, after which pages redirect to sign-in', async () => {
    await page.goto(`${worker.base}/`);
    const kept = (await context.cookies()).find((c) => c.name === 'tp_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin\?out=1$/);
    expect((await context.cookies()).some((c) => c.name === 'tp_session')).toBe(false);
    await page.goto(`${worker.base}/reports`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    // The session ended on the server too: a copy of its cookie opens nothing.
    await context.addCookies([kept]);
    await page.goto(`${worker.base}/reports`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });
});
