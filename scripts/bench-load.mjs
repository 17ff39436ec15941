#!/usr/bin/env node
// npm run bench:load — the isolate under a mixed load, as a busy day and an attacker make it at once:
// redirects to cached and uncached links (and unknown slugs), action-code redemptions (fresh, used,
// mistyped), bearer keys that do not verify, sign-in attempts with wrong keys, and API reads with a
// good key — 20 connections for BENCH_SECONDS (60) against `wrangler dev` on 127.0.0.1. Then the API
// must answer normally at once, and every redirect answered must have its touch in D1.
// Fails (exit 1) on any 5xx, any socket error or time-out, a slow API afterwards, or a lost touch.
// Env: BENCH_PORT (a free port when unset), BENCH_SECONDS (60), BENCH_LINKS (3000 uncached links).
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { api, BENCH_TOKEN, BROWSER_UA, freePort, migrate, sleep, startWorker, tempDir } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const linkCount = Number(process.env.BENCH_LINKS ?? 3000);
const persistTo = tempDir('bench-load');
migrate(persistTo);
// The redeem limiter would answer 429 to this one client after 10 mistypes; lift it so the endpoint is what is measured.
const worker = await startWorker({ port, persistTo, vars: { ADMIN_TOKEN: BENCH_TOKEN, CODE_ENTRY_MAX_FAILURES: '1000000000' } });
const call = api(worker.base);

