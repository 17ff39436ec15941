#!/usr/bin/env node
// `npm run bench:codes`: action codes against `wrangler dev` on 127.0.0.1:$BENCH_PORT (default 8791)
// with a fresh local D1 in a temp dir. Mints 100,000 codes in one request, exports 10k and 100k as
// CSV (workerd peak RSS, fresh process each), mints 1,000,000 in the background (polling progress),
// then redeems under autocannon with a mix of fresh, used and mistyped codes and checks the counts,
// in alternating rounds with the redirect of a link on the same Worker (same connections, same number of
// requests): redeem must answer at least half the redirect's rate in the same run.
// BENCH_ONLY=redeem: only the redemption run (over a batch of 10,000).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BROWSER_UA, workerdOf } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 8791);
const base = `http://127.0.0.1:${port}`;
const token = `bench-${Date.now()}`;
const persist = mkdtempSync(path.join(tmpdir(), 'tp-bench-codes-'));
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
// The bench hammers from one IP: lift the failed-entry limit (a setting) so it measures the endpoint, not the 429.
const vars = [`ADMIN_TOKEN:${token}`, 'CODE_ENTRY_MAX_FAILURES:1000000000'];
const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
let worker = null;

function run(args) {
  const result = spawnSync('npx', ['wrangler', ...args], { env, input: 'y\n', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stderr}`);
}

async function startWorker() {
  const args = ['wrangler', 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persist, '--show-interactive-dev-session=false'];
  for (const v of vars) args.push('--var', v);
  const child = spawn('npx', args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = createWriteStream(path.join(tmpdir(), `tp-bench-codes-wrangler-${port}.log`), { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error('wrangler dev exited');
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok && (await response.json()).status === 'ok') return (worker = child);
    } catch {}
    await sleep(500);
  }
  throw new Error(`the Worker did not answer on ${base}`);
}

async function stopWorker() {
  if (!worker) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  try {
    process.kill(-worker.pid, 'SIGINT');
  } catch {}
  await Promise.race([exited, sleep(5000)]);
  try {
    process.kill(-worker.pid, 'SIGKILL');
  } catch {}
  worker = null;
  await sleep(500);
}

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
};

async function api(method, url, body) {
  const response = await fetch(`${base}${url}`, { method, headers: auth, body: body && JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function exportCsv(batchId) {
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/code-batches/${batchId}/codes.csv`, { headers: auth });
  let lines = 0;
  let bytes = 0;
  const decoder = new TextDecoder();
  const codes = [];
  let rest = '';
  for await (const chunk of response.body) {
    bytes += chunk.length;
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\r\n');
    rest = parts.pop();
    lines += parts.length;
    if (codes.length < 60_000) for (const line of parts) codes.push(line.slice(0, line.indexOf(',')));
  }
  return { rows: lines - 1, bytes, seconds: (performance.now() - started) / 1000, codes: codes.slice(1) };
}

