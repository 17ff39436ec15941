#!/usr/bin/env node
// npm run bench:outage — "no lost touch" under a D1 outage. Starts `wrangler dev` on a free port with a fresh local D1,
// creates links, runs redirect load with autocannon (20 connections, 25 s; 9 of 10 requests to 5 cached links, 1 of 10
// to a link never visited before), and 7 s in locks the local D1 sqlite file for 10 s from Node (BEGIN EXCLUSIVE …
// COMMIT). A probe measures the latency of a cached link every 100 ms. Then it waits for the buffer (and the queue) to
// drain and counts touches in D1 against the 302s: they must be equal, and no 5xx other than 503 (uncached during the
// lock, or a full buffer) may occur. Variants: without a queue (default bound; a temporary wrangler config with the queue
// unbound), and with TOUCH_QUEUE (bound in wrangler.toml) and a small bound, so that rows beyond it go through the queue.
// Env: BENCH_PORT (free when unset), BENCH_VARIANTS (plain,queue; none: only the stop check), BENCH_SECONDS (25), BENCH_LOCK_AT (7), BENCH_LOCK_SECONDS (10),
//      BENCH_QUEUE_MAX_ROWS (300), BENCH_STOP (1: also the graceful-stop check through scripts/start.mjs; 0: skip).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { api, BENCH_TOKEN, BROWSER_UA, freePort, load, migrate, noQueueConfig, sleep, startWorker, tempDir } from './bench/lib.mjs';

const variants = (process.env.BENCH_VARIANTS ?? 'plain,queue').split(',').filter((variant) => variant && variant !== 'none');
const seconds = Number(process.env.BENCH_SECONDS ?? 25);
const lockAt = Number(process.env.BENCH_LOCK_AT ?? 7);
const lockSeconds = Number(process.env.BENCH_LOCK_SECONDS ?? 10);
const queueMaxRows = Number(process.env.BENCH_QUEUE_MAX_ROWS ?? 300);
const headers = { 'User-Agent': BROWSER_UA, Accept: 'text/html' };
const root = path.resolve(import.meta.dirname, '..');

/** The local D1's sqlite file under a persist dir. */
function d1File(persistTo) {
  const dir = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`no D1 sqlite file in ${dir}`);
  return path.join(dir, file);
}

/**
 * Holds an exclusive lock on the sqlite file for `ms` (another process keeping the database busy). It runs in a child
 * process: node:sqlite is synchronous, and waiting for the lock in this process would stall the load generator.
 */
