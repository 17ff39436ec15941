import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInSession, type Worker, accessibilityProblems } from './harness';

let worker: Worker;
let page: Page;

const api = async (pathname: string) => {
  const response = await fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
};
const kpi = (key: string) => page.locator(`[data-kpi="${key}"] .kpi-value`).textContent();
const sum = (rows: any[], key: string) => rows.reduce((total, row) => total + row[key], 0);

let session: Awaited<ReturnType<typeof signedInSession>>;

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('overview in Chromium', () => {
  it('switches range by preset and shows the figures of the report API for it', async () => {
    await page.getByRole('link', { name: '7 days', exact: true }).click();
    await page.waitForURL(/range=7d/);
    await expect(page.getByRole('link', { name: '7 days', exact: true }).getAttribute('aria-current')).resolves.toBe('true');
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    expect(to).toBe(new Date().toISOString().slice(0, 10));
    const report = await api(`/api/v1/reports/channels?from=${from}&to=${to}`);
    const visits = sum(report.rows, 'visits');
    expect(visits).toBeGreaterThan(0);
    await expect(kpi('visits')).resolves.toBe(visits.toLocaleString('en-GB'));
    // The note names the reader's time zone (filled in by the page's script).
    await expect(page.locator('.utc-note').textContent()).resolves.toMatch(/^Days are UTC days \(00:00–24:00 UTC\); your time zone is [A-Za-z_/]+\.$/);
    // Today is drawn, and marked as partial.
    await expect(page.locator(`#channel-bars g.day.partial[data-day="${to}"]`).count()).resolves.toBe(1);
  });

  it('switches a channel off and on from the legend', async () => {
    const emailBars = () => page.locator('#channel-bars rect[data-series="email"]').count();
    expect(await emailBars()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Hide Email' }).click();
    await page.waitForURL(/hide=email/);
    await expect(emailBars()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Show Email' }).click();
    await page.waitForURL((url) => !url.search.includes('hide='));
    expect(await emailBars()).toBeGreaterThan(0);
  });

  it('filters the page by a top campaign, with a chip that removes the filter', async () => {
    const top = page.locator('#top-campaigns tbody a').first();
    const name = (await top.textContent())!;
    await top.click();
    await page.waitForURL(/campaign_id=cmp_/);
    const campaignId = new URL(page.url()).searchParams.get('campaign_id');
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    const report = await api(`/api/v1/reports/channels?from=${from}&to=${to}&campaign_id=${campaignId}`);
    await expect(kpi('visits')).resolves.toBe(sum(report.rows, 'visits').toLocaleString('en-GB'));
    await page.getByRole('link', { name: `Remove filter ${name}` }).click();
    await page.waitForURL((url) => !url.search.includes('campaign_id'));
  });

  it('reads in German on a phone without sideways scrolling', async () => {
    await page.goto(`${worker.base}/settings/language/de?back=/`);
    await page.setViewportSize({ width: 375, height: 800 });
    for (const pathname of ['/', '/reports', '/reports/models', '/campaigns']) {
      await page.goto(`${worker.base}${pathname}`);
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth), pathname).toBe(0);
    }
    await page.goto(`${worker.base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Übersicht');
    await expect(page.getByRole('link', { name: 'E-Mail ausblenden' }).count()).resolves.toBe(1);
    await page.goto(`${worker.base}/settings/language/en?back=/`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('has no serious or critical accessibility problem on any page (axe-core)', async () => {
    const spring = (await api('/api/v1/campaigns?limit=100')).data.find((campaign: any) => campaign.name === 'Spring Sale');
    const link = (await api(`/api/v1/links?campaign_id=${spring.id}&limit=1`)).data[0];
    const key = (await (
      await fetch(`${worker.base}/api/v1/keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${worker.adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'axe', scopes: ['reports:read'] }),
      })
    ).json()) as { id: string };
    const sections = ['links', 'qr', 'codes', 'promos', 'referrals', 'settings'].map((section) => `/campaigns/${spring.id}?section=${section}`);
    const pages = [
      '/',
      '/?metric=conversions&hide=email&country=DE',
      '/campaigns',
      ...sections,
      `/campaigns/${spring.id}/links/${link.id}`,
      `/campaigns/${spring.id}/archive`,
      `/settings/keys/${key.id}/revoke`,
      '/reports',
      '/reports/models',
      '/settings/keys',
      '/settings/currency',
    ];
    const found: Record<string, string[]> = {};
    for (const pathname of pages) {
      await page.goto(`${worker.base}${pathname}`);
      const problems = await accessibilityProblems(page);
      if (problems.length > 0) found[pathname] = problems;
    }
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${worker.base}/`);
    const phone = await accessibilityProblems(page);
    if (phone.length > 0) found['/ (phone)'] = phone;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    const signin = await accessibilityProblems(page);
    if (signin.length > 0) found['/signin'] = signin;
    expect(found).toEqual({});
  });
});
