#!/usr/bin/env node
// npm run bench:loyalty — the bonus program under load, against `wrangler dev` on 127.0.0.1 with a fresh local D1:
// loyalty events through POST /api/v1/loyalty/events (three rules match each), then reward redemptions through
// POST /api/v1/loyalty/rewards/:id/redeem, each against the redirect measured in the same run (alternating rounds,
// autocannon 10 connections). Afterwards it checks in D1 that every member's balance, pending points and debt are
// exactly the sums of their ledger rows, that every answered event is stored once with its three entries, and that
// every 201 redemption spent its points exactly once.
// Env: BENCH_PORT (a free port when unset), BENCH_SECONDS (10), BENCH_ROUNDS (2), BENCH_MEMBERS (200).
import { spawnSync } from 'node:child_process';
import { api, BENCH_TOKEN, BROWSER_UA, freePort, load, migrate, startWorker, tempDir } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const members = Number(process.env.BENCH_MEMBERS ?? 200);
const connections = 10;
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, 'Content-Type': 'application/json' };

const persistTo = tempDir('bench-loyalty');
migrate(persistTo);
const worker = await startWorker({ port, persistTo, vars: { ADMIN_TOKEN: BENCH_TOKEN } });
const call = api(worker.base);

// A program, three rules that all pay for a review (18 points an event), and a perk that costs one event's points.
await call('PUT', '/api/v1/loyalty/program', {
  name: 'Bench Club',
  points_name: 'Points',
  point_value: 0.01,
  currency: 'EUR',
  pending_days: 0,
  expiry_days: 365,
  tiers: [{ name: 'Member', min_points_12m: 0, multiplier: 1 }],
  enrollment: 'automatic',
});
for (const [name, points] of [
  ['Review', 10],
  ['Review bonus', 5],
  ['Review week', 3],
]) {
  await call('POST', '/api/v1/loyalty/rules', { name, kind: 'review', points });
}
const reward = await call('POST', '/api/v1/loyalty/rewards', { name: 'Early preview', kind: 'perk', cost: 18 });
const campaign = await call('POST', '/api/v1/campaigns', { name: 'Bench' });
const link = await call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/spring', utm_medium: 'email' });

let eventSerial = 0;
const eventRequest = (request) => {
  eventSerial += 1;
  return {
    ...request,
    body: JSON.stringify({ type: 'review', customer_ref: `bench-member-${eventSerial % members}`, idempotency_key: `bench-review-${eventSerial}` }),
  };
};
let redeemSerial = 0;
const redeemRequest = (request) => {
  redeemSerial += 1;
  return { ...request, body: JSON.stringify({ customer_ref: `bench-member-${redeemSerial % members}` }) };
};

const redirect = () => load({ url: `${worker.base}/${link.slug}`, connections, duration, headers: { 'User-Agent': BROWSER_UA, Accept: 'text/html' } });
const events = () =>
  load({ url: `${worker.base}/api/v1/loyalty/events`, method: 'POST', connections, duration, headers: auth, requests: [{ setupRequest: eventRequest }] });
const redeems = () =>
  load({
    url: `${worker.base}/api/v1/loyalty/rewards/${reward.id}/redeem`,
    method: 'POST',
    connections,
    duration,
    headers: auth,
    requests: [{ setupRequest: redeemRequest }],
  });

