/** Spend in Chromium against `npm start`: a day's cost by form and by CSV upload, then the channel and campaign tables of /reports showing the API's spend, ROAS and CAC. */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, vocabName } from '../../src/ui/texts/index';
import { signedInSession, type Worker } from './harness';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;
const today = new Date().toISOString().slice(0, 10);
const eur = (value: number | null) => (value === null ? '–' : new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(value));
const num = (value: number | null) => (value === null ? '–' : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(value));

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

describe('spend in Chromium', () => {
  it('adds a campaign day by the form and a channel day by CSV upload, listed on the spend page', async () => {
    await page.goto(`${worker.base}/reports`);
    await page.locator('#spend-link').click();
    await page.waitForURL(`${worker.base}/reports/spend`);
    const campaign = (await page.locator('#f-target optgroup[label="Campaign"] option').first().textContent())!;
    await page.getByLabel('Day').fill(today);
    await page.getByLabel('Campaign or channel').selectOption({ label: campaign });
    await page.getByLabel('Amount').fill('300,00');
    await page.getByLabel('Currency').fill('eur');
    await page.getByRole('button', { name: 'Save spend' }).click();
    await page.waitForURL(/saved=1/);
    await expect(page.locator('#done').textContent()).resolves.toBe('Spend saved: 1');

    await page.getByLabel('CSV file').setInputFiles({
      name: 'spend.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`day,channel,amount,currency\n${today},paid,50,EUR\n`),
    });
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    await page.waitForURL(/saved=1/);
    const rows = await page
      .locator('#spend-entries tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('[data-col]')].map((td) => td.textContent)));
    expect(rows).toEqual([
      [today, campaign, '€300.00'],
      [today, 'Paid', '€50.00'],
    ]);
  });

  it('shows in the channel and campaign tables of /reports the spend, cost per conversion, ROAS and CAC the API answers', async () => {
    const channels = await api('/api/v1/reports/channels');
    const campaigns = await api('/api/v1/reports/campaigns');
    expect(channels.totals.spend).toBe(350);
    expect(campaigns.totals.spend).toBe(350);
    await page.goto(`${worker.base}/reports`);
    const read = (table: string) =>
      page
        .locator(`#${table} tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.getAttribute('data-col'), td.textContent]))),
        );
    const shown = await read('channels');
    expect(shown.map((row) => [row.channel, row.spend, row.cost_per_conversion, row.roas, row.cac])).toEqual(
      channels.rows.map((row: any) => [vocabName(en, 'channel', row.channel), eur(row.spend), eur(row.cost_per_conversion), num(row.roas), eur(row.cac)]),
    );
    // The campaign's 300 € are split over its links' channels: the rows add up to everything entered (each row to the cent).
    const rowSum = channels.rows.reduce((sum: number, row: any) => sum + row.spend, 0);
    expect(Math.abs(rowSum - 350)).toBeLessThanOrEqual(0.005 * channels.rows.length);
    await expect(page.locator('#channels tfoot [data-col="spend"]').textContent()).resolves.toBe('€350.00');
    const shownCampaigns = await read('campaigns');
    expect(shownCampaigns.map((row) => [row.spend, row.roas, row.cac])).toEqual(
      campaigns.rows.map((row: any) => [eur(row.spend), num(row.roas), eur(row.cac)]),
    );
    await expect(page.locator('#campaigns tfoot [data-col="spend"]').textContent()).resolves.toBe('€350.00');
  });

  it('shows customer value per acquisition channel as the API answers it, with its CSV', async () => {
    const value = await api('/api/v1/reports/customer-value');
    expect(value.rows.length).toBeGreaterThan(0);
    await page.goto(`${worker.base}/reports`);
    const shown = await page
      .locator('#customer-value tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.getAttribute('data-col'), td.textContent]))),
      );
    expect(shown.map((row) => [row.channel, row.customers, row.revenue_per_customer_d30, row.spend, row.cac])).toEqual(
      value.rows.map((row: any) => [
        vocabName(en, 'channel', row.channel),
        num(row.customers),
        eur(row.revenue_per_customer_d30),
        eur(row.spend),
        eur(row.cac),
      ]),
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="customer-value"]').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'channel,currency,customers,customers_d30,revenue_per_customer_d30,repeat_rate_d30,customers_d90,revenue_per_customer_d90,repeat_rate_d90,customers_d365,revenue_per_customer_d365,repeat_rate_d365,spend,cac,value_to_cac_d30,value_to_cac_d90,value_to_cac_d365',
    );
    expect(text.split('\r\n')).toHaveLength(value.rows.length + 3);
  });
});