try {
  console.log(`setting up ${linkCount} links and 3,000 action codes …`);
  const campaign = await call('POST', '/api/v1/campaigns', { name: 'Load', landing_url: 'https://shop.example/load' });
  const hot = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/hot', utm_medium: 'email' });
  const cold = [];
  for (let i = 0; i < linkCount; i += 1000) {
    const links = Array.from({ length: Math.min(1000, linkCount - i) }, (_, k) => ({
      campaign_id: campaign.id,
      destination: `https://shop.example/p/${i + k}`,
      utm_medium: 'social',
    }));
    cold.push(...(await call('POST', '/api/v1/links/bulk', { links })).data.map((link) => link.slug));
  }
  const batch = await call('POST', '/api/v1/code-batches', { campaign_id: campaign.id, count: 3000 });
  const csv = await (await fetch(`${worker.base}/api/v1/code-batches/${batch.id}/codes.csv`, { headers: { Authorization: `Bearer ${BENCH_TOKEN}` } })).text();
  const codes = csv
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.slice(0, line.indexOf(',')));
  const signin = await fetch(`${worker.base}/signin`);
  const nonce = /tp_signin=([^;]+)/.exec(signin.headers.get('set-cookie') ?? '')?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await signin.text())?.[1];
  if (!nonce || !csrf) throw new Error('the sign-in page gave no form token');

  const statuses = {};
  const count = (group, status) => {
    statuses[group] ??= {};
    statuses[group][status] = (statuses[group][status] ?? 0) + 1;
  };
  let coldNext = 0;
  let codeNext = 0;
  let keyNext = 0;
  const randomKey = () => `tp_${'0'.repeat(20)}${String(keyNext++).padStart(6, '0')}_${'x'.repeat(32)}`;
  const typo = (code) => code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
  const browser = { 'User-Agent': BROWSER_UA, Accept: 'text/html' };

  const groups = {
    'redirect, cached': { connections: 5, request: () => ({ method: 'GET', path: `/${hot.slug}`, headers: browser }) },
    'redirect, uncached or unknown': {
      connections: 3,
      request: () => {
        const i = coldNext++;
        return { method: 'GET', path: i % 10 === 9 ? `/nope-${i}` : `/${cold[i % cold.length]}`, headers: browser };
      },
    },
    'code redemption': {
      connections: 3,
      request: () => {
        const i = codeNext++;
        const code = i % 3 === 0 ? codes[(i / 3) % codes.length] : i % 3 === 1 ? codes[0] : typo(codes[i % codes.length]);
        return { method: 'POST', path: '/api/v1/codes/redeem', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) };
      },
    },
    'bad bearer key': { connections: 3, request: () => ({ method: 'GET', path: '/api/v1/campaigns', headers: { Authorization: `Bearer ${randomKey()}` } }) },
    'sign-in, wrong key': {
      connections: 2,
      request: () => ({
        method: 'POST',
        path: '/signin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `tp_signin=${nonce}` },
        body: new URLSearchParams({ _csrf: csrf, key: randomKey(), next: '/' }).toString(),
      }),
    },
    'API read, good key': {
      connections: 4,
      request: (i) => ({
        method: 'GET',
        path: ['/api/v1/campaigns', `/api/v1/links?campaign_id=${campaign.id}&limit=50`, '/api/v1/reports/channels', `/api/v1/campaigns/${campaign.id}`][i % 4],
        headers: { Authorization: `Bearer ${BENCH_TOKEN}` },
      }),
    },
  };

  console.log(`mixed load: 20 connections for ${seconds} s …`);
  let reads = 0;
  const results = await Promise.all(
    Object.entries(groups).map(
      ([name, group]) =>
        new Promise((resolve, reject) =>
          autocannon(
            {
              url: worker.base,
              connections: group.connections,
              duration: seconds,
              timeout: 10,
              requests: [
                {
                  setupRequest: (request) => ({ ...request, ...group.request(reads++) }),
                  onResponse: (status) => count(name, status),
                },
              ],
            },
            (error, result) => (error ? reject(error) : resolve([name, result])),
          ),
        ),
    ),
  );

  // Right after the load, a good key must be served as usual.
  const started = performance.now();
  const after = await fetch(`${worker.base}/api/v1/campaigns`, { headers: { Authorization: `Bearer ${BENCH_TOKEN}` } });
  const afterMs = performance.now() - started;

  // Every redirect answered 302 is a touch; give the write buffer a moment, then count.
  await sleep(3000);
  const redirects = (statuses['redirect, cached']?.[302] ?? 0) + (statuses['redirect, uncached or unknown']?.[302] ?? 0);
  const accepted = statuses['code redemption']?.[200] ?? 0;
  const touches = countTouches(persistTo);

  let failed = false;
  console.log('\n| traffic | connections | req/s | p50 | p99 | statuses | errors, time-outs |\n|---|---|---|---|---|---|---|');
  for (const [name, result] of results) {
    const fives = Object.entries(statuses[name] ?? {})
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    failed ||= fives > 0 || result.errors > 0 || result.timeouts > 0;
    const list = Object.entries(statuses[name] ?? {})
      .map(([status, n]) => `${n.toLocaleString('en')} × ${status}`)
      .join(', ');
    console.log(
      `| ${name} | ${groups[name].connections} | ${(result.requests.total / result.duration).toFixed(0)} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${list} | ${result.errors}, ${result.timeouts} |`,
    );
  }
  console.log(`\nAPI right after the load: ${after.status} in ${afterMs.toFixed(0)} ms`);
  console.log(
    `touches in D1: ${touches.toLocaleString('en')} (302 redirects ${redirects.toLocaleString('en')} + accepted codes ${accepted.toLocaleString('en')} = ${(redirects + accepted).toLocaleString('en')})`,
  );
  // autocannon stops at its deadline with a request in flight per connection; the Worker answers (and records) those too.
  const inFlight = groups['redirect, cached'].connections + groups['redirect, uncached or unknown'].connections + groups['code redemption'].connections;
  const allStored = touches >= redirects + accepted && touches <= redirects + accepted + inFlight;
  console.log(allStored ? `every touch stored (up to ${inFlight} more for requests in flight at the deadline)` : 'TOUCHES MISSING');
  failed ||= after.status !== 200 || afterMs > 2000 || !allStored;
  console.log(failed ? 'FAILED' : 'OK: no 5xx, no error, API normal afterwards, every touch stored');
  process.exitCode = failed ? 1 : 0;
} finally {
  worker.stop();
}

/** Touches in the local D1, read through wrangler. */
function countTouches(persist) {
  const result = spawnSync(
    'npx',
    ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persist, '--json', '--command', 'SELECT COUNT(*) AS n FROM touches'],
    {
      encoding: 'utf8',
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  if (result.status !== 0) throw new Error(`counting touches failed: ${result.stderr}`);
  return JSON.parse(result.stdout)[0].results[0].n;
}
