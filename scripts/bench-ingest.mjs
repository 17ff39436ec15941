#!/usr/bin/env node
// npm run bench:ingest — touches through the touch queue (bound in wrangler.toml), under `wrangler dev` on 127.0.0.1
// with a fresh local D1 per run.
// (1) Consumer throughput: the Worker runs with TOUCH_BUFFER_MAX_ROWS=0, so every touch goes to TOUCH_QUEUE as the
//     redirect answers and only the queue's consumer writes touches to D1 (batches of up to max_batch_size = 100,
//     wrangler.toml). autocannon fires BENCH_TOUCHES redirects (50 connections); the script polls the link's click count
//     until every touch is in D1. Figures: touches/s from the first request to the last touch stored, how long the backlog
//     took to drain after the last 302, and the consumer's own rate while busy (touches acked ÷ time in its handler,
//     from wrangler's "QUEUE touchpoint-touches n/n (ms)" lines) with the batch sizes it got.
// (2) Redirect ratio: our redirect with the deployment default (queue bound, write buffer in front of it) against the
//     bare Hono 302 Worker, and our redirect with every touch through the queue (bound 0) against the bare Worker,
//     in alternating rounds of BENCH_SECONDS (medians); touches in D1 must equal the requests sent (0 lost). A third pair
//     runs our redirect with the queue unbound (the configuration before issue 15), to tell the binding's cost from the
//     machine's load.
// Shards: `--shards 1,3` (or BENCH_SHARDS) runs (1) once per count, passing it as TOUCH_SHARDS; a count above 1 runs on a
// copy of wrangler.toml binding TOUCH_DB_1 … to local databases, each migrated (bench/lib.mjs shardedConfig).
// Env: BENCH_PORT (ours), BENCH_BARE_PORT (the bare Worker; free ports when unset), BENCH_TOUCHES (5000),
//      BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_SHARDS (1); BENCH_ONLY=consumer runs (1) alone.
import { parseArgs } from 'node:util';
import { api, BENCH_TOKEN, BROWSER_UA, freePort, load, migrate, noQueueConfig, shardedConfig, sleep, startWorker, tempDir } from './bench/lib.mjs';

