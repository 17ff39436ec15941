/** The RFM and cohort pages in Chromium: reached from the reports page, equal to the report API, usable at phone width. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, signedInSession, type Worker } from './harness';

const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'tp-rfm-shots-'));

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

const api = async (pathname: string) => {
  const response = await fetch(`${worker.base}${pathname}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
};

/** Screenshots at desktop and phone width, the axe findings at each, and whether the page itself scrolls sideways on the phone. */
async function atBothWidths(name: string) {
  const found: Record<string, string[]> = {};
  let phoneOverflow = 0;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.reload();
    await page.screenshot({ path: path.join(SHOTS, `${name}${width < 500 ? '-phone' : ''}.png`), fullPage: true });
    const problems = await accessibilityProblems(page);
    if (problems.length > 0) found[`@${width}`] = problems;
    if (width < 500)
      phoneOverflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return { found, phoneOverflow };
}

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('RFM segments in Chromium', () => {
  it('is reached from the reports page and shows the segments and channel counts of the report API', async () => {
    await page.goto(`${worker.base}/reports`);
    await page.getByRole('link', { name: 'RFM segments' }).first().click();
    await page.waitForURL(/\/reports\/rfm/);
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    const report = await api(`/api/v1/reports/rfm?from=${from}&to=${to}`);
    expect(report.totals.customers).toBeGreaterThan(0);
    const counts = await page.locator('#rfm-segments tbody tr [data-col="customers"]').allTextContents();
    expect(counts).toEqual(report.segments.map((row: any) => row.customers.toLocaleString('en-GB')));
    const channels = await page.locator('#rfm-channels tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-channel')));
    expect(channels).toEqual(report.rows.map((row: any) => row.channel));
    await expect(page.locator('#rfm-channels tfoot [data-col="customers"]').textContent()).resolves.toBe(report.totals.customers.toLocaleString('en-GB'));
    await expect(page.locator('table.rfm-grid tbody td').count()).resolves.toBe(25);
  });

  it('downloads both tables as CSV', async () => {
    const links = await page.getByRole('link', { name: 'CSV' }).evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    const heads = await Promise.all(links.map(async (href) => (await (await page.request.get(`${worker.base}${href}`)).text()).split(/\r?\n/)[0]));
    expect(heads).toEqual([
      'segment,customers,share,revenue,currency,mean_recency_days,mean_orders,revenue_per_customer',
      'channel,customers,champions,loyal,potential_loyalists,new,promising,need_attention,about_to_sleep,at_risk,cant_lose_them,hibernating,lost',
    ]);
  });

  it('has no serious accessibility problem and no sideways page scroll at 1280 and 375 px', async () => {
    expect(await atBothWidths('rfm')).toEqual({ found: {}, phoneOverflow: 0 });
  });
});

describe('cohorts in Chromium', () => {
  it('is reached from the reports page and shows the last twelve months of cohorts as in the report API', async () => {
    await page.goto(`${worker.base}/reports`);
    await page.getByRole('link', { name: 'Cohorts' }).first().click();
    await page.waitForURL(/\/reports\/cohorts/);
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    expect(from.endsWith('-01')).toBe(true);
    const report = await api(`/api/v1/reports/cohorts?from=${from}&to=${to}`);
    expect(report.cohorts.length).toBeGreaterThan(0);
    const cohorts = await page.locator('#cohorts tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-cohort')));
    expect(cohorts).toEqual(report.cohorts.map((cohort: any) => cohort.cohort));
    const first = report.cohorts[0];
    const shares = await page
      .locator('#cohorts tbody tr')
      .first()
      .locator('td.heat')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-share')));
    expect(shares).toEqual(first.cells.map((cell: any) => String(cell.share)));
    await expect(page.locator('.heat-legend li').count()).resolves.toBe(6);
  });

  it('filters by membership through the form and keeps the range', async () => {
    const from = await page.locator('#f-from').inputValue();
    await page.locator('#f-membership').selectOption('non_member');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/membership=non_member/);
    expect(await page.locator('#f-from').inputValue()).toBe(from);
    const to = await page.locator('#f-to').inputValue();
    const report = await api(`/api/v1/reports/cohorts?from=${from}&to=${to}&membership=non_member`);
    const sizes = await page.locator('#cohorts tbody tr [data-col="customers"]').allTextContents();
    expect(sizes).toEqual(report.cohorts.map((cohort: any) => cohort.customers.toLocaleString('en-GB')));
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(href).toContain('membership=non_member');
    const csv = await (await page.request.get(`${worker.base}${href}`)).text();
    expect(csv.split(/\r?\n/)[0]).toBe('cohort,cohort_customers,month,customers,share,orders,revenue,currency');
  });

  it('has no serious accessibility problem and no sideways page scroll at 1280 and 375 px', async () => {
    expect(await atBothWidths('cohorts')).toEqual({ found: {}, phoneOverflow: 0 });
  });
});
