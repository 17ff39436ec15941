#!/usr/bin/env node
// npm run bench:redirect — our redirect vs a bare Hono 302, both under `wrangler dev` on 127.0.0.1,
// autocannon 50 connections × 10 s with a browser user agent; then touches in D1 vs 3xx sent.
// Ports: BENCH_PORT (ours, default 8790) and BENCH_PORT + 1 (bare).
import { api, BENCH_TOKEN, BROWSER_UA, load, migrate, sleep, startWorker, tempDir } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 8790);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const headers = { 'User-Agent': BROWSER_UA, Accept: 'text/html' };

const summary = (name, result) => ({
  name,
  reqPerSec: Math.round(result.requests.average),
  p50: result.latency.p50,
  p99: result.latency.p99,
  redirects: result['3xx'],
  sent: result.requests.sent,
  errors: result.errors + result.timeouts + result.non2xx - result['3xx'],
});

const persistTo = tempDir('bench-redirect');
migrate(persistTo);

const bare = await startWorker({ port: port + 1, config: 'scripts/bench/bare.wrangler.toml' });
await load({ url: `${bare.base}/warmup`, duration: 2, headers });
const bareResult = summary('bare Hono 302', await load({ url: `${bare.base}/spring`, duration, headers }));
bare.stop();

const ours = await startWorker({ port, persistTo, vars: { ADMIN_TOKEN: BENCH_TOKEN } });
const call = api(ours.base);
const campaign = await call('POST', '/api/v1/campaigns', { name: 'Bench' });
const warm = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/warm', utm_medium: 'email' });
const link = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/spring', utm_medium: 'email' });
await load({ url: `${ours.base}/${warm.slug}`, duration: 2, headers });
const ourResult = summary('touchpoint', await load({ url: `${ours.base}/${link.slug}`, duration, headers }));

// Touches are written after the responses; give the last batch a moment, then count.
let stored = 0;
for (let i = 0; i < 20; i++) {
  await sleep(500);
  stored = (await call('GET', `/api/v1/links/${link.id}`)).stats.clicks;
  if (stored >= ourResult.sent) break;
}
ours.stop();

console.table([bareResult, ourResult]);
const ratio = ourResult.reqPerSec / bareResult.reqPerSec;
console.log(`ratio ours/bare: ${ratio.toFixed(2)} (target ≥ 0.75)`);
// autocannon stops at the deadline with one request in flight per connection: the Worker
// answered (and logged) those too, so every request sent must have its touch.
const inFlight = ourResult.sent - ourResult.redirects;
console.log(
  `touches in D1: ${stored}; requests sent: ${ourResult.sent} (${ourResult.redirects} 3xx received + ${inFlight} in flight at the deadline) → ` +
    (stored === ourResult.sent ? 'every touch recorded' : `${ourResult.sent - stored} MISSING`),
);
process.exit(ratio >= 0.75 && stored === ourResult.sent ? 0 : 1);
