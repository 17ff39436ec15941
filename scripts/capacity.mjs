#!/usr/bin/env node
// `npm run capacity`: the capacity model — how many touch shards a volume needs and what it costs per month on
// Cloudflare — computed from the figures measured by the benchmarks (scripts/capacity-inputs.json, each with the
// command that measured it) and Cloudflare's published prices (below, with their pages).
//   npm run capacity                      the README's tables
//   npm run capacity -- --peak 20         assume bursts of 20× the day's average rate (default 10)
//   npm run capacity -- --all-via-queue   every touch through the queue (as when D1 is overloaded), not only overflow
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const inputs = JSON.parse(readFileSync(path.join(import.meta.dirname, 'capacity-inputs.json'), 'utf8'));
const { values: options } = parseArgs({
  options: { peak: { type: 'string', default: '10' }, 'all-via-queue': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const peak = Number(options.peak);
const value = (name) => inputs.measured[name].value;

// Cloudflare's published prices (USD), Workers Paid plan, as listed on 2026-12-03:
//   https://developers.cloudflare.com/workers/platform/pricing/   https://developers.cloudflare.com/d1/platform/pricing/
//   https://developers.cloudflare.com/queues/platform/pricing/    https://developers.cloudflare.com/r2/pricing/
const PRICES = {
  workersBase: 5, // per month, includes the allowances below
  workerRequests: { included: 10e6, perMillion: 0.3 },
  workerCpuMs: { included: 30e6, perMillion: 0.02 },
  d1RowsRead: { included: 25e9, perMillion: 0.001 },
  d1RowsWritten: { included: 50e6, perMillion: 1.0 },
  d1StorageGb: { included: 5, perGbMonth: 0.75 },
  queueOps: { included: 1e6, perMillion: 0.4 }, // a message: write + read + delete = 3 operations (per 64 KB)
  r2StorageGb: { included: 10, perGbMonth: 0.015 },
  r2ClassA: { included: 1e6, perMillion: 4.5 },
  r2ClassB: { included: 10e6, perMillion: 0.36 },
};
const D1_DATABASE_GB = 10; // the most one D1 database holds
const FILL = 0.8; // plan shards to stay under 80 % of a database's size and of a consumer's measured rate
const DAYS_PER_MONTH = 30;
const GB = 1e9;

const over = (amount, { included, perMillion }) => (Math.max(0, amount - included) / 1e6) * perMillion;
const overGb = (gb, { included, perGbMonth }) => Math.max(0, gb - included) * perGbMonth;

const hotDays = inputs.assumptions.lookbackDays + inputs.assumptions.archiveMarginDays;

/**
 * The conversion side after `days` days of `perDay` touches, in bytes, over `shardCount` databases (sharded
 * conversions, docs/DESIGN.md "Sharded conversions": each conversion on the shard of its customer): the credits of the
 * hot window's conversions (older ones are in R2, schema/0029), and for every day the conversions, their visitors,
 * identity links and what the all-time readers keep of archived credits, plus the credit rollups (rows per day and
 * cell, on every shard that holds conversions of the cell: counted once per shard, as the touch rollups are).
 */
function conversionBytesAfter(perDay, days, shardCount = 1) {
  const conversions = perDay * inputs.assumptions.conversionsPerTouch;
  return (
    Math.min(days, hotDays) * conversions * value('conversionHotBytesPerConversion') +
    days * (conversions * value('conversionKeptBytesPerConversion') + shardCount * value('conversionCellBytesPerDay'))
  );
}

/**
 * What the installation stores at steady state for `perDay` touches a day, in GB, over `shardCount` shards: the
 * shards hold the hot window's raw touches and the touch rollups of every retained day, and the conversions (their
 * visitors, identity links, hot credits and credit rollups, conversionBytesAfter); R2 the archived raw touches and
 * credits. The main database keeps no bytes per touch or per conversion (see the note printed below the table).
 */
function storage(perDay, shardCount = 1) {
  const keptDays = inputs.assumptions.retentionDays;
  const conversions = perDay * inputs.assumptions.conversionsPerTouch;
  const touchBytes =
    perDay * hotDays * value('shardRawBytesPerTouch') + keptDays * (perDay * value('shardVisitorBytesPerTouch') + shardCount * value('shardCellBytesPerDay'));
  const conversionBytes = conversionBytesAfter(perDay, keptDays, shardCount);
  const r2 = (keptDays * (perDay * value('r2BytesPerTouch') + conversions * value('r2CreditBytesPerConversion'))) / GB;
  return { shards: (touchBytes + conversionBytes) / GB, conversions: conversionBytes / GB, d1: (touchBytes + conversionBytes) / GB, r2 };
}

/** Shards for `perDay` touches a day: enough consumers for the peak rate, enough databases for the bytes of touches and conversions. */
function shardsFor(perDay) {
  const peakRate = (perDay / 86_400) * peak;
  const forRate = Math.ceil(peakRate / (value('consumerTouchesPerSecond') * FILL));
  let forBytes = 1;
  while (storage(perDay, forBytes).shards / forBytes > D1_DATABASE_GB * FILL) forBytes += 1;
  return { peakRate, forRate, forBytes, shards: Math.max(forRate, forBytes) };
}

/** The month's bill for `perMonth` touches, by product. */
function bill(perMonth) {
  const perDay = perMonth / DAYS_PER_MONTH;
  const conversions = perMonth * inputs.assumptions.conversionsPerTouch;
  const viaQueue = options['all-via-queue'] ? perMonth : 0;
  const queueBatches = viaQueue / value('queueBatchSize');
  const cronRuns = 60 * 24 * DAYS_PER_MONTH;
  const requests = perMonth + conversions + queueBatches + cronRuns;
  const cpuMs = perMonth * value('cpuMsPerTouch') + conversions * value('cpuMsPerConversion');
  const rowsWritten = perMonth * value('d1RowsWrittenPerTouch') + conversions * value('d1RowsWrittenPerConversion');
  const rowsRead = perMonth * value('d1RowsReadPerTouch') + conversions * value('d1RowsReadPerConversion');
  const { shards } = shardsFor(perDay);
  const { d1, r2 } = storage(perDay, shards);
  // One touch archive object a day per shard, one credit part per 1,000 conversions (each plus its verifying read).
  const r2Objects = DAYS_PER_MONTH * shards + Math.ceil(conversions / 1000);
  const lines = {
    'Workers (base, requests, CPU)': PRICES.workersBase + over(requests, PRICES.workerRequests) + over(cpuMs, PRICES.workerCpuMs),
    'D1 rows written': over(rowsWritten, PRICES.d1RowsWritten),
    'D1 rows read': over(rowsRead, PRICES.d1RowsRead),
    'D1 storage': overGb(d1, PRICES.d1StorageGb),
    Queues: over(viaQueue * 3, PRICES.queueOps),
    'R2 (archive)': overGb(r2, PRICES.r2StorageGb) + over(r2Objects, PRICES.r2ClassA) + over(r2Objects, PRICES.r2ClassB),
  };
  const total = Object.values(lines).reduce((sum, amount) => sum + amount, 0);
  return { perMonth, shards, rowsWritten, d1Gb: d1, r2Gb: r2, lines, total };
}

const usd = (amount) => `$${amount.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (n) => n.toLocaleString('en', { maximumFractionDigits: 0 });

const shardRows = [1e6, 10e6, 100e6].map((perDay) => {
  const sizing = shardsFor(perDay);
  const { shards: shardsGb, ...bytes } = storage(perDay, sizing.shards);
  return { perDay, ...sizing, ...bytes, shards_gb: shardsGb };
});
const bills = [10e6, 1e9].map(bill);
if (options.json) {
  console.log(JSON.stringify({ inputs, peak, shardRows, bills }, null, 2));
  process.exit(0);
}

console.log('Measured inputs:');
for (const [name, input] of Object.entries(inputs.measured)) console.log(`  ${name}: ${input.value} (${input.source})`);
console.log(`Assumptions: ${JSON.stringify(inputs.assumptions)}; bursts ${peak}× the day's average rate\n`);

console.log(
  `| touches a day | peak touches/s | shards for the rate | shards for the bytes | shards | their D1 after ${inputs.assumptions.retentionDays} days | of it conversions | per shard | R2 archive |`,
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of shardRows) {
  console.log(
    `| ${count(row.perDay)} | ${count(row.peakRate)} | ${row.forRate} | ${row.forBytes} | **${row.shards}** | ${row.shards_gb.toFixed(1)} GB | ` +
      `${row.conversions.toFixed(1)} GB | ${(row.shards_gb / row.shards).toFixed(1)} GB | ${row.r2.toFixed(1)} GB |`,
  );
}
const perDayConversions = (perDay) => (conversionBytesAfter(perDay, hotDays + 1) - conversionBytesAfter(perDay, hotDays)) / 1e6;
console.log(
  `\nConversions (on the shards, SHARD_CONVERSIONS): the hot window's credits (${hotDays} days × ${value('conversionHotBytesPerConversion')} B a conversion) ` +
    `+ every day's kept bytes (${value('conversionKeptBytesPerConversion')} B a conversion + ${count(value('conversionCellBytesPerDay'))} B of credit rollups per shard) × the days kept; ` +
    `at 1,000,000 touches a day they grow by ${perDayConversions(1e6).toFixed(1)} MB a day (one shard) once the hot window is full. ` +
    'Main D1 keeps campaigns, links, codes, promo codes, referrals, settings, keys, the bonus program, webhooks and refunds: ' +
    'no bytes per touch or per conversion (a sale adds ledger rows only for bonus-program members, a delivery row per webhook endpoint; not measured here).',
);
console.log('');
console.log(`| per month | ${bills.map((b) => `${count(b.perMonth)} touches (${b.shards} shard${b.shards > 1 ? 's' : ''})`).join(' | ')} |`);
console.log(`|---|${bills.map(() => '---').join('|')}|`);
for (const line of Object.keys(bills[0].lines)) console.log(`| ${line} | ${bills.map((b) => usd(b.lines[line])).join(' | ')} |`);
console.log(`| **total** | ${bills.map((b) => `**${usd(b.total)}**`).join(' | ')} |`);
