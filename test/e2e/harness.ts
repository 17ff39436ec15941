/**
 * E2E harness: `npm start` on a free port with a fresh persisted D1 in a temp
 * dir (small demo seed), and headless Debian Chromium through playwright-core.
 * Missing Chromium fails loudly: these tests never skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A small demo for test runs; `npm run screenshots` takes the full one that `npm start` seeds, so the pictures show a real month. */
const DEMO_TOUCHES = process.env.UPDATE_SCREENSHOTS === '1' ? '5000' : '200';
const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  // E2E_PORT: a fixed port (on a shared machine, the one assigned to you); workers then start one after the other.
  if (process.env.E2E_PORT) return Number(process.env.E2E_PORT);
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Worker {
  base: string;
  adminKey: string;
  /** The local D1's directory (wrangler --persist-to), for rows no API writes yet. */
  persist: string;
  /** Stops the Worker (flushing what it buffered) and deletes its database, unless `keepDatabase`. */
  stop: (options?: { keepDatabase?: boolean }) => Promise<void>;
}

/**
 * Starts `npm start` and waits until /healthz answers {"status":"ok"} and it printed its banner. Each test file gets
 * a database of its own: a copy of the one global-setup.ts seeded once for the run (migrated, demo data and extras
 * in), so `npm start` finds it filled and only boots the Worker; `fresh` (or no template) seeds from empty.
 */
export async function startWorker(options: { fresh?: boolean } = {}): Promise<Worker> {
  const port = await freePort();
  const persist = mkdtempSync(path.join(tmpdir(), 'tp-e2e-db-'));
  const template = options.fresh ? undefined : injectedTemplate();
  if (template) cpSync(template, persist, { recursive: true });
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TP_PERSIST_DIR: persist, TP_DEMO_TOUCHES: DEMO_TOUCHES },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output.slice(-3000)}`);
    try {
      const response = await fetch(`${base}/healthz`);
      // Ready once npm start has also added its demo extras through the API (it prints its banner after them).
      if (response.ok && ((await response.json()) as { status?: string }).status === 'ok' && output.includes('Touchpoint is running on')) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`the Worker did not answer on ${base}:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const vars = readFileSync(path.join(ROOT, '.dev.vars'), 'utf8');
  const adminKey = /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(vars)![1];
  const stop = async (options: { keepDatabase?: boolean } = {}) => {
    if (child.exitCode === null && child.pid) {
      process.kill(-child.pid, 'SIGINT');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
          resolve(null);
        }, 10_000);
        child.once('exit', () => (clearTimeout(timer), resolve(null)));
      });
    }
    if (!options.keepDatabase) rmSync(persist, { recursive: true, force: true });
  };
  return { base, adminKey, persist, stop };
}

/** The seeded database global-setup.ts provides to this run, if any (`inject` throws outside a vitest worker). */
function injectedTemplate(): string | undefined {
  try {
    return inject('e2eTemplateDb') || undefined;
  } catch {
    return undefined;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplateDb: string;
  }
}

/** Launches headless Chromium on a fresh temp profile (a persistent context: playwright passes it as --user-data-dir). */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'tp-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A worker with demo data and Chromium signed in with its admin key, on the overview. */
export async function signedInSession(): Promise<{
  worker: Worker;
  chromium: Awaited<ReturnType<typeof launchChromium>>;
  page: Page;
  stop: () => Promise<void>;
}> {
  const worker = await startWorker();
  const chromium = await launchChromium();
  const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
  page.setDefaultTimeout(15_000);
  await page.goto(`${worker.base}/signin`);
  await page.getByLabel('API key').fill(worker.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${worker.base}/`);
  return { worker, chromium, page, stop: async () => (await chromium.close(), await worker.stop()) };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core findings on `page` as it stands: rule, impact and the first offending elements. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const results = await page.evaluate(() => (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation: any) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation: any) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 3)
          .map((node: any) => node.target.join(' '))
          .join(' | ')}`,
    );
}
