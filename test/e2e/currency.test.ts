/** The reporting currency in Chromium against `npm start` (demo data in EUR and USD with USD rates): settings page, rates by form and CSV upload, report totals and the missing-rate flag. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, vocabName } from '../../src/ui/texts/index';
import { signedInSession, type Worker } from './harness';

let worker: Worker;
let page: Page;
const today = new Date().toISOString().slice(0, 10);
const eur = (value: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(value);

const api = async (pathname: string, init: RequestInit = {}) => {
  const response = await fetch(`${worker.base}${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${worker.adminKey}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  expect(response.status).toBeLessThan(300);
  return response.status === 204 ? null : (response.json() as Promise<any>);
};

/** The channels table of /reports: its body rows and its totals row, as the API's field names. */
async function channelsTable() {
  await page.goto(`${worker.base}/reports`);
  const read = async (row: ReturnType<Page['locator']>) => ({
    channel: await row.locator('[data-col="channel"]').textContent(),
    visits: await row.locator('[data-col="visits"]').textContent(),
    conversions: await row.locator('[data-col="conversions"]').textContent(),
    revenue: await row.locator('[data-col="revenue"]').textContent(),
  });
  const rows = page.locator('#channels tbody tr');
  const body = [];
  for (let i = 0; i < (await rows.count()); i++) body.push(await read(rows.nth(i)));
  return { body, totals: await read(page.locator('#channels tfoot tr')) };
}

let session: Awaited<ReturnType<typeof signedInSession>>;

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('reporting currency in Chromium', () => {
  it('shows one row per channel and a totals row equal to the API totals, the demo USD converted', async () => {
    const report = await api('/api/v1/reports/channels');
    expect(report.currency).toBe('EUR');
    expect(report.missing_rates).toEqual([]);
    const channels = report.rows.map((row: any) => vocabName(en, 'channel', row.channel));
    expect(new Set(channels).size).toBe(channels.length);
    const table = await channelsTable();
    expect(table.body.map((row) => row.channel)).toEqual(channels);
    expect(table.totals).toEqual({
      channel: 'Total',
      visits: new Intl.NumberFormat('en-GB').format(report.totals.visits),
      conversions: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(report.totals.conversions),
      revenue: eur(report.totals.revenue),
    });
    await expect(page.locator('#channels [data-missing-rates]').count()).resolves.toBe(0);
  });

  it('flags a CHF sale without a rate, and converts it once a rate is entered in the settings form', async () => {
    await api('/api/v1/conversions', { method: 'POST', body: JSON.stringify({ type: 'sale', order_id: 'e2e-chf-1', value: 12, currency: 'CHF' }) });
    const before = await api('/api/v1/reports/channels');
    expect(before.missing_rates).toEqual(['CHF']);
    expect(before.rows.find((row: any) => row.channel === 'direct').unconverted).toEqual([{ currency: 'CHF', conversions: 1, revenue: 12 }]);
    const flagged = await channelsTable();
    expect(flagged.body.find((row) => row.channel === 'Direct')!.revenue).toContain('+ CHF\u00a012.00 not converted (no rate)');
    await expect(page.locator('#channels [data-missing-rates="CHF"]').isVisible()).resolves.toBe(true);

    await page.locator('#channels [data-missing-rates] a').click();
    await page.waitForURL(`${worker.base}/settings/currency`);
    await page.getByLabel('Currency', { exact: true }).fill('chf');
    await page.getByLabel('Day').fill(today);
    await page.getByLabel('Rate', { exact: true }).fill('0,95');
    await page.getByRole('button', { name: 'Save rate' }).click();
    await page.waitForURL(/saved=1/);
    await expect(page.locator('#done').textContent()).resolves.toBe('Exchange rates saved: 1');
    await expect(page.locator(`tr[data-rate="CHF ${today}"] [data-col="rate"]`).textContent()).resolves.toBe('0.95');

    const after = await api('/api/v1/reports/channels');
    expect(after.missing_rates).toEqual([]);
    expect(after.totals.revenue).toBe(Math.round((before.totals.revenue + 11.4) * 100) / 100);
    const converted = await channelsTable();
    expect(converted.totals.revenue).toBe(eur(after.totals.revenue));
    await expect(page.locator('#channels [data-missing-rates]').count()).resolves.toBe(0);
  });

  it('uploads a CSV file of rates, refuses a bad one naming its line, and deletes a rate', async () => {
    await page.goto(`${worker.base}/settings/currency`);
    const file = (text: string) => ({ name: 'rates.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByLabel('CSV file').setInputFiles(file('day,currency,rate\n2026-01-01,GBP,1.15\n2026-01-02,GBP,1.16\n'));
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    await page.waitForURL(/saved=2/);
    await expect(page.locator('tr[data-rate^="GBP"]').count()).resolves.toBe(2);
    await page.getByLabel('CSV file').setInputFiles(file('day,currency,rate\n2026-01-03,GBP,1.17\n2026-01-04,GBP,zero\n'));
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    await expect(page.locator('#import-error').textContent()).resolves.toBe('line 3: rate: must be a number like 0.92');
    expect((await api('/api/v1/exchange-rates?currency=GBP')).data.map((rate: any) => rate.day)).toEqual(['2026-01-02', '2026-01-01']);
    await page.goto(`${worker.base}/settings/currency`);
    await page.getByRole('button', { name: 'Delete: GBP 2026-01-01' }).click();
    await page.waitForURL(/done=deleted/);
    await expect(page.locator('tr[data-rate^="GBP"]').count()).resolves.toBe(1);
  });

  it('fits a phone and speaks German', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${worker.base}/settings/language/de?back=/settings/currency`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Berichtswährung und Wechselkurse');
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
    await page.goto(`${worker.base}/reports`);
    await expect(page.locator('#channels tfoot th').textContent()).resolves.toBe('Summe');
  });
});
