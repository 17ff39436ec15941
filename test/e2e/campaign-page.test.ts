/**
 * The campaign page in headless Chromium against `npm start`: sections by keyboard,
 * date pickers, referral links, the link page's chart, the confirm steps for
 * archiving a campaign and revoking a key, and German at phone width.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInSession, type Worker } from './harness';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let worker: Worker;
let page: Page;

const api = async (method: string, pathname: string, body?: unknown, key = worker.adminKey) => {
  const response = await fetch(`${worker.base}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
};

/** The page is no wider than the window: nothing scrolls sideways. */
const overflow = () =>
  page.evaluate(() => {
    const view = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return view.document.documentElement.scrollWidth - view.innerWidth;
  });

let session: Awaited<ReturnType<typeof signedInSession>>;

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('campaign page in Chromium', () => {
  let campaign: any;
  let link: any;

  it('walks through the six sections with the keyboard, each marked as the current one', async () => {
    campaign = (await api('POST', '/api/v1/campaigns', { name: 'E2E Sections', landing_url: 'https://shop.example/landing' })).body;
    link = (await api('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/poster', utm_medium: 'print', label: 'Poster' }))
      .body;
    await page.goto(`${worker.base}/campaigns/${campaign.id}`);
    const headings: Record<string, string> = {
      'QR & print': 'QR & print',
      'Action codes': 'Action code batches',
      'Promo codes': 'Promo codes',
      Referrals: 'Create referral link',
      Settings: 'Edit campaign',
      Links: 'Links',
    };
    for (const [name, heading] of Object.entries(headings)) {
      const tab = page.locator('nav.sections').getByRole('link', { name, exact: true });
      await tab.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/section=/);
      await expect(page.locator('nav.sections a[aria-current="page"]').textContent()).resolves.toBe(name);
      await expect(page.getByRole('heading', { level: 2, name: heading, exact: true }).isVisible()).resolves.toBe(true);
    }
    // The link row leads to the link's own page.
    await page.locator(`tr[data-link="${link.id}"] th a`).click();
    await page.waitForURL(`${worker.base}/campaigns/${campaign.id}/links/${link.id}`);
    await expect(page.locator('h1 code').textContent()).resolves.toBe(link.short_url);
  });

  it('mints a code batch with dates picked in the date and time pickers (UTC)', async () => {
    await page.goto(`${worker.base}/campaigns/${campaign.id}?section=codes`);
    await expect(page.locator('#b-starts_at').getAttribute('type')).resolves.toBe('datetime-local');
    await page.getByLabel('Number of codes').fill('5');
    await page.getByLabel('Prefix (optional)').fill('EE');
    await page.locator('#b-starts_at').fill('2026-04-01T09:30');
    await page.locator('#b-expires_at').fill('2099-12-31T23:00');
    await page.getByRole('button', { name: 'Mint codes' }).click();
    await page.waitForURL(/section=codes$/);
    const batch = (await api('GET', `/api/v1/code-batches?campaign_id=${campaign.id}`)).body.data[0];
    expect([batch.starts_at, batch.expires_at, batch.prefix]).toEqual(['2026-04-01T09:30:00.000Z', '2099-12-31T23:00:00.000Z', 'EE']);
    const row = page.locator(`tr[data-batch="${batch.id}"]`);
    await expect(row.locator('th').textContent()).resolves.toMatch(/^Codes EE…/);
    await expect(row.locator('[data-metric="minted"]').textContent()).resolves.toBe('5');
    await expect(row.locator('td[data-label="Valid"]').textContent()).resolves.toBe('from 1 Apr 2026 · until 31 Dec 2099');
  });

  it('creates a referral link for a customer from the page', async () => {
    await page.goto(`${worker.base}/campaigns/${campaign.id}?section=referrals`);
    await page.getByLabel('Customer reference').fill('e2e-customer-1');
    await page.getByRole('button', { name: 'Create referral link' }).click();
    await page.waitForURL(/section=referrals&referral=/);
    const url = (await page.locator('#referral-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${worker.base}/r/[0-9A-Za-z]+$`));
    const visit = await fetch(url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA, Accept: 'text/html' } });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('Location')).toMatch(/^https:\/\/shop\.example\/landing\?/);
  });

  it("renders the link page's chart over time from the visits", async () => {
    for (let i = 0; i < 3; i++) {
      const visit = await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA, Accept: 'text/html' } });
      expect(visit.status).toBe(302);
    }
    for (let i = 0; i < 40; i++) {
      if ((await api('GET', `/api/v1/links/${link.id}`)).body.stats.clicks >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await page.goto(`${worker.base}/campaigns/${campaign.id}/links/${link.id}`);
    await expect(page.locator('[data-metric="clicks"] dd').textContent()).resolves.toBe('3');
    // uPlot redraws the server's SVG chart; the page's own legend names the channel.
    const chart = page.locator('#over-time figure.chart.enhanced').first();
    await chart.locator('.uplot canvas').waitFor();
    await expect(chart.locator('svg').isVisible()).resolves.toBe(false);
    await expect(page.locator('#over-time .legend li').allTextContents()).resolves.toEqual(['Offline']);
    await expect(page.locator('#over-time .legend').isVisible()).resolves.toBe(true);
    await expect(page.locator('#devices tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#devices [data-col="device"]').textContent()).resolves.toBe('Desktop');
    await expect(page.locator('#referrers [data-col="visits"]').textContent()).resolves.toBe('3');
  });

  it('archives a campaign only after its confirm page, then restores it', async () => {
    await page.goto(`${worker.base}/campaigns`);
    await page.getByRole('link', { name: 'Archive: E2E Sections' }).click();
    await page.waitForURL(`${worker.base}/campaigns/${campaign.id}/archive?back=list`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Archive the campaign “E2E Sections”?');
    const items = await page.locator('ul.consequences li').allTextContents();
    expect(items[0]).toBe(
      "Links answering 410 'expired' instead of redirecting: 1. Of these, scanned from a printed QR code so far: 0 — printed QR codes answer 'expired' too.",
    );
    expect(items[1]).toBe("Action codes answering 'expired' when a customer enters them: 5 (batches: 1).");
    // Cancel changes nothing.
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(`${worker.base}/campaigns`);
    expect((await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA } })).status).toBe(302);
    await page.getByRole('link', { name: 'Archive: E2E Sections' }).click();
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await page.waitForURL(`${worker.base}/campaigns?notice=archived`);
    await expect(page.locator('p.notice.ok').textContent()).resolves.toBe(
      "The campaign is archived. Its links, QR codes and codes answer 'expired' until you restore it.",
    );
    expect((await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA } })).status).toBe(410);
    await page.getByRole('button', { name: 'Restore: E2E Sections' }).click();
    await page.waitForURL(`${worker.base}/campaigns?notice=restored`);
    expect((await fetch(link.short_url, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA } })).status).toBe(302);
  });

  it('revokes a key only after its confirm page', async () => {
    const minted = (await api('POST', '/api/v1/keys', { name: 'E2E shop', scopes: ['conversions:write'] })).body;
    await page.goto(`${worker.base}/settings/keys`);
    await page.getByRole('link', { name: 'Revoke: E2E shop' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Revoke the API key “E2E shop”?');
    await expect(page.locator('ul.consequences li').first().textContent()).resolves.toContain('gets 401 from now on');
    expect((await api('GET', '/api/v1/keys', undefined, minted.key)).status).toBe(403);
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.waitForURL(`${worker.base}/settings/keys?notice=revoked`);
    await expect(page.locator('p.notice.ok').textContent()).resolves.toBe('The key is revoked.');
    expect((await api('GET', '/api/v1/keys', undefined, minted.key)).status).toBe(401);
  });

  it('speaks German at phone width (375 px) without the page scrolling sideways', async () => {
    await page.goto(`${worker.base}/settings/language/de?back=${encodeURIComponent(`/campaigns/${campaign.id}`)}`);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${worker.base}/campaigns/${campaign.id}`);
    await expect(page.locator('nav.sections a[aria-current="page"]').textContent()).resolves.toBe('Links');
    await expect(page.locator('nav.sections').getByRole('link', { name: 'Aktionscodes' }).isVisible()).resolves.toBe(true);
    // The links table becomes cards: each figure is labelled.
    await expect(
      page
        .locator(`tr[data-link="${link.id}"] td[data-metric="clicks"]`)
        .evaluate(
          (td) => (globalThis as unknown as { getComputedStyle: (e: unknown, p: string) => { content: string } }).getComputedStyle(td, '::before').content,
        ),
    ).resolves.toBe('"Klicks"');
    expect(await overflow()).toBe(0);
    for (const path of [
      `/campaigns/${campaign.id}?section=qr&link=${link.id}`,
      `/campaigns/${campaign.id}?section=codes`,
      `/campaigns/${campaign.id}?section=promos`,
      `/campaigns/${campaign.id}?section=referrals`,
      `/campaigns/${campaign.id}?section=settings`,
      `/campaigns/${campaign.id}/links/${link.id}`,
      `/campaigns/${campaign.id}/archive`,
    ]) {
      await page.goto(`${worker.base}${path}`);
      if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/${path.replace(/[^a-z]+/g, '-')}.png`, fullPage: true });
      expect([path, await overflow()]).toEqual([path, 0]);
    }
    await expect(page.locator('h1').textContent()).resolves.toBe('Kampagne „E2E Sections“ archivieren?');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
