#!/usr/bin/env node
// `npm run bench:markov`: the data-driven model at read time. Seeds a fresh local D1 (default 1M touches over
// 30 days, ~5 % converting, as bench:reports does), runs `wrangler dev` on 127.0.0.1:$BENCH_PORT and times the
// 30-day channel report under model=markov (the chain fitted over every journey of the range) beside linear
// (the stored rollups it scales), then the conversion-paths report, then the same report reading the cron's stored fit.
// A range above MARKOV_READ_TIME_TOUCHES human touches (default 200,000) is not fitted at read time: the report answers
// "computing" and the cron fits it; BENCH_READ_TIME_TOUCHES sets the Worker's MARKOV_READ_TIME_TOUCHES (e.g.
// 100000000 to time the read-time fit at 1M touches).
//   BENCH_TOUCHES=1000000  BENCH_PORT=8851  BENCH_RUNS=7  BENCH_DAYS=30
//   BENCH_DIR=/tmp/markov-1m: seed into that directory once and keep it; later runs with the same BENCH_DIR skip the
//   seeding (1M touches take ~17 min to seed on 2 cores) and time the code as it is now against the same data.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_TOKEN, freePort, sleep, startWorker, tempDir } from './bench/lib.mjs';
import { applyMigrations, seed } from './seed.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const TOUCHES = Number(process.env.BENCH_TOUCHES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
// Days of the timed range, ending on the seeded data's last day (29: a range other than the cron's trailing 30 days).
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const BASE = `http://127.0.0.1:${PORT}`;
const headers = { Authorization: `Bearer ${BENCH_TOKEN}` };

async function timeGet(url) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body}`);
  return { ms: performance.now() - started, body };
}

async function timeReport(label, url) {
  const first = await timeGet(url);
  const times = [first.ms];
  for (let i = 1; i < RUNS; i++) times.push((await timeGet(url)).ms);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label}: median ${median.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (${RUNS} runs)`);
  return { median, body: JSON.parse(first.body) };
}

const KEPT = process.env.BENCH_DIR;
const dir = KEPT ?? tempDir('bench-markov');
mkdirSync(dir, { recursive: true });
const marker = path.join(dir, 'bench-markov-seeded.json');
let worker;
try {
  let end;
  if (KEPT && existsSync(marker)) {
    ({ end } = JSON.parse(readFileSync(marker, 'utf8')));
    console.log(`== reusing ${dir}, seeded with ${JSON.parse(readFileSync(marker, 'utf8')).touches} touches`);
    applyMigrations(dir);
    // A fit an earlier run's cron stored for the same range would be read instead of fitted: start without one.
    const cleared = spawnSync(
      'npx',
      ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', dir, '--command', 'DELETE FROM markov_fits; DELETE FROM markov_fit_requests'],
      {
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
        encoding: 'utf8',
      },
    );
    if (cleared.status !== 0) throw new Error(`clearing markov_fits failed: ${cleared.stderr}`);
  } else {
    console.log(`== ${TOUCHES} touches (persist ${dir})`);
    applyMigrations(dir);
    end = Date.now() - 60_000;
    await seed({ touches: TOUCHES, persistTo: dir, end, hashSecret: 'bench', log: (line) => console.log(line) });
    if (KEPT) writeFileSync(marker, JSON.stringify({ end, touches: TOUCHES }));
  }
  const to = new Date(end).toISOString().slice(0, 10);
  const from = new Date(end - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const readTime = process.env.BENCH_READ_TIME_TOUCHES ? { MARKOV_READ_TIME_TOUCHES: process.env.BENCH_READ_TIME_TOUCHES } : {};
  worker = await startWorker({ port: PORT, persistTo: dir, vars: { ADMIN_TOKEN: BENCH_TOKEN, HASH_SECRET: 'bench', ...readTime } });
  const range = `from=${from}&to=${to}`;
  await timeReport('channels, linear (stored rollups)', `${BASE}/api/v1/reports/channels?${range}&model=linear`);
  const rangeReport = `${BASE}/api/v1/reports/channels?${range}&model=markov`;
  const markov = await timeReport('channels, markov (first answer: fitted at read time, or "computing")', rangeReport);
  const { status, journeys, converting_journeys, max_steps, computed_at } = markov.body.markov;
  if (computed_at !== null) throw new Error(`the first run read a stored fit (computed_at ${computed_at}): not a read-time figure`);
  console.log(`  status ${status}; chain: ${journeys} journeys, ${converting_journeys} converting, max_steps ${max_steps}`);
  for (const row of markov.body.markov.channels) console.log(`  ${row.channel}: removal effect ${row.removal_effect}, conversions ${row.conversions}`);
  if (process.env.BENCH_PATHS !== '0') await timeReport('conversion paths', `${BASE}/api/v1/reports/paths?${range}`);
  // The cron's fit: trigger the scheduled handler, wait until the trailing 30 days are fitted, then time the report
  // of that range (it reads the stored fit).
  const started = performance.now();
  await fetch(`${BASE}/cdn-cgi/local/scheduled`);
  const defaultRange = `${BASE}/api/v1/reports/channels?model=markov`;
  // The trailing 30 days (the default range) and, when it answered "computing", the bench's range.
  const waited = status === 'computing' ? [defaultRange, rangeReport] : [defaultRange];
  for (const url of waited) {
    for (;;) {
      const { body } = await timeGet(url);
      if (JSON.parse(body).markov.computed_at) break;
      if (performance.now() - started > 600_000) throw new Error('the cron did not fit the chain within 10 minutes');
      await sleep(500);
    }
    console.log(
      `cron fit of ${url.includes('from=') ? 'the requested range' : 'the trailing 30 days'} stored after ${(performance.now() - started).toFixed(0)} ms (polling included)`,
    );
  }
  await timeReport("channels, markov (the cron's stored fit)", defaultRange);
  if (status === 'computing') {
    const stored = await timeReport("channels, markov (the requested range's stored fit)", rangeReport);
    console.log(
      `  chain: ${stored.body.markov.journeys} journeys, ${stored.body.markov.converting_journeys} converting, computed_at ${stored.body.markov.computed_at}`,
    );
  }
} finally {
  if (worker) worker.stop();
  await sleep(1000);
  if (!KEPT) rmSync(dir, { recursive: true, force: true });
}
