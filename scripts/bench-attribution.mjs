#!/usr/bin/env node
// npm run bench:attribution — conversions that race their clicks, against `wrangler dev` on 127.0.0.1.
// Each journey is one browser (its cookie kept): an email click, a flyer scan, a social click, then a sale
// posted with the social click's tp_click after a delay of 0 ms to 5 s — while the clicks may still wait in
// the write buffer (TOUCH_FLUSH_MS) or the queue. Once everything is written, every sale must be credited
// exactly as one posted a minute later: its whole journey, last touch social.
// BENCH_QUEUE=1: the touch queue (bound in wrangler.toml) with a buffer bound of 0, so every touch travels through
// the queue (its consumer writes batches up to a second later) — the slowest path a click can take.
// Env: BENCH_PORT (free when unset), BENCH_JOURNEYS (per delay, 6), BENCH_QUEUE.
import { api, BENCH_TOKEN, BROWSER_UA, freePort, migrate, noQueueConfig, sleep, startWorker, tempDir } from './bench/lib.mjs';

const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const perDelay = Number(process.env.BENCH_JOURNEYS ?? 6);
const viaQueue = process.env.BENCH_QUEUE === '1';
const DELAYS = [0, 50, 100, 200, 1000, 5000];
const persistTo = tempDir('bench-attribution');
migrate(persistTo);
const worker = await startWorker({
  port,
  config: viaQueue ? 'wrangler.toml' : noQueueConfig(persistTo),
  persistTo,
  vars: { ADMIN_TOKEN: BENCH_TOKEN, ...(viaQueue ? { TOUCH_BUFFER_MAX_ROWS: '0' } : {}) },
});
console.log(viaQueue ? 'touches through the queue (TOUCH_QUEUE, buffer bound 0)' : 'touches through the write buffer (no queue)');
const call = api(worker.base);

/** Follows one short link as a browser with `cookie`; returns the click id and the cookie it holds after. */
async function visit(slug, cookie, query = '') {
  const response = await fetch(`${worker.base}/${slug}${query}`, {
    redirect: 'manual',
    headers: { 'User-Agent': BROWSER_UA, ...(cookie ? { Cookie: cookie } : {}) },
  });
  if (response.status !== 302) throw new Error(`/${slug}: ${response.status}`);
  const set = response.headers.get('set-cookie');
  return { clickId: new URL(response.headers.get('location')).searchParams.get('tp_click'), cookie: set ? set.split(';')[0] : cookie };
}

try {
  const campaign = await call('POST', '/api/v1/campaigns', { name: 'Race', landing_url: 'https://shop.example/' });
  const link = (fields) => call('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/', ...fields });
  const email = await link({ utm_medium: 'email', utm_source: 'newsletter' });
  const flyer = await link({ kind: 'qr', utm_medium: 'flyer' });
  const social = await link({ utm_medium: 'social', utm_source: 'instagram' });

  const journeys = await Promise.all(
    DELAYS.flatMap((delay) =>
      Array.from({ length: perDelay }, async (_, i) => {
        await sleep(i * 150);
        let step = await visit(email.slug, null);
        step = await visit(flyer.slug, step.cookie, '?qr=1');
        step = await visit(social.slug, step.cookie);
        await sleep(delay);
        const sale = await call('POST', '/api/v1/conversions', {
          type: 'sale',
          order_id: `race-${delay}-${i}`,
          click_id: step.clickId,
          value: 40,
          currency: 'EUR',
        });
        return { delay, id: sale.id, answered: sale.attribution.map((a) => a.channel).join('+') };
      }),
    ),
  );
  await sleep(viaQueue ? 6000 : 3000); // the last clicks' batch (or queue delivery), and the re-attribution it carries

  const rows = [];
  for (const delay of DELAYS) {
    const mine = journeys.filter((journey) => journey.delay === delay);
    let whole = 0;
    const answered = {};
    for (const journey of mine) {
      answered[journey.answered] = (answered[journey.answered] ?? 0) + 1;
      const detail = await call('GET', `/api/v1/conversions/${journey.id}`);
      const path = detail.touches.map((touch) => touch.channel).join(' > ');
      const last = detail.attribution.map((a) => a.channel).join('+');
      if (path === 'email > offline > social' && last === 'social') whole++;
    }
    rows.push({
      'delay (ms)': delay,
      journeys: mine.length,
      'answered at POST': JSON.stringify(answered),
      'whole journey credited after': `${whole} of ${mine.length}`,
    });
  }
  console.table(rows);
  const failed = rows.some((row) => !row['whole journey credited after'].startsWith(`${row.journeys} of`));
  console.log(failed ? 'FAILED: some conversions kept a partial journey' : 'OK: every conversion ends with its whole journey, whatever the delay');
  process.exitCode = failed ? 1 : 0;
} finally {
  worker.stop();
}
