/** The import page in Chromium against `npm start`: a link file sent in parts with progress, results failed first, the CSV download, a re-run, past orders, a phone. */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, signedInSession, type Worker } from './harness';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

const api = async (pathname: string, body: unknown) => {
  const response = await fetch(`${worker.base}${pathname}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${worker.adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return response.json() as Promise<any>;
};

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

/** Picks `csv` as the file and starts the import of `kind`; resolves to the final status text. */
async function importFile(kind: 'Links' | 'Past orders', csv: string): Promise<string> {
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('CSV file (UTF-8, with a header row)').setInputFiles({ name: 'import.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#import-status.notice').waitFor();
  return (await page.locator('#import-status').textContent()) ?? '';
}

const statuses = () => page.locator('#import-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));

describe('the import page in Chromium', () => {
  it('sends 1,200 links in three parts with a progress bar and lists the two broken rows first', async () => {
    const campaign = await api('/api/v1/campaigns', { name: 'E2E Import' });
    const lines = ['\uFEFFcampaign,destination,utm_content'];
    for (let i = 1; i <= 1200; i++) {
      if (i === 7) lines.push(`${campaign.id},not-a-url,`);
      else if (i === 1100) lines.push('No Such Campaign,https://shop.example/x,');
      else lines.push(`${campaign.id},https://shop.example/e2e/${i},"note ${i}, with a comma"`);
    }
    const csv = `${lines.join('\r\n')}\r\n`;

    await page.goto(`${worker.base}/imports`);
    expect(await page.locator('nav[aria-label="main"] a[aria-current="page"]').textContent()).toBe('Import');
    expect(await accessibilityProblems(page)).toEqual([]);

    const parts: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/imports/data/links')) parts.push((request.postData() ?? '').split('\r\n').filter(Boolean).length - 1);
    });
    expect(await importFile('Links', csv)).toBe('Done — rows: 1200, created: 1198, duplicates: 0, failed: 2.');
    expect(parts).toEqual([500, 500, 200]);
    expect(await page.locator('#import-bar').evaluate((bar) => [(bar as unknown as { value: number }).value, (bar as unknown as { max: number }).max])).toEqual(
      [1200, 1200],
    );
    const rows = await statuses();
    expect(rows).toHaveLength(1200);
    expect(rows.slice(0, 3)).toEqual(['failed', 'failed', 'created']);
    const firstCells = async (n: number) => page.locator('#import-table tbody tr').nth(n).locator('td').allTextContents();
    expect(await firstCells(0)).toEqual(['7', '8', 'failed', '', 'validation_error: destination: must be an absolute URL']);
    expect(await firstCells(1)).toEqual(['1100', '1101', 'failed', '', 'unprocessable: campaign: no campaign has the id or name "No Such Campaign"']);
    expect(await accessibilityProblems(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('import-results.csv');
    const text = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(text.slice(0, 3)).toEqual([
      'row,line,status,id,error_code,error_message',
      '7,8,failed,,validation_error,destination: must be an absolute URL',
      '1100,1101,failed,,unprocessable,"campaign: no campaign has the id or name ""No Such Campaign"""',
    ]);
    expect(text[3]).toMatch(/^1,2,created,lnk_[0-9A-Z]{26},,$/);
    expect(text).toHaveLength(1202);

    // The same file again creates nothing new.
    expect(await importFile('Links', csv)).toBe('Done — rows: 1200, created: 0, duplicates: 1198, failed: 2.');
  });

  it('imports past orders and stops at a file the server refuses', async () => {
    await page.goto(`${worker.base}/imports`);
    const orders = 'order_id,occurred_at,value,currency\ne2e-imp-1,2026-01-10T10:00:00Z,25.00,EUR\ne2e-imp-2,2026-01-11T10:00:00Z,12,\n';
    expect(await importFile('Past orders', orders)).toBe('Done — rows: 2, created: 1, duplicates: 0, failed: 1.');
    expect(await statuses()).toEqual(['failed', 'created']);

    expect(await importFile('Past orders', 'order_id,colour\nx,y\n')).toBe(
      'The import stopped (rows imported: 0 of 1): Unknown column "colour"; the columns are order_id, occurred_at, type, value, currency, customer_ref, click_id, promo_code',
    );
  });

  it('fits a phone: no sideways scrolling, results as cards, nothing for axe to flag', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${worker.base}/imports`);
    expect(await importFile('Past orders', 'order_id,occurred_at\ne2e-phone-1,2026-02-01T00:00:00Z\n')).toBe(
      'Done — rows: 1, created: 1, duplicates: 0, failed: 0.',
    );
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    expect(await page.locator('#import-table thead').evaluate((head) => head.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
