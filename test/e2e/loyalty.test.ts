/** The bonus program pages in Chromium: the report equals the API, a draw is created and run from the page, German on a phone, axe-core at 1280 and 375 px. */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInSession, type Worker, accessibilityProblems } from './harness';

/** Every page of the bonus program, for the phone and accessibility checks (and the screenshots). */
const PAGES = ['/loyalty', '/loyalty/draws', '/loyalty/program', '/loyalty/rules', '/loyalty/rewards', '/loyalty/challenges'];
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'tp-loyalty-shots-'));

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

const api = async (pathname: string) => {
  const response = await fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
};

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('bonus program pages in Chromium', () => {
  it('opens the report from the navigation with the figures of the API', async () => {
    await page.getByRole('link', { name: 'Bonus program', exact: true }).click();
    await page.waitForURL(/\/loyalty$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Bonus program');
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    const report = await api(`/api/v1/reports/loyalty-program?from=${from}&to=${to}`);
    await expect(page.locator('[data-kpi="total"] .kpi-value').textContent()).resolves.toBe(report.members.total.toLocaleString('en-GB'));
    const csvHref = await page.locator('[data-csv="lp-liability"]').getAttribute('href');
    const csv = await page.request.get(`${worker.base}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe('day,balance,pending,debt,value,currency');
  });

  it('creates a draw, runs it once closed, and shows the seed that hashes to the published hash', async () => {
    await page.goto(`${worker.base}/loyalty/draws`);
    await page.getByLabel('Name', { exact: true }).fill('New year draw');
    await page.getByLabel('Entries from', { exact: true }).selectOption('events');
    await page.getByLabel('Event type (loyalty events)', { exact: true }).selectOption('review');
    await page.getByLabel('Window starts (UTC)', { exact: true }).fill('2020-01-01T00:00');
    await page.getByLabel('Window ends (UTC)', { exact: true }).fill('2020-01-08T00:00');
    await page.getByLabel('Prizes', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Create draw' }).click();
    await page.waitForURL(/done=created/);
    const card = page.locator('section[data-status="closed"]', { hasText: 'New year draw' });
    const hash = (await card.locator('[data-field="seed_hash"]').textContent())!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(card.locator('[data-field="seed"]').count()).resolves.toBe(0);
    await card.getByRole('button', { name: 'Run draw New year draw' }).click();
    await page.waitForURL(/done=ran/);
    const drawn = page.locator('section[data-status="drawn"]', { hasText: 'New year draw' });
    const seed = (await drawn.locator('[data-field="seed"]').textContent())!;
    expect(createHash('sha256').update(seed).digest('hex')).toBe(hash);
  });

  it('reads in German on a phone without sideways scrolling', async () => {
    await page.goto(`${worker.base}/settings/language/de?back=/loyalty`);
    await page.setViewportSize({ width: 375, height: 800 });
    for (const pathname of PAGES) {
      await page.goto(`${worker.base}${pathname}`);
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth), pathname).toBe(0);
    }
    await page.goto(`${worker.base}/loyalty`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Bonusprogramm');
    await page.goto(`${worker.base}/settings/language/en?back=/loyalty`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('has no serious or critical accessibility problem at 1280 and 375 px (axe-core)', async () => {
    const found: Record<string, string[]> = {};
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const pathname of PAGES) {
        await page.goto(`${worker.base}${pathname}`);
        const name = pathname.slice(1).replace('/', '-');
        await page.screenshot({ path: path.join(SHOTS, `${name}${width < 500 ? '-phone' : ''}.png`), fullPage: true });
        const problems = await accessibilityProblems(page);
        if (problems.length > 0) found[`${pathname} @${width}`] = problems;
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(found).toEqual({});
  });
});
