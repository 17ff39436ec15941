#!/usr/bin/env node
// npm run bench:redirect — our redirect vs a bare Hono 302, both under `wrangler dev` on 127.0.0.1,
// autocannon 50 connections × 10 s with a browser user agent, in alternating rounds so that
// background load hits both alike; then touches in D1 vs requests sent.
// Env: BENCH_PORT (ours; bare = BENCH_PORT + 1; free ports when unset), BENCH_SECONDS (10), BENCH_ROUNDS (3).
import { api, BENCH_TOKEN, BROWSER_UA, cpuMs, freePort, load, migrate, sleep, startWorker, tempDir, workerdOf } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const barePort = process.env.BENCH_PORT ? port + 1 : await freePort();
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const headers = { 'User-Agent': BROWSER_UA, Accept: 'text/html' };

const persistTo = tempDir('bench-redirect');
migrate(persistTo);
const bare = await startWorker({ port: barePort, config: 'scripts/bench/bare.wrangler.toml', expect: { worker: 'bare' } });
const ours = await startWorker({ port, persistTo, vars: { ADMIN_TOKEN: BENCH_TOKEN } });

const call = api(ours.base);
const campaign = await call('POST', '/api/v1/campaigns', { name: 'Bench' });
const link = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/spring', utm_medium: 'email' });
const warm = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/warm', utm_medium: 'email' });
await load({ url: `${bare.base}/warmup`, duration: 2, headers });
await load({ url: `${ours.base}/${warm.slug}`, duration: 2, headers });

const runs = { bare: [], ours: [] };
// The CPU our workerd spends per redirect (the Worker, its local D1 writes and the dev runtime: an upper bound for the
// CPU time Cloudflare bills), over our rounds only.
const workerd = workerdOf(ours.child);
let ourCpuMs = 0;
for (let round = 0; round < rounds; round++) {
  runs.bare.push(await load({ url: `${bare.base}/spring`, duration, headers }));
  const cpuBefore = cpuMs(workerd);
  runs.ours.push(await load({ url: `${ours.base}/${link.slug}`, duration, headers }));
  await sleep(1000); // the round's touches are written after its responses
  ourCpuMs += cpuMs(workerd) - cpuBefore;
}
bare.stop();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (name, results) => ({
  name,
  'req/s (median)': Math.round(median(results.map((r) => r.requests.average))),
  'p50 ms': median(results.map((r) => r.latency.p50)),
  'p99 ms': median(results.map((r) => r.latency.p99)),
  '3xx': results.reduce((n, r) => n + r['3xx'], 0),
  sent: results.reduce((n, r) => n + r.requests.sent, 0),
  errors: results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx - r['3xx'], 0),
});
const bareSummary = summary('bare Hono 302', runs.bare);
const ourSummary = summary('touchpoint', runs.ours);

// Touches are written after the responses; give the last batch a moment, then count.
let stored = 0;
for (let i = 0; i < 30; i++) {
  await sleep(500);
  stored = (await call('GET', `/api/v1/links/${link.id}`)).stats.clicks;
  if (stored >= ourSummary.sent) break;
}
ours.stop();

console.table([bareSummary, ourSummary]);
const ratio = ourSummary['req/s (median)'] / bareSummary['req/s (median)'];
console.log(`ratio ours/bare: ${ratio.toFixed(2)} (target ≥ 0.75), ${rounds} alternating rounds of ${duration} s, 50 connections`);
// autocannon stops at each deadline with one request in flight per connection: the Worker
// answered (and logged) those too, so every request sent must have its touch.
console.log(
  `touches in D1: ${stored}; requests sent: ${ourSummary.sent} (${ourSummary['3xx']} 3xx received + ${ourSummary.sent - ourSummary['3xx']} in flight at the deadlines) → ` +
    (stored === ourSummary.sent ? 'every touch recorded' : `${ourSummary.sent - stored} MISSING`),
);
console.log(`workerd CPU per redirect (Worker + local D1 + dev runtime): ${(ourCpuMs / ourSummary.sent).toFixed(2)} ms`);
process.exit(ratio >= 0.75 && stored === ourSummary.sent ? 0 : 1);
