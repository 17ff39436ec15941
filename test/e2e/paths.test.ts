/** The conversion-paths page and the data-driven model beside the five in the model comparison, in Chromium. */
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

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('conversion paths in Chromium', () => {
  it('is reached from the reports page and shows the paths, lengths and days of the report API', async () => {
    await page.goto(`${worker.base}/reports`);
    await page.getByRole('link', { name: 'Conversion paths' }).first().click();
    await page.waitForURL(/\/reports\/paths/);
    const from = await page.locator('#f-from').inputValue();
    const to = await page.locator('#f-to').inputValue();
    const report = await api(`/api/v1/reports/paths?from=${from}&to=${to}`);
    expect(report.rows.length).toBeGreaterThan(0);
    const rows = page.locator('#paths tbody tr');
    await expect(rows.count()).resolves.toBe(report.rows.length);
    const first = report.rows[0];
    await expect(rows.first().getAttribute('data-path')).resolves.toBe(first.path);
    await expect(rows.first().locator('[data-col="conversions"]').textContent()).resolves.toBe(first.conversions.toLocaleString('en-GB'));
    await expect(page.locator('#path-lengths tbody tr').count()).resolves.toBe(report.path_lengths.length);
    await expect(page.locator('#days-to-conversion tbody tr').count()).resolves.toBe(report.days_to_conversion.length);
    const lengths = await page.locator('#path-lengths tbody tr [data-col="conversions"]').allTextContents();
    expect(lengths).toEqual(report.path_lengths.map((row: any) => row.conversions.toLocaleString('en-GB')));
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('downloads the paths as CSV', async () => {
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const response = await page.request.get(`${worker.base}${href}`);
    expect(response.status()).toBe(200);
    const lines = (await response.text()).split(/\r?\n/).filter((line) => line !== '');
    expect(lines[0]).toBe('section,path,touches,days,conversions,share,revenue,currency,unconverted');
    // The three tables of the page, in order, told apart by the section column.
    const report = await api(`/api/v1/reports/paths?${new URL(href!, worker.base).searchParams.toString().replace(/(^|&)format=csv/, '')}`);
    const sections = lines.slice(1).map((line) => line.slice(0, line.indexOf(',')));
    expect(sections).toEqual([
      ...report.rows.map(() => 'path'),
      ...report.path_lengths.map(() => 'path_length'),
      ...report.days_to_conversion.map(() => 'days_to_conversion'),
    ]);
  });

  it('shows the data-driven model beside the five rule-based ones, with its removal effects', async () => {
    await page.goto(`${worker.base}/reports/models`);
    await expect(page.locator('#model-comparison thead th[colspan="2"]').allTextContents()).resolves.toEqual([
      'Last touch',
      'First touch',
      'Linear',
      'Time decay',
      'Position based',
      'Data-driven (Markov)',
    ]);
    const to = await page.locator('#f-to').inputValue();
    const from = await page.locator('#f-from').inputValue();
    const report = await api(`/api/v1/reports/channels?from=${from}&to=${to}&model=markov`);
    const effects = page.locator('#removal-effects tbody tr');
    await expect(effects.count()).resolves.toBe(report.markov.channels.length);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
