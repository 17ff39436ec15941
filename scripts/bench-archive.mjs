#!/usr/bin/env node
// `npm run bench:archive`: the hot store's archive under `wrangler dev` with a local D1 and a local R2 bucket.
// Seeds BENCH_TOUCHES touches (default 100,000) over 30 days ending 100 days ago (all past the 60-day hot window),
// reads every report and the raw export, triggers the minute cron (/__scheduled) until nothing is left to move,
// then reads them again and compares byte for byte. Prints: touches per cron run and its time, stored bytes per
// archived touch (gzip NDJSON), the export's time from D1 and from R2, and a one-day recompute's time.
//   BENCH_TOUCHES=100000  BENCH_PORT=8791 (unset: a free port)  BENCH_KEEP=1: keep the local D1 and R2 (its path is printed)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { BENCH_TOKEN, freePort, sleep, startWorker, tempDir } from './bench/lib.mjs';
import { applyMigrations, seed } from './seed.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const TOUCHES = Number(process.env.BENCH_TOUCHES ?? 100_000);
const headers = { Authorization: `Bearer ${BENCH_TOKEN}`, 'Content-Type': 'application/json' };
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

/** One read of the local D1 beside the running Worker (which may hold its lock for a moment: then again). */
async function query(sql, persistTo) {
  for (let attempt = 1; ; attempt++) {
    const args = ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql];
    const result = spawnSync('npx', args, { env, encoding: 'utf8' });
    if (result.status === 0) return JSON.parse(result.stdout)[0].results;
    if (attempt === 5 || !/SQLITE_BUSY|database is locked/.test(result.stderr + result.stdout)) throw new Error(`query failed: ${result.stderr}`);
    await sleep(500);
  }
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

async function getText(url, init = {}) {
  const response = await fetch(url, { headers, ...init });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const dir = tempDir('bench-archive');
let worker;
try {
  applyMigrations(dir);
  const end = Date.now() - 100 * 86_400_000;
  await seed({ touches: TOUCHES, days: 30, end, persistTo: dir, hashSecret: 'bench', log: (line) => console.log(line) });
  const from = new Date(end - 31 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(end).toISOString().slice(0, 10);
  worker = await startWorker({ port: PORT, persistTo: dir, vars: { ADMIN_TOKEN: BENCH_TOKEN, HASH_SECRET: 'bench' }, args: ['--test-scheduled'] });
  const { base } = worker;
  const reportPaths = [
    ...['last_touch', 'linear', 'time_decay'].map((model) => `/api/v1/reports/channels?from=${from}&to=${to}&model=${model}`),
    ...['campaigns', 'links', 'devices', 'timeseries'].map((kind) => `/api/v1/reports/${kind}?from=${from}&to=${to}`),
    `/api/v1/reports/channels?from=${from}&to=${to}&lookback_days=14`,
    `/api/v1/reports/loyalty?from=${from}&to=${to}`,
  ];
  const readAll = async () => Promise.all(reportPaths.map((path) => getText(`${base}${path}`)));
  const exportUrl = `${base}/api/v1/exports/touches?from=${from}&to=${to}`;

  const reportsBefore = await readAll();
  const exportBefore = await timed(() => getText(exportUrl));
  console.log(`export from D1: ${exportBefore.value.split('\n').length - 1} rows in ${exportBefore.ms.toFixed(0)} ms (sha ${sha(exportBefore.value)})`);

  const runs = [];
  for (;;) {
    const run = await timed(() => getText(`${base}/__scheduled?cron=*+*+*+*+*`));
    await sleep(200);
    const [{ parts, rows }] = await query('SELECT COUNT(*) AS parts, coalesce(SUM(rows), 0) AS rows FROM archive_parts', dir);
    const moved = rows - (runs.at(-1)?.rows ?? 0);
    if (moved === 0) break;
    runs.push({ ms: run.ms, parts, rows, moved });
    console.log(`cron run ${runs.length}: ${moved} touches moved in ${run.ms.toFixed(0)} ms (${parts} parts, ${rows} archived)`);
  }
  const [left] = await query(`SELECT COUNT(*) AS n FROM touches WHERE occurred_at < '${to}T24'`, dir);
  const [stored] = await query('SELECT SUM(bytes) AS bytes, SUM(rows) AS rows, COUNT(DISTINCT day) AS days FROM archive_parts', dir);

  const reportsAfter = await readAll();
  const exportAfter = await timed(() => getText(exportUrl));
  const equalReports = reportsAfter.every((text, i) => text === reportsBefore[i]);
  console.log(`export from R2: ${exportAfter.value.split('\n').length - 1} rows in ${exportAfter.ms.toFixed(0)} ms (sha ${sha(exportAfter.value)})`);

  const recompute = await timed(() => getText(`${base}/api/v1/maintenance/recompute`, { method: 'POST', body: JSON.stringify({ from: to, to }) }));
  const full = runs.length > 1 ? runs.slice(0, -1) : runs; // the last run moves what is left
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  console.log('\n| figure | value |');
  console.log('|---|---|');
  console.log(`| touches seeded (30 days, all past the hot window) | ${TOUCHES.toLocaleString('en')} |`);
  console.log(`| cron runs to archive them | ${runs.length} (${stored.days} days, ${runs.at(-1)?.parts} parts) |`);
  console.log(
    `| per cron run (5 parts of ≤ 5,000 touches, a day each at most), median | ${median(full.map((run) => run.moved))} touches in ${median(full.map((run) => run.ms)).toFixed(0)} ms |`,
  );
  console.log(`| touches left in D1 for those days | ${left.n} |`);
  console.log(`| archive bytes per touch (gzip NDJSON) | ${(stored.bytes / stored.rows).toFixed(1)} |`);
  console.log(`| reports byte-identical before and after (${reportPaths.length}) | ${equalReports} |`);
  console.log(`| raw export identical before and after | ${exportAfter.value === exportBefore.value} |`);
  console.log(`| export of the range: from D1 / from R2 | ${exportBefore.ms.toFixed(0)} ms / ${exportAfter.ms.toFixed(0)} ms |`);
  console.log(`| recompute of one archived day | ${recompute.ms.toFixed(0)} ms: ${recompute.value} |`);
  if (!equalReports || exportAfter.value !== exportBefore.value || left.n !== 0) process.exitCode = 1;
} finally {
  if (worker) worker.stop();
  await sleep(1000);
  if (process.env.BENCH_KEEP) console.log(`kept: --persist-to ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
