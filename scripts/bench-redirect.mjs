#!/usr/bin/env node
// npm run bench:redirect — our redirect vs a bare Hono 302, both under `wrangler dev` on 127.0.0.1,
// autocannon 50 connections × 10 s with a browser user agent, in alternating rounds so that
// background load hits both alike; then touches in D1 vs requests sent.
// A third kind of round (issue 16) visits a link with five rules (none matches the bench's iPhone, so every rule
// is evaluated before the visit falls through to the link's two-variant split).
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
const routed = await call('POST', '/api/v1/links', {
  campaign_id: campaign.id,
  destination: 'https://shop.example/routed',
  utm_medium: 'email',
  rules: [
    { destination: 'https://play.google.com/store/apps/details?id=x', conditions: [{ type: 'os', value: 'android' }] },
    {
      destination: 'https://shop.example/tablet',
      conditions: [
        { type: 'device', value: 'mobile' },
        { type: 'os', value: 'windows' },
      ],
    },
    {
      destination: 'https://shop.example/de',
      conditions: [
        { type: 'language', value: 'de' },
        { type: 'device', value: 'desktop' },
      ],
    },
    { destination: 'https://shop.example/at', conditions: [{ type: 'country', value: 'at,ch' }] },
    {
      destination: 'https://shop.example/poster',
      conditions: [
        { type: 'query', value: 'src=poster' },
        { type: 'time', op: 'after', value: '2026-01-01T00:00:00Z' },
      ],
    },
  ],
  variants: [
    { destination: 'https://shop.example/a', weight: 1 },
    { destination: 'https://shop.example/b', weight: 1 },
  ],
});
const warm = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/warm', utm_medium: 'email' });
await load({ url: `${bare.base}/warmup`, duration: 2, headers });
await load({ url: `${ours.base}/${warm.slug}`, duration: 2, headers });

const runs = { bare: [], ours: [], routed: [] };
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
  runs.routed.push(await load({ url: `${ours.base}/${routed.slug}`, duration, headers }));
  await sleep(1000);
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
const routedSummary = summary('touchpoint, 5 rules + A/B', runs.routed);

// Touches are written after the responses; give the last batch a moment, then count.
async function storedTouches(linkId, sent) {
  let stored = 0;
  for (let i = 0; i < 30; i++) {
    stored = (await call('GET', `/api/v1/links/${linkId}`)).stats.clicks;
    if (stored >= sent) break;
    await sleep(500);
  }
  return stored;
}
const stored = await storedTouches(link.id, ourSummary.sent);
const storedRouted = await storedTouches(routed.id, routedSummary.sent);
const split = (await call('GET', `/api/v1/links/${routed.id}/routing`)).rows.map((row) => `${row.variant}: ${row.visits}`).join(', ');
ours.stop();

console.table([bareSummary, ourSummary, routedSummary]);
const ratio = ourSummary['req/s (median)'] / bareSummary['req/s (median)'];
const routedRatio = routedSummary['req/s (median)'] / bareSummary['req/s (median)'];
console.log(`ratio ours/bare: ${ratio.toFixed(2)} (target ≥ 0.75), ${rounds} alternating rounds of ${duration} s, 50 connections`);
console.log(`ratio ours with 5 rules + 2-variant split/bare: ${routedRatio.toFixed(2)} (target ≥ 0.75); split ${split}`);
// autocannon stops at each deadline with one request in flight per connection: the Worker
// answered (and logged) those too, so every request sent must have its touch.
const touchLine = (name, count, s) =>
  `${name}: touches in D1: ${count}; requests sent: ${s.sent} (${s['3xx']} 3xx received + ${s.sent - s['3xx']} in flight at the deadlines) → ` +
  (count === s.sent ? 'every touch recorded' : `${s.sent - count} MISSING`);
console.log(touchLine('plain link', stored, ourSummary));
console.log(touchLine('routed link', storedRouted, routedSummary));
console.log(`workerd CPU per redirect (Worker + local D1 + dev runtime): ${(ourCpuMs / ourSummary.sent).toFixed(2)} ms`);
process.exit(ratio >= 0.75 && routedRatio >= 0.75 && stored === ourSummary.sent && storedRouted === routedSummary.sent ? 0 : 1);