function lockDatabase(file, ms) {
  const script = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.argv[1], { timeout: 10000 });
    db.exec('BEGIN EXCLUSIVE');
    const lockedAt = Date.now();
    setTimeout(() => { db.exec('COMMIT'); db.close(); console.log(JSON.stringify({ lockedAt, releasedAt: Date.now() })); }, Number(process.argv[2]));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '-e', script, file, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the lock process failed (${code})`))));
  });
}

function countTouches(file) {
  const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
  try {
    return db.prepare('SELECT COUNT(*) AS n FROM touches').get().n;
  } finally {
    db.close();
  }
}

/** Latency of a cached link, sampled every 100 ms while `running()`. */
async function probe(url, running) {
  const samples = [];
  while (running()) {
    const started = performance.now();
    try {
      const response = await fetch(url, { redirect: 'manual', headers });
      await response.arrayBuffer();
      samples.push({ ms: performance.now() - started, status: response.status });
    } catch {
      samples.push({ ms: performance.now() - started, status: 0 });
    }
    await sleep(100);
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    samples: samples.length,
    redirects: samples.filter((s) => s.status === 302).length,
    p50: Math.round(sorted[Math.floor(sorted.length / 2)]),
    p99: Math.round(sorted[Math.floor(sorted.length * 0.99)]),
    max: Math.round(sorted.at(-1)),
    not302: samples.filter((s) => s.status !== 302).length,
  };
}

async function runVariant(variant) {
  const persistTo = tempDir(`bench-outage-${variant}`);
  migrate(persistTo);
  const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
  const vars = { ADMIN_TOKEN: BENCH_TOKEN };
  if (variant === 'queue') vars.TOUCH_BUFFER_MAX_ROWS = String(queueMaxRows);
  const config = variant === 'queue' ? 'wrangler.toml' : noQueueConfig(persistTo);
  const worker = await startWorker({ port, config, persistTo, vars });
  try {
    const call = api(worker.base);
    const campaign = await call('POST', '/api/v1/campaigns', { name: 'Outage' });
    const hot = [];
    for (let i = 0; i < 5; i++)
      hot.push((await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: `https://shop.example/hot/${i}` })).slug);
    const cold = [];
    for (let batch = 0; batch < 3; batch++) {
      const links = Array.from({ length: 1000 }, (_, i) => ({ campaign_id: campaign.id, destination: `https://shop.example/cold/${batch}/${i}` }));
      cold.push(...(await call('POST', '/api/v1/links/bulk', { links })).data.map((link) => link.slug));
    }
    for (const slug of hot) await fetch(`${worker.base}/${slug}`, { redirect: 'manual', headers }); // into the cache
    const file = d1File(persistTo);
    await sleep(1000);
    const before = countTouches(file);

    const statuses = { hot: {}, cold: {} };
    const started = Date.now();
    const perSecond = [];
    const tally = (kind) => (status) => {
      statuses[kind][status] = (statuses[kind][status] ?? 0) + 1;
      const second = Math.floor((Date.now() - started) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    };
    let next = 0;
    const requests = [
      ...Array.from({ length: 9 }, (_, i) => ({ method: 'GET', path: `/${hot[i % hot.length]}`, onResponse: tally('hot') })),
      // Cold links until 3 s before the end; then hot ones, so that the requests in flight at the deadline are 302s.
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: Date.now() < coldUntil ? `/${cold[next++ % cold.length]}` : `/${hot[0]}` }),
        onResponse: tally('cold'),
      },
    ];
    const coldUntil = started + (seconds - 3) * 1000;
    let running = true;
    const probing = probe(`${worker.base}/${hot[0]}`, () => running);
    const loading = load({ url: worker.base, connections: 20, duration: seconds, headers, requests });
    const locking = sleep(lockAt * 1000).then(() => lockDatabase(file, lockSeconds * 1000));
    const result = await loading;
    running = false;
    const [latency, lock] = await Promise.all([probing, locking]);

    // Every 302 must become a touch: ask the Worker to write what it holds, then wait for the queue to drain.
    const flushStarted = Date.now();
    await call('POST', '/api/v1/maintenance/flush?timeout_seconds=60');
    const received = { hot: statuses.hot, cold: statuses.cold };
    const count = (status) => (received.hot[status] ?? 0) + (received.cold[status] ?? 0);
    const responses = Object.values(received.hot)
      .concat(Object.values(received.cold))
      .reduce((a, b) => a + b, 0);
    // autocannon stops with a request in flight on some connections; the Worker answered (302, D1 is back) and logged those too.
    const inFlight = result.requests.sent - responses - result.errors - result.timeouts;
    // The probe's redirects are touches too.
    const expected = count(302) + inFlight + latency.redirects;
    console.log(`${variant}: responses per second: ${Array.from(perSecond, (n) => n ?? 0).join(' ')} (lock from ${lockAt} s to ${lockAt + lockSeconds} s)`);
    let stored = countTouches(file) - before;
    for (let i = 0; i < 120 && stored < expected; i++) {
      await sleep(1000);
      stored = countTouches(file) - before;
    }
    await sleep(3000);
    stored = countTouches(file) - before;
    const fiveHundreds = Object.entries(received.hot)
      .concat(Object.entries(received.cold))
      .filter(([status]) => status >= 500 && status !== '503')
      .reduce((n, [, k]) => n + k, 0);
    return {
      variant: variant === 'queue' ? `TOUCH_QUEUE bound, bound ${queueMaxRows} rows` : 'no queue, bound 20000 rows',
      'req/s': Math.round(result.requests.average),
      302: count(302) + latency.redirects,
      'in flight at end': inFlight,
      'touches in D1': stored,
      lost: expected - stored,
      'drained after': `${((Date.now() - flushStarted) / 1000).toFixed(1)} s`,
      '503 cold': received.cold[503] ?? 0,
      '503 hot': received.hot[503] ?? 0,
      'other 5xx': fiveHundreds,
      errors: result.errors + result.timeouts,
      'hot probe p50/p99/max ms': `${latency.p50}/${latency.p99}/${latency.max}`,
      'lock s': ((lock.releasedAt - lock.lockedAt) / 1000).toFixed(1),
      ok: stored === expected && fiveHundreds === 0 && (received.hot[503] ?? 0) === 0,
    };
  } finally {
    worker.stop();
  }
}

/** Graceful stop: `npm start`'s script under load gets SIGINT; after it exits, every 302 must be a touch in D1. */
async function runStopCheck() {
  const persistTo = tempDir('bench-outage-stop');
  const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
  const child = spawn('node', ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), TP_PERSIST_DIR: persistTo, TP_DEMO_TOUCHES: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 240 && !output.includes('Admin key:'); i++) await sleep(500);
  const token = /Admin key:\s+(\S+)/.exec(output)?.[1];
  if (!token) throw new Error(`npm start did not come up:\n${output}`);
  const base = `http://127.0.0.1:${port}`;
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const campaign = await (await fetch(`${base}/api/v1/campaigns`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Stop' }) })).json();
  const link = await (
    await fetch(`${base}/api/v1/links`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ campaign_id: campaign.id, destination: 'https://shop.example/stop' }),
    })
  ).json();
  const before = countTouches(d1File(persistTo));
  const statuses = {};
  const loading = load({
    url: `${base}/${link.slug}`,
    connections: 20,
    duration: 8,
    headers,
    requests: [{ method: 'GET', onResponse: (status) => (statuses[status] = (statuses[status] ?? 0) + 1) }],
  });
  await sleep(5000);
  child.kill('SIGINT');
  const code = await exited;
  const result = await loading;
  const stored = countTouches(d1File(persistTo)) - before;
  return {
    check: 'SIGINT to scripts/start.mjs under load',
    '302 received': statuses[302] ?? 0,
    '503 while stopping': statuses[503] ?? 0,
    'touches in D1 after exit': stored,
    'not answered (process gone)': result.errors + result.timeouts,
    'exit code': code,
    'stop message': /Stopping: .*/.exec(output)?.[0] ?? '(none)',
    ok: stored >= (statuses[302] ?? 0),
  };
}

const rows = [];
for (const variant of variants) rows.push(await runVariant(variant));
console.table(rows);
let stop = null;
if (process.env.BENCH_STOP !== '0') {
  stop = await runStopCheck();
  console.table([stop]);
}
const ok = rows.every((row) => row.ok) && (stop?.ok ?? true);
console.log(ok ? 'no touch lost, no 5xx but 503' : 'FAILED: see the table');
process.exit(ok ? 0 : 1);