await load({ url: `${worker.base}/${link.slug}`, connections, duration: 2, headers: { 'User-Agent': BROWSER_UA } });
const runs = { redirect: [], events: [], redeems: [] };
for (let round = 0; round < rounds; round++) {
  runs.redirect.push(await redirect());
  runs.events.push(await events());
}
for (let round = 0; round < rounds; round++) {
  runs.redirect.push(await redirect());
  runs.redeems.push(await redeems());
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (name, results) => ({
  name,
  'req/s (median)': Math.round(median(results.map((r) => r.requests.average))),
  'p50 ms': median(results.map((r) => r.latency.p50)),
  'p99 ms': median(results.map((r) => r.latency.p99)),
  '2xx': results.reduce((n, r) => n + r['2xx'], 0),
  '3xx': results.reduce((n, r) => n + r['3xx'], 0),
  '4xx': results.reduce((n, r) => n + r['4xx'], 0),
  '5xx': results.reduce((n, r) => n + r['5xx'], 0),
  sent: results.reduce((n, r) => n + r.requests.sent, 0),
  errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
});
const table = [summary('redirect', runs.redirect), summary('loyalty events (3 rules)', runs.events), summary('reward redemptions', runs.redeems)];
worker.stop();
await new Promise((resolve) => setTimeout(resolve, 1500));

/** One SQL query against the benchmark's local D1. */
function query(sql) {
  const result = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql], {
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`query failed: ${result.stderr}`);
  return JSON.parse(result.stdout)[0].results;
}

const [consistency] = query(`SELECT
  (SELECT count(*) FROM loyalty_members m WHERE balance != (SELECT coalesce(sum(points), 0) FROM loyalty_ledger WHERE member_id = m.id)
     OR pending != (SELECT coalesce(sum(pending), 0) FROM loyalty_ledger WHERE member_id = m.id)
     OR debt != (SELECT coalesce(sum(debt), 0) FROM loyalty_ledger WHERE member_id = m.id)) AS members_off,
  (SELECT count(*) FROM loyalty_members) AS members,
  (SELECT count(*) FROM loyalty_events) AS events,
  (SELECT count(*) FROM loyalty_entries) AS entries,
  (SELECT coalesce(sum(points), 0) FROM loyalty_ledger WHERE kind = 'earn') AS earned,
  (SELECT coalesce(sum(points), 0) FROM loyalty_entries) AS entry_points,
  (SELECT count(*) FROM loyalty_redemptions) AS redemptions,
  (SELECT coalesce(-sum(points), 0) FROM loyalty_ledger WHERE kind = 'spend') AS spent,
  (SELECT coalesce(sum(cost), 0) FROM loyalty_redemptions) AS redemption_cost,
  (SELECT count(*) FROM loyalty_members WHERE balance < 0) AS negative`);

console.table(table);
const [redirectRow, eventRow, redeemRow] = table;
console.log(
  `events: ${eventRow['req/s (median)']} req/s, ${(eventRow['req/s (median)'] / redirectRow['req/s (median)']).toFixed(2)} of the redirect's ${redirectRow['req/s (median)']} req/s; ` +
    `redemptions: ${redeemRow['req/s (median)']} req/s (${redeemRow['2xx']} given, ${redeemRow['4xx']} refused for too few points)`,
);
console.log('D1 afterwards:', consistency);
const failures = [];
if (consistency.members_off !== 0) failures.push(`${consistency.members_off} members whose counters differ from their ledger`);
// autocannon stops at its deadline with a request in flight per connection: the Worker stored those too.
const between = (stored, row) => stored >= row['2xx'] && stored <= row.sent;
if (!between(consistency.events, eventRow)) failures.push(`${consistency.events} events stored for ${eventRow['2xx']} answered of ${eventRow.sent} sent`);
if (consistency.entries !== 3 * consistency.events) failures.push(`${consistency.entries} entries for ${consistency.events} events (3 each expected)`);
if (consistency.earned !== consistency.entry_points) failures.push(`earned ${consistency.earned} ≠ entries ${consistency.entry_points}`);
if (!between(consistency.redemptions, redeemRow))
  failures.push(`${consistency.redemptions} redemptions stored for ${redeemRow['2xx']} given of ${redeemRow.sent} sent`);
if (consistency.spent !== consistency.redemption_cost) failures.push(`spent ${consistency.spent} ≠ cost of redemptions ${consistency.redemption_cost}`);
if (table.some((row) => row['5xx'] > 0 || row.errors > 0)) failures.push('5xx answers or connection errors');
if (failures.length > 0) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('consistent: every balance equals its ledger, every event and redemption booked exactly once');
