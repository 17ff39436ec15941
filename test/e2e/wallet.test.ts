/** The member's wallet in Chromium at phone width, in German and English: reading it and redeeming a reward through its form. */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWorker, type Worker, accessibilityProblems } from './harness';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'tp-wallet-shots-'));

let worker: Worker;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let walletUrl: string;
let discountId: string;

const api = async (method: string, pathname: string, body?: unknown) => {
  const response = await fetch(`${worker.base}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${worker.adminKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${method} ${pathname}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.json() as Promise<any>;
};

/** Rows set up straight in the local D1 (the program replacing the demo's, a member with earned points, a challenge), so the figures are known. */
function execute(sql: string) {
  const result = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--command', sql], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
}

const devVar = (name: string) => new RegExp(`^${name}\\s*=\\s*"?([^"\\n]+)"?`, 'm').exec(readFileSync(path.join(ROOT, '.dev.vars'), 'utf8'))?.[1];

beforeAll(async () => {
  worker = await startWorker();
  const friends = await api('POST', '/api/v1/campaigns', { name: 'Friends of the Bean Club', landing_url: 'https://shop.example/welcome' });
  const club = await api('POST', '/api/v1/campaigns', { name: 'Bean Club rewards' });
  const hash = createHmac('sha256', devVar('HASH_SECRET') ?? devVar('ADMIN_TOKEN')!)
    .update('anna-1001')
    .digest('hex');
  const at = new Date().toISOString();
  const month = at.slice(0, 7);
  const start = `${month}-01T00:00:00.000Z`;
  const end = new Date(Date.UTC(Number(at.slice(0, 4)), Number(at.slice(5, 7)), 1)).toISOString();
  execute(
    [
      `INSERT OR REPLACE INTO loyalty_program (id, name, points_name, point_value, currency, tiers, referral_campaign_id, created_at, updated_at) VALUES ('program', 'Bean Club', 'Beans', 0.01, 'EUR', '[{"name":"Bronze","min_points_12m":0,"multiplier":1},{"name":"Silver","min_points_12m":2000,"multiplier":1.25},{"name":"Gold","min_points_12m":5000,"multiplier":1.5}]', '${friends.id}', '${at}', '${at}')`,
      `INSERT INTO loyalty_members (id, customer_hash, balance, earned_total, joined_at, last_activity_at) VALUES ('mbr_01JE2E000000000000000ANNA', '${hash}', 1500, 1500, '${at}', '${at}')`,
      `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, lot, occurred_at, day) VALUES ('led_e2e_1', 'mbr_01JE2E000000000000000ANNA', 'earn', 'code_entry', 1200, 1200, '${at}', '${at.slice(0, 10)}'), ('led_e2e_2', 'mbr_01JE2E000000000000000ANNA', 'earn', 'review', 300, 300, '${at}', '${at.slice(0, 10)}')`,
      `INSERT INTO loyalty_member_months (member_id, month, earned) VALUES ('mbr_01JE2E000000000000000ANNA', '${month}', 1500)`,
      `INSERT INTO loyalty_events (id, idempotency_key, member_id, type, status, occurred_at, day) VALUES ('lev_e2e_1', 'e2e-1', 'mbr_01JE2E000000000000000ANNA', 'code_entry', 'available', '${at}', '${at.slice(0, 10)}')`,
      `INSERT INTO loyalty_challenges (id, name, event_type, goal, bonus, starts_at, ends_at, created_at) VALUES ('chl_e2e', 'Enter 5 pack codes this month', 'code_entry', 5, 100, '${start}', '${end}', '${at}')`,
    ].join('; '),
  );
  discountId = (
    await api('POST', '/api/v1/loyalty/rewards', {
      kind: 'discount',
      name: '5 € off your next order',
      cost: 1000,
      campaign_id: club.id,
      discount: '5 EUR',
      valid_days: 30,
    })
  ).id;
  await api('POST', '/api/v1/loyalty/rewards', {
    kind: 'perk',
    name: 'Roastery tour for two',
    description: 'A Saturday morning at our roastery',
    cost: 5000,
    stock: 10,
  });
  walletUrl = (await api('POST', '/api/v1/loyalty/members/anna-1001/wallet-link')).wallet_url;
  chromium = await launchChromium();
  page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 390, height: 844 });
});

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

describe('the wallet in Chromium on a phone', () => {
  it('shows the wallet in German to a German browser, fitting the phone', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'de-DE,de;q=0.9' });
    const response = await page.goto(new URL(walletUrl).pathname.replace(/^/, worker.base));
    expect(response!.status()).toBe(200);
    expect(response!.headers()['cache-control']).toBe('no-store');
    await expect(page.locator('h1').textContent()).resolves.toBe('Bean Club');
    await expect(page.locator('.balance').textContent()).resolves.toBe('1.500 Beans');
    expect(await page.getByText('im Wert von 15,00 €').isVisible()).toBe(true);
    expect(await page.getByText('Noch 500 Beans in 12 Monaten bis Silver').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Für 1.000 Beans einlösen' }).isVisible()).toBe(true);
    expect(await page.getByText('Noch 3.500 Beans nötig').isVisible()).toBe(true);
    expect(await page.getByText('1 von 5').isVisible()).toBe(true);
    await expect(page.locator('#friend + p + p a').textContent()).resolves.toMatch(/\/r\/[0-9A-Z]{10}$/);
    expect(await page.locator('.card svg').isVisible()).toBe(true);
    // Phone first: nothing wider than the screen.
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'wallet-phone-de.png'), fullPage: true });
  });

  it('redeems a reward through its form in English and shows the promo code, which the checkout then accepts', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en-GB,en;q=0.9' });
    await page.goto(`${worker.base}${new URL(walletUrl).pathname}`);
    await expect(page.locator('.balance').textContent()).resolves.toBe('1,500 Beans');
    await page.getByRole('button', { name: 'Redeem for 1,000 Beans' }).click();
    await page.waitForURL(/redeemed=rdm_/);
    expect(await page.getByRole('heading', { name: 'Redeemed: 5 € off your next order' }).isVisible()).toBe(true);
    const code = (await page.locator('.code').textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await expect(page.locator('.balance').textContent()).resolves.toBe('500 Beans');
    expect(await page.getByText('Redeemed · reward').isVisible()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'wallet-phone-en-redeemed.png'), fullPage: true });

    // Reloading the page redeems nothing twice.
    await page.reload();
    await expect(page.locator('.balance').textContent()).resolves.toBe('500 Beans');
    const valid = await api('POST', '/api/v1/promo-codes/validate', { code });
    expect(valid).toMatchObject({ valid: true, discount: '5 EUR', remaining: 1 });
    expect((await api('GET', `/api/v1/loyalty/rewards/${discountId}`)).redeemed).toBe(1);
  });
});
