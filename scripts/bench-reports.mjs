#!/usr/bin/env node
// `npm run bench:reports`: for each size (default 100k and 1M touches, ~5 % converting)
// seeds a fresh local D1 in a temp dir, runs `wrangler dev` on 127.0.0.1:$BENCH_PORT,
// times the 30-day channel report under every model (and the other reports under
// last_touch), then measures conversion ingest with autocannon.
//   BENCH_SIZES=100000,1000000  BENCH_PORT=8799  BENCH_RUNS=25  BENCH_INGEST_SECONDS=10
//   BENCH_ONLY=ingest skips the report timings (for iterating on conversion ingest).
//   BENCH_PORT unset: a free port. wrangler dev logs at warn level, as in the other benchmarks.
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { BENCH_TOKEN, cpuMs, freePort, sleep, startWorker, tempDir, workerdOf } from './bench/lib.mjs';
import { applyMigrations, seed } from './seed.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
const INGEST_ONLY = process.env.BENCH_ONLY === 'ingest';
const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position'];
const BASE = `http://127.0.0.1:${PORT}`;
const headers = { Authorization: `Bearer ${BENCH_TOKEN}`, 'Content-Type': 'application/json' };

async function timeGet(url) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body}`);
  return performance.now() - started;
}

async function timeReport(url) {
  for (let i = 0; i < 3; i++) await timeGet(url);
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeGet(url));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] };
}

async function ingest(clickIds, size, workerd) {
  let n = 0;
  const cpuBefore = cpuMs(workerd);
  const result = await autocannon({
    url: `${BASE}/api/v1/conversions`,
    method: 'POST',
    headers,
    connections: 10,
    duration: INGEST_SECONDS,
    requests: [
      {
        setupRequest: (request) => {
          n += 1;
          const body = {
            type: 'sale',
            order_id: `bench-${size}-${n}`,
            click_id: clickIds[n % clickIds.length],
            customer_ref: `bench-cust-${n % 5000}`,
            value: 42.5,
            currency: 'EUR',
          };
          return { ...request, body: JSON.stringify(body) };
        },
      },
    ],
  });
  await sleep(1000); // what a conversion leaves for after its response
  return {
    cpuMsPerConversion: (cpuMs(workerd) - cpuBefore) / result.requests.total,
    perSecond: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function timeReports(row, from, to) {
  for (const model of MODELS) {
    row.reports[model] = await timeReport(`${BASE}/api/v1/reports/channels?from=${from}&to=${to}&model=${model}`);
    console.log(`channels ${model}: median ${row.reports[model].median.toFixed(1)} ms, p95 ${row.reports[model].p95.toFixed(1)} ms`);
  }
  for (const kind of ['campaigns', 'links', 'devices', 'timeseries']) {
    row.other[kind] = await timeReport(`${BASE}/api/v1/reports/${kind}?from=${from}&to=${to}`);
    console.log(`${kind} last_touch: median ${row.other[kind].median.toFixed(1)} ms`);
  }
  row.recompute = await timeReport(`${BASE}/api/v1/reports/channels?from=${to}&to=${to}&lookback_days=14`);
  console.log(`channels, 1 day, lookback_days=14 (recomputed): median ${row.recompute.median.toFixed(1)} ms`);
}

const results = [];
for (const size of SIZES) {
  const dir = tempDir('bench-reports');
  console.log(`\n== ${size} touches (persist ${dir})`);
  let worker;
  try {
    applyMigrations(dir);
    const end = Date.now() - 60_000;
    const data = await seed({ touches: size, persistTo: dir, end, hashSecret: 'bench', log: (line) => console.log(line) });
    const to = new Date(end).toISOString().slice(0, 10);
    const from = new Date(end - 29 * 86_400_000).toISOString().slice(0, 10);
    worker = await startWorker({ port: PORT, persistTo: dir, vars: { ADMIN_TOKEN: BENCH_TOKEN, HASH_SECRET: 'bench' } });
    const row = { size, reports: {}, other: {} };
    if (!INGEST_ONLY) await timeReports(row, from, to);
    const clickIds = data.touches
      .filter((t) => !t.is_bot)
      .slice(-5000)
      .map((t) => t.id);
    row.ingest = await ingest(clickIds, size, workerdOf(worker.child));
    console.log(
      `ingest: ${row.ingest.perSecond.toFixed(0)} conversions/s (p50 ${row.ingest.p50} ms, p99 ${row.ingest.p99} ms, non-2xx ${row.ingest.non2xx}, errors ${row.ingest.errors}); ` +
        `workerd CPU per conversion (Worker + local D1 + dev runtime): ${row.ingest.cpuMsPerConversion.toFixed(2)} ms`,
    );
    results.push(row);
  } finally {
    if (worker) worker.stop();
    await sleep(1000);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('\n| touches | ' + MODELS.join(' | ') + ' | ingest/s |');
console.log('|---|' + MODELS.map(() => '---').join('|') + '|---|');
for (const row of results) {
  const cell = (m) => (row.reports[m] ? `${row.reports[m].median.toFixed(1)} ms` : '–');
  console.log(`| ${row.size.toLocaleString('en')} | ${MODELS.map(cell).join(' | ')} | ${row.ingest.perSecond.toFixed(0)} |`);
}
if (results.length === 2 && !INGEST_ONLY) {
  const ratios = MODELS.map((m) => results[1].reports[m].median / results[0].reports[m].median);
  console.log(`\n${results[1].size}/${results[0].size} median ratio: ${ratios.map((r) => r.toFixed(2)).join(', ')} (max ${Math.max(...ratios).toFixed(2)})`);
}
