/** Shop connections in Chromium against `npm start`: added from the navigation, the secret typed into a password field, a signed WooCommerce order delivered to the URL the page shows, axe-core at 1280 and 375 px. */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInSession, type Worker, accessibilityProblems } from './harness';

const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(import.meta.dirname, '../../docs/screenshots')
    : mkdtempSync(path.join(tmpdir(), 'tp-connections-shots-'));
const SECRET = 'e2e-woocommerce-secret';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('shop connections in Chromium', () => {
  it('adds a WooCommerce connection whose URL takes a signed order as a sale', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.waitForURL(/\/settings\/connections$/);
    await page.getByLabel('Platform').selectOption('woocommerce');
    await page.getByLabel('Name', { exact: true }).fill('Kaffee-Shop');
    const secret = page.getByLabel('Signing secret');
    await expect(secret.getAttribute('type')).resolves.toBe('password');
    await secret.fill(SECRET);
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.waitForURL(/created=int_/);
    const url = (await page.locator('#new-webhook-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${worker.base}/hooks/woocommerce/int_[0-9A-Z]{26}$`));
    await expect(page.content()).resolves.not.toContain(SECRET);

    const body = JSON.stringify({ id: 4711, status: 'processing', currency: 'EUR', total: '24.50', customer_id: 0, billing: { email: 'e2e@example.com' } });
    const signature = createHmac('sha256', SECRET).update(body).digest('base64');
    const delivered = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Signature': signature },
    });
    expect(delivered.status).toBe(200);
    const conversionId = ((await delivered.json()) as any).orders[0].conversion_id;
    const conversion = await (
      await fetch(`${worker.base}/api/v1/conversions/${conversionId}`, { headers: { Authorization: `Bearer ${worker.adminKey}` } })
    ).json();
    expect(conversion).toMatchObject({ type: 'sale', value: 24.5, currency: 'EUR', order_id: `woocommerce:${url.split('/').pop()}:4711` });

    await page.reload();
    await expect(page.locator('tr[data-connection] [data-col="last_received"]').textContent()).resolves.not.toBe('never');
  });

  it('has no serious or critical accessibility problem at 1280 and 375 px (axe-core)', async () => {
    const found: Record<string, string[]> = {};
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${worker.base}/settings/connections`);
      await page.screenshot({ path: path.join(SHOTS, `connections${width < 500 ? '-phone' : ''}.png`), fullPage: true });
      const problems = await accessibilityProblems(page);
      if (problems.length > 0) found[`@${width}`] = problems;
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(found).toEqual({});
  });
});