const { values: options } = parseArgs({ options: { shards: { type: 'string' } } });
const shardCounts = (options.shards ?? process.env.BENCH_SHARDS ?? '1').split(',').map(Number);
if (shardCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--shards: a list of counts like 1,3 (got ${options.shards})`);
const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const barePort = Number(process.env.BENCH_BARE_PORT ?? 0) || (await freePort());
const touches = Number(process.env.BENCH_TOUCHES ?? 5000);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const headers = { 'User-Agent': BROWSER_UA, Accept: 'text/html' };
const QUEUE_LINE = /QUEUE touchpoint-touches (\d+)\/(\d+) \((\d+)ms\)/;

const median = (values) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : 0);
const sum = (values) => values.reduce((total, value) => total + value, 0);

/**
 * Starts our Worker on a fresh D1 with a campaign and a link (plus a warmed one). `logQueue`: wrangler logs at info level
 * and `batches` collects the consumer's lines — info also logs every request, which costs the redirect, so the ratio
 * runs log warnings only.
 */
async function startOurs(vars, name, { config = 'wrangler.toml', logQueue = false } = {}) {
  const persistTo = tempDir(`bench-ingest-${name}`);
  const shards = Number(vars.TOUCH_SHARDS ?? 1);
  // Several touch shards: a config binding TOUCH_DB_1 … on local databases, each migrated like DB.
  const sharded = shards > 1 ? shardedConfig(persistTo, shards) : null;
  migrate(persistTo, sharded ? { config: sharded.file, bindings: sharded.bindings } : {});
  const batches = [];
  const worker = await startWorker({
    port,
    config: sharded ? sharded.file : config === 'no queue' ? noQueueConfig(persistTo) : config,
    persistTo,
    vars: { ADMIN_TOKEN: BENCH_TOKEN, ...vars },
    logLevel: logQueue ? 'info' : 'warn',
    onLine: logQueue
      ? (line) => {
          const match = QUEUE_LINE.exec(line);
          if (match) batches.push({ acked: Number(match[1]), size: Number(match[2]), ms: Number(match[3]), at: Date.now() });
        }
      : undefined,
  });
  const call = api(worker.base);
  const campaign = await call('POST', '/api/v1/campaigns', { name: 'Ingest' });
  const link = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/spring', utm_medium: 'email' });
  const warm = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/warm', utm_medium: 'email' });
  await load({ url: `${worker.base}/${warm.slug}`, duration: 2, headers });
  const clicks = async () => (await call('GET', `/api/v1/links/${link.id}`)).stats.clicks;
  return { worker, link, batches, clicks };
}

/** Polls until `expected` touches are stored (or `timeoutMs` passes); answers the count and when it was reached. */
async function waitForTouches(clicks, expected, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let stored = await clicks();
  while (stored < expected && Date.now() < deadline) {
    await sleep(100);
    stored = await clicks();
  }
  return { stored, at: Date.now() };
}

/** (1) Every touch through the queue: how fast the consumer writes them. */
async function consumerThroughput(shards) {
  const ours = await startOurs({ TOUCH_BUFFER_MAX_ROWS: '0', TOUCH_SHARDS: String(shards) }, `consumer-${shards}`, { logQueue: true });
  try {
    await waitForTouches(ours.clicks, 0, 0);
    ours.batches.length = 0; // the warm-up's batches
    const started = Date.now();
    const result = await load({ url: `${ours.worker.base}/${ours.link.slug}`, amount: touches, headers });
    const loadEnded = Date.now();
    const sent = result.requests.sent;
    const { stored, at } = await waitForTouches(ours.clicks, sent, 120_000);
    const consumer = ours.batches.filter((batch) => batch.at >= started);
    const acked = sum(consumer.map((batch) => batch.acked));
    return {
      shards,
      'redirects sent': sent,
      '302s': result['3xx'],
      'touches in D1': stored,
      lost: sent - stored,
      'touches/s (first request → last stored)': Math.round(stored / ((at - started) / 1000)),
      'redirect phase s': (loadEnded - started) / 1000,
      'drained after load s': (at - loadEnded) / 1000,
      'consumer batches': consumer.length,
      'batch size median / max': `${median(consumer.map((batch) => batch.size))} / ${Math.max(0, ...consumer.map((batch) => batch.size))}`,
      'batch ms median': median(consumer.map((batch) => batch.ms)),
      'retried batches': consumer.filter((batch) => batch.acked < batch.size).length,
      'consumer touches/s while busy': Math.round(acked / (sum(consumer.map((batch) => batch.ms)) / 1000)),
    };
  } finally {
    ours.worker.stop();
  }
}

/** (2) Alternating rounds, bare vs ours; then touches in D1 against requests sent. */
async function redirectRatio(name, bare, vars, config) {
  const ours = await startOurs(vars, name.replaceAll(' ', '-'), { config });
  try {
    const runs = { bare: [], ours: [] };
    for (let round = 0; round < rounds; round++) {
      runs.bare.push(await load({ url: `${bare.base}/spring`, duration, headers }));
      runs.ours.push(await load({ url: `${ours.worker.base}/${ours.link.slug}`, duration, headers }));
    }
    const sent = sum(runs.ours.map((r) => r.requests.sent));
    const { stored } = await waitForTouches(ours.clicks, sent, 60_000);
    const rate = (results) => Math.round(median(results.map((r) => r.requests.average)));
    return {
      variant: name,
      'bare req/s': rate(runs.bare),
      'ours req/s': rate(runs.ours),
      ratio: Number((rate(runs.ours) / rate(runs.bare)).toFixed(2)),
      'ours p50 / p99 ms': `${median(runs.ours.map((r) => r.latency.p50))} / ${median(runs.ours.map((r) => r.latency.p99))}`,
      'requests sent': sent,
      '3xx received': sum(runs.ours.map((r) => r['3xx'])),
      'touches in D1': stored,
      lost: sent - stored,
      errors: sum(runs.ours.map((r) => r.errors + r.timeouts + r.non2xx - r['3xx'])),
    };
  } finally {
    ours.worker.stop();
  }
}

const throughput = [];
for (const shards of shardCounts) throughput.push(await consumerThroughput(shards));
if (process.env.BENCH_ONLY === 'consumer') {
  // (1) alone: one port (BENCH_PORT), no bare Worker.
  console.log(`(1) ${touches} redirects with every touch through the queue (TOUCH_BUFFER_MAX_ROWS=0; consumer max_batch_size 100, max_batch_timeout 1 s):`);
  console.table(throughput);
  process.exit(throughput.every((t) => t.lost === 0) ? 0 : 1);
}

const bare = await startWorker({ port: barePort, config: 'scripts/bench/bare.wrangler.toml', expect: { worker: 'bare' } });
const ratios = [];
try {
  await load({ url: `${bare.base}/warmup`, duration: 2, headers });
  ratios.push(await redirectRatio('queue bound (default)', bare, {}, 'wrangler.toml'));
  ratios.push(await redirectRatio('every touch via queue', bare, { TOUCH_BUFFER_MAX_ROWS: '0' }, 'wrangler.toml'));
  ratios.push(await redirectRatio('no queue (as before)', bare, {}, 'no queue'));
} finally {
  bare.stop();
}

console.log(`(1) ${touches} redirects with every touch through the queue (TOUCH_BUFFER_MAX_ROWS=0; consumer max_batch_size 100, max_batch_timeout 1 s):`);
console.table(throughput);
console.log(`(2) redirect vs bare Hono 302: ${rounds} alternating rounds of ${duration} s, 50 connections (medians):`);
console.table(ratios);
const def = ratios[0];
const ok = throughput.every((t) => t.lost === 0) && ratios.every((r) => r.lost === 0) && def.ratio >= 0.75;
console.log(
  `ratio with the queue bound: ${def.ratio} (target ≥ 0.75); touches lost: ${sum(throughput.map((t) => t.lost)) + sum(ratios.map((r) => r.lost))} → ${ok ? 'ok' : 'FAILED'}`,
);
process.exit(ok ? 0 : 1);