async function main() {
  console.log(`persist dir ${persist}`);
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
  await startWorker();
  const campaign = await api('POST', '/api/v1/campaigns', { name: 'Bench packaging run' });
  if (process.env.BENCH_ONLY === 'redeem') {
    const batch = await api('POST', '/api/v1/code-batches', { campaign_id: campaign.id, count: 10_000 });
    await benchRedeem((await exportCsv(batch.id)).codes, batch.id, campaign.id);
    await stopWorker();
    rmSync(persist, { recursive: true, force: true });
    return;
  }

  let started = performance.now();
  const small = await api('POST', '/api/v1/code-batches', { campaign_id: campaign.id, count: 10_000 });
  const mint10k = (performance.now() - started) / 1000;
  started = performance.now();
  const large = await api('POST', '/api/v1/code-batches', { campaign_id: campaign.id, count: 100_000 });
  const mint100k = (performance.now() - started) / 1000;
  console.log(`mint 10,000 codes in one request: ${mint10k.toFixed(2)} s (${small.status})`);
  console.log(`mint 100,000 codes in one request: ${mint100k.toFixed(2)} s (${large.status}, minted ${large.minted})`);

  const exports = {};
  for (const [label, batch] of [
    ['10k', small],
    ['100k', large],
  ]) {
    await stopWorker();
    await startWorker();
    const pid = workerdOf(worker);
    const before = memory(pid);
    const result = await exportCsv(batch.id);
    const after = memory(pid);
    exports[label] = result;
    console.log(
      `export ${label}: ${result.rows} rows, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(2)} s; ` +
        `workerd RSS before ${mb(before.rss)}, peak (VmHWM, fresh process) ${mb(after.peak)}`,
    );
  }

  started = performance.now();
  const million = await api('POST', '/api/v1/code-batches', { campaign_id: campaign.id, count: 1_000_000 });
  console.log(`1,000,000 codes: ${million.status} at ${((performance.now() - started) / 1000).toFixed(2)} s`);
  let state = million;
  while (state.status !== 'ready') {
    await sleep(2000);
    state = await api('GET', `/api/v1/code-batches/${million.id}`);
    console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${state.minted.toLocaleString('en')} minted, ${state.status}`);
  }
  const millionSeconds = (performance.now() - started) / 1000;
  console.log(`1,000,000 codes ready after ${millionSeconds.toFixed(1)} s`);

  await benchRedeem(exports['100k'].codes, large.id, campaign.id);
  await stopWorker();
  rmSync(persist, { recursive: true, force: true });
}

const REDEEM_REQUESTS = Number(process.env.BENCH_REDEEM_REQUESTS ?? 6000);
const typo = (code) => code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');

/** Redeems under autocannon: a fixed number of requests (so every one is answered), a third each fresh, used, mistyped. */
async function benchRedeem(shownCodes, batchId, campaignId) {
  const used = shownCodes.slice(0, 300);
  for (let i = 0; i < used.length; i += 20) {
    await Promise.all(
      used
        .slice(i, i + 20)
        .map((code) =>
          fetch(`${base}/api/v1/codes/redeem`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) }),
        ),
    );
  }
  const fresh = shownCodes.slice(used.length);
  const before = await api('GET', '/api/v1/reports/codes');
  const sent = { fresh: 0, used: 0, invalid: 0 };
  const statuses = {};
  let next = 0;
  const redeemRound = (amount) =>
    autocannon({
      url: base,
      connections: 20,
      amount,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/codes/redeem',
          headers: { 'Content-Type': 'application/json' },
          setupRequest: (request) => {
            const i = next++;
            const kind = ['fresh', 'used', 'invalid'][i % 3];
            sent[kind]++;
            const code = kind === 'fresh' ? fresh[sent.fresh - 1] : kind === 'used' ? used[i % used.length] : typo(used[i % used.length]);
            return { ...request, body: JSON.stringify({ code }) };
          },
          onResponse: (status) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
          },
        },
      ],
    });
  // The redirect of a campaign link on the same Worker, same connections and requests: the yardstick of this run.
  const link = await api('POST', '/api/v1/links', { campaign_id: campaignId, destination: 'https://shop.example/pack', utm_medium: 'offline' });
  const redirectRound = (amount) =>
    autocannon({ url: `${base}/${link.slug}`, connections: 20, amount, headers: { 'User-Agent': BROWSER_UA, Accept: 'text/html' } });
  await redirectRound(600); // warm both paths
  const rounds = { redeem: [], redirect: [] };
  for (let round = 0; round < 3; round++) {
    rounds.redirect.push(await redirectRound(REDEEM_REQUESTS / 3));
    rounds.redeem.push(await redeemRound(REDEEM_REQUESTS / 3));
  }
  const rate = (results) => results.reduce((n, r) => n + r.requests.total, 0) / results.reduce((t, r) => t + r.duration, 0);
  const result = {
    requests: { total: rounds.redeem.reduce((n, r) => n + r.requests.total, 0) },
    duration: rounds.redeem.reduce((t, r) => t + r.duration, 0),
    latency: rounds.redeem[1].latency,
    errors: rounds.redeem.reduce((n, r) => n + r.errors, 0),
  };
  const redirectRate = rate(rounds.redirect);
  await sleep(1500); // the entry log is written after the responses
  const after = await api('GET', '/api/v1/reports/codes');
  const row = (report) => report.rows.find((r) => r.id === batchId);
  const delta = (pick) => pick(row(after)) - pick(row(before));
  const seconds = result.duration;
  console.log(
    `redeem: ${(result.requests.total / seconds).toFixed(0)} req/s (${result.requests.total} requests in ${seconds.toFixed(1)} s, 20 connections), ` +
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors} errors`,
  );
  console.log(`  sent: ${JSON.stringify(sent)}; statuses: ${JSON.stringify(statuses)}`);
  const ratio = result.requests.total / seconds / redirectRate;
  console.log(`redirect (same Worker, same run, 3 alternating rounds): ${redirectRate.toFixed(0)} req/s → redeem/redirect ${ratio.toFixed(2)} (target ≥ 0.50)`);
  if (ratio < 0.5) process.exitCode = 1;
  const checks = {
    'accepted responses = fresh codes sent': [statuses[200] ?? 0, sent.fresh],
    'accepted responses = newly redeemed codes (action_codes)': [statuses[200] ?? 0, delta((r) => r.redeemed_codes)],
    'accepted responses = accepted entries logged': [statuses[200] ?? 0, delta((r) => r.accepted)],
    'used-up responses = used codes sent': [statuses[410] ?? 0, sent.used],
    'used-up responses = code_used_up entries logged': [statuses[410] ?? 0, delta((r) => r.rejected.code_used_up)],
    'invalid responses = invalid_code entries logged': [statuses[400] ?? 0, after.unmatched.invalid_code - before.unmatched.invalid_code],
  };
  let consistent = true;
  for (const [name, [a, b]] of Object.entries(checks)) {
    consistent &&= a === b;
    console.log(`  ${a === b ? 'OK ' : 'BAD'} ${name}: ${a} / ${b}`);
  }
  if (!consistent) process.exitCode = 1;
}

main().catch(async (error) => {
  console.error(error);
  await stopWorker();
  process.exit(1);
});
