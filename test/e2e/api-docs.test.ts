/**
 * The API reference page in Chromium: /api/docs renders every operation of the
 * OpenAPI document and every webhook event, loading nothing from another
 * origin and breaking no rule of its Content-Security-Policy. And the typed
 * TypeScript client made from the same document (in Node, sharing the Worker):
 * `npm run client -- --check` finds the committed client/openapi.json and
 * client/schema.d.ts byte for byte what the code makes now, and
 * client/example.ts (typechecked by `npm run typecheck`) creates a campaign
 * and a link on the running Worker.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWorker, type Worker } from './harness';

// `npm run screenshots` refreshes docs/screenshots/api-docs.png; plain test runs write to a temp dir.
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'tp-api-docs-shots-'));

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let worker: Worker;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const problems: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  worker = await startWorker();
  chromium = await launchChromium();
  page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(worker.base) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
});

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

describe('/api/docs in Chromium', () => {
  it('renders every operation and webhook of the document from same-origin assets, within its CSP', async () => {
    const doc = (await (await fetch(`${worker.base}/api/v1/openapi.json`)).json()) as any;
    const operations = Object.entries<any>(doc.paths).flatMap(([route, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`));

    await page.goto(`${worker.base}/api/docs`);
    await page.locator('.opblock').first().waitFor();
    await expect(page.locator('.info .title').textContent()).resolves.toContain('Touchpoint');
    // The page as it opens: title, overview with the error codes, the first resources.
    await page.screenshot({ path: path.join(SHOTS, 'api-docs.png') });
    const rendered = await page
      .locator('.opblock-tag-section .opblock')
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect([...new Set(rendered)].sort()).toEqual(operations.sort());
    const webhooks = await page.locator('.webhooks .opblock-summary-path').allTextContents();
    for (const event of Object.keys(doc.webhooks)) expect(webhooks.join(' ')).toContain(event);

    // One operation opened: its description names the scope, and the error codes are in the overview.
    await page.locator('#operations-exports-get_api_v1_exports_touches .opblock-summary-control').click();
    await expect(page.locator('#operations-exports-get_api_v1_exports_touches .opblock-description-wrapper').textContent()).resolves.toContain(
      'Scope: reports:read (or admin).',
    );
    await expect(page.locator('.info .description').textContent()).resolves.toContain('validation_error');

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('the typed client', () => {
  it('is current: regenerating gives the same bytes', async () => {
    const { stdout } = await run('node', ['scripts/client.mjs', '--check'], { cwd: ROOT });
    expect(stdout.trim()).toBe('client/openapi.json and client/schema.d.ts are current');
  });

  it('runs the README example against the Worker: a campaign and its QR link', async () => {
    const { stdout } = await run('node', ['--experimental-strip-types', '--no-warnings', 'client/example.ts'], {
      cwd: ROOT,
      env: { ...process.env, TOUCHPOINT_URL: worker.base, TOUCHPOINT_KEY: worker.adminKey },
    });
    const [, shortUrl, trackedUrl] = /^(\S+) → (\S+) \(channel offline\)$/.exec(stdout.trim())!;
    expect(shortUrl.startsWith(`${worker.base}/`)).toBe(true);
    expect(trackedUrl).toBe('https://shop.example/spring?utm_source=flyer&utm_medium=print&utm_campaign=spring-sale');
    const links = (await (await fetch(`${worker.base}/api/v1/links?limit=200`, { headers: { Authorization: `Bearer ${worker.adminKey}` } })).json()) as any;
    expect(links.data.some((link: any) => link.short_url === shortUrl && link.kind === 'qr')).toBe(true);
  });
});
