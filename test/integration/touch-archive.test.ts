/**
 * The bounded hot store: raw touches past the hot window move to R2 and leave
 * D1; reports (rollups) and the raw export read the same before and after; a
 * failed or corrupt write deletes nothing; late rows for an archived day make
 * the day's next part.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { countLinkVisitsBy } from '../../src/db/campaign-page';
import { createDb } from '../../src/db/client';
import { ARCHIVE_COLUMNS, type ArchivedTouch } from '../../src/db/touch-archive';
import { archiveKey, fromNdjson, toNdjson } from '../../src/domain/archive';
import { gunzipText, gzipText } from '../../src/lib/gzip';
import type { Bindings } from '../../src/env';
import { exportResponse } from '../../src/services/exports';
import { reattributeQueued } from '../../src/services/late-touches';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { archiveDueTouches, rewritePart } from '../../src/services/touch-archive';
import { hmacHex, sha256Hex } from '../../src/lib/crypto';
import { call, columnsHolding, json } from '../helpers';
import { clockOf, storeJourney, storeTouches, touchRow, type Clock } from '../support/attribution-fixture';

const db = () => createDb(env.DB);
const textOf = async (response: Response) => new TextDecoder().decode(await response.arrayBuffer());
const HOT_DAYS = 60;

/** The journey of issue 4 (day 0, 10, 20 and a bot on day 20), a sale on day 21 by a customer, and a hot touch on day 200. */
async function seed(clock: Clock) {
  const journey = await storeJourney(`Archive ${clock.date(0)}`, clock);
  const sale = await call('POST', '/api/v1/conversions', {
    body: {
      type: 'sale',
      order_id: `A-${clock.date(0)}`,
      visitor_id: journey.visitor,
      customer_ref: `c-${clock.date(0)}`,
      value: 90,
      currency: 'EUR',
      occurred_at: clock.iso(21),
    },
    now: () => clock.at(21),
  });
  expect(sale.status).toBe(201);
  const saleId: string = (await json(sale)).id;
  const hot = touchRow({
    campaign_id: journey.campaignId,
    link_id: journey.emailLink,
    channel: 'email',
    visitor_id: journey.visitor,
    occurred_at: clock.iso(200),
  });
  await storeTouches([hot]);
  return { journey, hot, saleId };
}

/** A flyer scan from Germany with a referring host, on the journey's day 5. */
async function storeGermanScan(clock: Clock, journey: { campaignId: string; qrLink: string }) {
  const scan = touchRow({
    campaign_id: journey.campaignId,
    link_id: journey.qrLink,
    channel: 'offline',
    type: 'scan',
    device_class: 'mobile',
    visitor_id: `v-de-${clock.date(0)}`,
    country: 'DE',
    referrer_host: 'news.example',
    occurred_at: clock.iso(5),
  });
  await storeTouches([scan]);
  return scan;
}

/** Every report of the fixture's range, and its link's stats, as JSON. */
async function reports(clock: Clock, journey: { campaignId: string; emailLink: string; qrLink: string }, saleId: string) {
  const { campaignId, emailLink: linkId } = journey;
  const range = `from=${clock.date(-1)}&to=${clock.date(201)}`;
  const paths = [
    `/api/v1/reports/channels?${range}`,
    `/api/v1/reports/campaigns?${range}`,
    `/api/v1/reports/links?${range}&campaign_id=${campaignId}`,
    `/api/v1/reports/devices?${range}&model=linear`,
    `/api/v1/reports/timeseries?${range}&model=time_decay`,
    `/api/v1/reports/timeseries?from=${clock.date(0)}&to=${clock.date(25)}&interval=hour`,
    `/api/v1/reports/channels?${range}&lookback_days=90&model=first_touch`,
    `/api/v1/reports/loyalty?${range}`,
    `/api/v1/reports/customers?${range}`,
    `/api/v1/reports/referrals?${range}`,
    `/api/v1/reports/loyalty?from=${clock.date(150)}&to=${clock.date(201)}`,
    `/api/v1/links/${linkId}`,
    `/api/v1/links/${journey.qrLink}`,
    `/api/v1/conversions/${saleId}`,
  ];
  const out: Record<string, unknown> = {
    countries: await countLinkVisitsBy(db(), journey.qrLink, 'country', { from: clock.date(-1), to: clock.date(201) }, 20),
    referrers: await countLinkVisitsBy(db(), journey.qrLink, 'referrer_host', { from: clock.date(-1), to: clock.date(201) }, 20),
  };
  for (const path of paths) {
    const response = await call('GET', path);
    expect(response.status, path).toBe(200);
    out[path] = await json(response);
  }
  return out;
}

const exportRange = (clock: Clock) => ({ from: `${clock.date(-1)}T00:00:00.000Z`, to: `${clock.date(201)}T00:00:00.000Z` });
const exported = (clock: Clock, pageRows?: number) => textOf(exportResponse(db(), 'touches', exportRange(clock), 'ndjson', pageRows, env.ARCHIVE));
const viaApi = (clock: Clock) => call('GET', `/api/v1/exports/touches?from=${clock.date(-1)}&to=${clock.date(200)}`).then(textOf);

async function touchIdsBetween(fromIso: string, toIso: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT id FROM touches WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at, id')
    .bind(fromIso, toIso)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}

async function objectRows(key: string) {
  const object = await env.ARCHIVE.get(key);
  expect(object, key).not.toBeNull();
  return fromNdjson<Record<string, unknown>>(await gunzipText(object!.body));
}

const partsOf = (day: string) =>
  env.DB.prepare('SELECT part, key, rows, first_at, last_at FROM archive_parts WHERE day = ?1 ORDER BY part')
    .bind(day)
    .all()
    .then((r) => r.results);

// Each test uses a year of its own, later tests earlier years: a run archives everything before its window.
describe('archiving raw touches to R2', () => {
  it('moves days past the hot window to R2, leaving reports and the raw export unchanged', async () => {
    const clock = clockOf(2019);
    const { journey, hot, saleId } = await seed(clock);
    const german = await storeGermanScan(clock, journey);
    const before = await reports(clock, journey, saleId);
    const exportBefore = await exported(clock);
    const apiBefore = await viaApi(clock);
    const stored = await env.DB.prepare('SELECT * FROM touches WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at, id')
      .bind(clock.iso(-1), clock.iso(30))
      .all();
    expect(exportBefore.trim().split('\n')).toHaveLength(6);
    // The figures the archive must keep, as they are before it runs.
    expect(before.countries).toEqual([
      { value: null, visits: 1 },
      { value: 'DE', visits: 1 },
    ]);
    expect((before[`/api/v1/links/${journey.qrLink}`] as any).stats).toEqual({ clicks: 0, scans: 2, unique_visitors: 2 });
    expect((before[`/api/v1/conversions/${saleId}`] as any).touches.map((touch: any) => touch.type)).toEqual(['click', 'scan', 'click']);
    expect((before[`/api/v1/reports/loyalty?from=${clock.date(150)}&to=${clock.date(201)}`] as any).visitors).toEqual([
      { channel: 'email', new_visitors: 0, returning_visitors: 1 },
    ]);

    const run = await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(run).toEqual({
      parts: [
        { key: archiveKey(clock.date(0), 1), rows: 1 },
        { key: archiveKey(clock.date(5), 1), rows: 1 },
        { key: archiveKey(clock.date(10), 1), rows: 1 },
        { key: archiveKey(clock.date(20), 1), rows: 2 },
      ],
      failure: null,
    });
    expect(archiveKey(clock.date(0), 1)).toBe('touches/day=2019-03-01/part-0001.ndjson.gz');
    // D1 keeps only the hot touch; R2 holds the others, every column as stored.
    expect(await touchIdsBetween(clock.iso(-1), clock.iso(201))).toEqual([hot.id]);
    const archived = [
      ...(await objectRows(archiveKey(clock.date(0), 1))),
      ...(await objectRows(archiveKey(clock.date(5), 1))),
      ...(await objectRows(archiveKey(clock.date(10), 1))),
      ...(await objectRows(archiveKey(clock.date(20), 1))),
    ];
    expect(archived).toEqual(stored.results);
    expect(await partsOf(clock.date(20))).toEqual([
      { part: 1, key: archiveKey(clock.date(20), 1), rows: 2, first_at: journey.referral.occurred_at, last_at: journey.bot.occurred_at },
    ]);

    expect(archived.map((row) => row.id)).toContain(german.id);
    expect(await reports(clock, journey, saleId)).toEqual(before);
    expect(await exported(clock)).toBe(exportBefore);
    expect(await exported(clock, 2)).toBe(exportBefore);
    expect(await viaApi(clock)).toBe(apiBefore);
    // A second run finds nothing more to move.
    expect(await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200))).toEqual({ parts: [], failure: null });
  });

  it('writes late rows of an archived day as its next part, exported in order', async () => {
    const clock = clockOf(2018);
    const { journey } = await seed(clock);
    await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    const late = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.qrLink,
      channel: 'offline',
      type: 'scan',
      visitor_id: 'v-late',
      occurred_at: clock.iso(9.5),
    });
    const lateSameDay = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.qrLink,
      channel: 'offline',
      type: 'scan',
      visitor_id: 'v-late',
      occurred_at: clock.iso(10.1),
    });
    await storeTouches([late, lateSameDay]);
    const exportBefore = await exported(clock);
    const linksBefore = await call('GET', `/api/v1/reports/links?from=${clock.date(-1)}&to=${clock.date(201)}&campaign_id=${journey.campaignId}`).then(json);

    const run = await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(run).toEqual({
      parts: [
        { key: archiveKey(clock.date(9), 1), rows: 1 },
        { key: archiveKey(clock.date(10), 2), rows: 1 },
      ],
      failure: null,
    });
    expect((await partsOf(clock.date(10))).map((part) => [part.part, part.rows])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect((await objectRows(archiveKey(clock.date(10), 2))).map((row) => row.id)).toEqual([lateSameDay.id]);
    const ids = (await exported(clock, 1))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids).toEqual([journey.email.id, late.id, journey.scan.id, lateSameDay.id, journey.referral.id, journey.bot.id, expect.any(String)]);
    expect(await exported(clock)).toBe(exportBefore);
    expect(await call('GET', `/api/v1/reports/links?from=${clock.date(-1)}&to=${clock.date(201)}&campaign_id=${journey.campaignId}`).then(json)).toEqual(
      linksBefore,
    );
  });
});

describe('a failed archive write deletes nothing', () => {
  /** The bucket with `put` replaced. */
  const bucketWith = (put: R2Bucket['put']): R2Bucket =>
    new Proxy(env.ARCHIVE, { get: (target, name) => (name === 'put' ? put : Reflect.get(target, name).bind(target)) }) as R2Bucket;

  const cases: Array<[string, (key: string, rows: string) => Promise<unknown>, string]> = [
    ['a put that throws', () => Promise.reject(new Error('R2 is down')), 'R2 is down'],
    ['an object that is not gzip', (key) => env.ARCHIVE.put(key, 'not gzip at all'), 'not gzip'],
    ['an object missing a row', async (key, rows) => env.ARCHIVE.put(key, await gzipText(rows.split('\n').slice(1).join('\n'))), '0 rows read back, 1 written'],
    ['an object with a changed row', async (key, rows) => env.ARCHIVE.put(key, await gzipText(rows.replace('"is_bot":0', '"is_bot":1'))), 'digest'],
  ];

  cases.forEach(([name, write, failure], i) => {
    it(`keeps every touch in D1 after ${name}`, async () => {
      const clock = clockOf(2010 - i);
      const { journey } = await seed(clock);
      const before = await touchIdsBetween(clock.iso(-1), clock.iso(201));
      const exportBefore = await exported(clock);
      const bucket = bucketWith((async (key: string, value: Uint8Array) => write(key, await gunzipText(value))) as unknown as R2Bucket['put']);
      const run = await archiveDueTouches(db(), bucket, HOT_DAYS, clock.at(200));
      expect(run.parts).toEqual([]);
      expect(run.failure).toContain(failure);
      expect(await touchIdsBetween(clock.iso(-1), clock.iso(201))).toEqual(before);
      expect(before).toHaveLength(5);
      expect(await partsOf(clock.date(0))).toEqual([]);
      expect(await env.ARCHIVE.head(archiveKey(clock.date(0), 1))).toBeNull();
      expect(await exported(clock)).toBe(exportBefore);
      // With the bucket working again, the next run moves the day.
      const next = await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
      expect(next.parts.map((part) => part.rows)).toEqual([1, 1, 2]);
      expect(await touchIdsBetween(clock.iso(-1), clock.iso(30))).toEqual([]);
      expect(journey.email.id).toBe(JSON.parse((await exported(clock)).split('\n')[0]).id);
    });
  });
});

describe('attribution past the hot window', () => {
  const creditsOf = (conversionId: string) =>
    env.DB.prepare("SELECT touch_id, weight FROM conversion_credits WHERE conversion_id = ?1 AND model = 'linear' ORDER BY position")
      .bind(conversionId)
      .all<{ touch_id: string; weight: number }>()
      .then((r) => r.results);

  it('finds archived candidates for a conversion recorded late, and keeps them when a late touch re-attributes it', async () => {
    const clock = clockOf(2005);
    const journey = await storeJourney('Late sale', clock);
    await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(await touchIdsBetween(clock.iso(-1), clock.iso(30))).toEqual([]);
    const response = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: 'late-2005', visitor_id: journey.visitor, value: 40, currency: 'EUR', occurred_at: clock.iso(21) },
      now: () => clock.at(200),
    });
    const sale = await json(response);
    expect(sale.attribution).toEqual([{ channel: 'referral', campaign_id: journey.campaignId, link_id: journey.referralLink, weight: 1 }]);
    expect(await creditsOf(sale.id)).toEqual([
      { touch_id: journey.email.id, weight: 1 / 3 },
      { touch_id: journey.scan.id, weight: 1 / 3 },
      { touch_id: journey.referral.id, weight: 1 / 3 },
    ]);

    // A touch of its visitor inside its window arrives even later (a queue retried for days): D1 and archive together.
    const late = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.qrLink,
      channel: 'offline',
      type: 'scan',
      visitor_id: journey.visitor,
      occurred_at: clock.iso(15),
    });
    await writeTouches(directToD1(env as Bindings), [late]);
    await reattributeQueued(db(), env as Bindings, clock.at(200));
    expect(await creditsOf(sale.id)).toEqual([
      { touch_id: journey.email.id, weight: 0.25 },
      { touch_id: journey.scan.id, weight: 0.25 },
      { touch_id: late.id, weight: 0.25 },
      { touch_id: journey.referral.id, weight: 0.25 },
    ]);
  });
});

describe('POST /api/v1/maintenance/recompute', () => {
  const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
  const linear = (conversionId: string) =>
    env.DB.prepare("SELECT touch_id, weight FROM conversion_credits WHERE conversion_id = ?1 AND model = 'linear' ORDER BY position")
      .bind(conversionId)
      .all<{ touch_id: string; weight: number }>()
      .then((r) => r.results);

  it('applies a new bot rule to archived touches, rebuilds their rollups and re-attributes the period from the archive', async () => {
    const clock = clockOf(2004);
    const journey = await storeJourney('Recompute', clock);
    // A crawler stored as a human visit (the rules of its day did not know it): it earned credit.
    const crawler = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.emailLink,
      channel: 'email',
      visitor_id: journey.visitor,
      user_agent: GOOGLEBOT,
      occurred_at: clock.iso(15),
    });
    await storeTouches([crawler]);
    const sale = await json(
      await call('POST', '/api/v1/conversions', {
        body: { type: 'sale', order_id: 'recompute-2004', visitor_id: journey.visitor, value: 60, currency: 'EUR', occurred_at: clock.iso(21) },
        now: () => clock.at(21),
      }),
    );
    expect((await linear(sale.id)).map((credit) => credit.touch_id)).toEqual([journey.email.id, journey.scan.id, crawler.id, journey.referral.id]);
    await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    const report = () => call('GET', `/api/v1/reports/channels?from=${clock.date(0)}&to=${clock.date(25)}&model=linear`).then(json);
    const email = async () => (await report()).rows.find((row: any) => row.channel === 'email');
    expect(await email()).toMatchObject({ visits: 2, bots: 1, unique_visitors: 1, conversions: 0.5, revenue: 30 });

    const response = await call('POST', '/api/v1/maintenance/recompute', { body: { from: clock.date(0), to: clock.date(25) }, now: () => clock.at(200) });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      from: clock.date(0),
      to: clock.date(25),
      lookback_days: null,
      touches_checked: 0,
      touches_changed: 0,
      scanner_bursts_flagged: 0,
      opens_checked: 0,
      opens_changed: 0,
      archived_touches_checked: 5,
      archived_touches_changed: 1,
      parts_rewritten: 1,
      days_rebuilt: 1,
      conversions_queued: 1,
      conversions_pending: 0,
    });
    // The archive holds the crawler as a bot now, and the rollups and credits follow.
    expect(await objectRows(archiveKey(clock.date(15), 1))).toEqual([
      expect.objectContaining({ id: crawler.id, is_bot: 1, bot_reason: 'user_agent', device_class: 'bot' }),
    ]);
    expect(await email()).toMatchObject({ visits: 1, bots: 2, unique_visitors: 1, conversions: 0.333333, revenue: 20 });
    expect((await linear(sale.id)).map((credit) => [credit.touch_id, credit.weight])).toEqual([
      [journey.email.id, 1 / 3],
      [journey.scan.id, 1 / 3],
      [journey.referral.id, 1 / 3],
    ]);
    const day15 = await env.DB.prepare('SELECT channel, device_class, is_bot, touches FROM touch_daily WHERE day = ?1 AND touches > 0')
      .bind(clock.date(15))
      .all();
    expect(day15.results).toEqual([{ channel: 'email', device_class: 'bot', is_bot: 1, touches: 1 }]);

    // Another lookback for the period: 5 days leave only the referral visit of day 20.
    const shorter = await call('POST', '/api/v1/maintenance/recompute', {
      body: { from: clock.date(0), to: clock.date(25), lookback_days: 5 },
      now: () => clock.at(200),
    });
    expect(await json(shorter)).toMatchObject({
      lookback_days: 5,
      archived_touches_changed: 0,
      parts_rewritten: 0,
      conversions_queued: 1,
      conversions_pending: 0,
    });
    expect((await linear(sale.id)).map((credit) => [credit.touch_id, credit.weight])).toEqual([[journey.referral.id, 1]]);
  });

  it('refuses a reversed or too long period', async () => {
    const reversed = await call('POST', '/api/v1/maintenance/recompute', { body: { from: '2004-03-02', to: '2004-03-01' } });
    expect(reversed.status).toBe(400);
    expect((await json(reversed)).error.message).toBe('to: must not be before from');
    const long = await call('POST', '/api/v1/maintenance/recompute', { body: { from: '2004-03-01', to: '2004-04-01' } });
    expect(long.status).toBe(400);
    expect((await json(long)).error.message).toBe('to: a recompute covers at most 31 days');
  });
});

describe('erasing a customer', () => {
  it('replaces their hash in archived tell-a-friend visits too', async () => {
    const clock = clockOf(2003);
    const journey = await storeJourney('Erasure', clock);
    const hash = await hmacHex('test-hash-secret', 'friend-2003');
    const visit = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.referralLink,
      channel: 'referral',
      visitor_id: 'v-friend',
      referrer_hash: hash,
      occurred_at: clock.iso(3),
    });
    await storeTouches([visit]);
    await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(await exported(clock)).toContain(hash);

    const response = await call('DELETE', '/api/v1/customers/friend-2003');
    expect(response.status).toBe(200);
    expect((await json(response)).rows).toMatchObject({ touches: 0, archived_touches: 1 });
    const [erased] = await objectRows(archiveKey(clock.date(3), 1));
    expect(erased).toMatchObject({ id: visit.id, referrer_hash: expect.stringMatching(/^erased_/) });
    expect(await exported(clock)).not.toContain(hash);
    expect(await columnsHolding(hash)).toEqual([]);
    const again = await call('DELETE', '/api/v1/customers/friend-2003');
    expect((await json(again)).rows).toMatchObject({ archived_touches: 0 });
  });
});

describe('the minute cron', () => {
  it('archives under the settings and deletes archived days past RETENTION_DAYS, objects and records', async () => {
    const clock = clockOf(2002);
    const journey = await storeJourney('Cron', clock);
    await storeTouches([
      touchRow({ campaign_id: journey.campaignId, channel: 'referral', visitor_id: 'v-friend', referrer_hash: 'h-2002', occurred_at: clock.iso(0.5) }),
    ]);
    const referrersNoted = () =>
      env.DB.prepare("SELECT key FROM archive_part_referrers WHERE referrer_hash = 'h-2002'")
        .all<{ key: string }>()
        .then((r) => r.results.map((row) => row.key));
    const run = async (now: number, vars: Partial<Bindings>) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: now }), { ...(env as Bindings), ...vars }, ctx);
      await waitOnExecutionContext(ctx);
    };
    // 50 days on: inside a 30 + 30 day window nothing moves; with a 10-day margin day 0 does (the hot window starts on day 10).
    vi.useFakeTimers({ now: clock.at(50), toFake: ['Date'] });
    try {
      await run(clock.at(50), { RETENTION_DAYS: '0' });
      expect(await partsOf(clock.date(0))).toEqual([]);
      await run(clock.at(50), { RETENTION_DAYS: '0', ARCHIVE_MARGIN_DAYS: '10' });
      expect(await touchIdsBetween(clock.iso(-1), clock.iso(30))).toEqual([journey.scan.id, journey.referral.id, journey.bot.id]);
      expect((await partsOf(clock.date(0))).map((part) => part.key)).toEqual([archiveKey(clock.date(0), 1)]);
      expect(await referrersNoted()).toEqual([archiveKey(clock.date(0), 1)]);
      // 415 days on, retention (400 days) takes what is older than day 15: the archived day 0 (object and record) and day 10 in D1.
      vi.setSystemTime(clock.at(415));
      await run(clock.at(415), { RETENTION_DAYS: '400', ARCHIVE_MARGIN_DAYS: '400' });
      expect(await partsOf(clock.date(0))).toEqual([]);
      expect(await env.ARCHIVE.head(archiveKey(clock.date(0), 1))).toBeNull();
      expect(await touchIdsBetween(clock.iso(-1), clock.iso(30))).toEqual([journey.referral.id, journey.bot.id]);
      expect(await referrersNoted()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('runs that overlap', () => {
  it('archives each touch once when a second run moves the rows while the first is writing', async () => {
    const clock = clockOf(2001);
    const journey = await storeJourney('Overlap', clock);
    let second: Awaited<ReturnType<typeof archiveDueTouches>> | null = null;
    const slowBucket = new Proxy(env.ARCHIVE, {
      get: (target, name) =>
        name === 'put'
          ? async (...args: Parameters<R2Bucket['put']>) => {
              // While the first run writes part 1 of day 0, a second run does all its work.
              second ??= await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200), 1);
              return target.put(...args);
            }
          : Reflect.get(target, name).bind(target),
    }) as R2Bucket;
    const first = await archiveDueTouches(db(), slowBucket, HOT_DAYS, clock.at(200), 1);
    expect(second).toEqual({ parts: [{ key: archiveKey(clock.date(0), 2), rows: 1 }], failure: null });
    expect(first.parts).toEqual([]);
    expect(first.failure).toContain(`${archiveKey(clock.date(0), 1)} was not completed`);
    expect(await partsOf(clock.date(0))).toEqual([
      { part: 2, key: archiveKey(clock.date(0), 2), rows: 1, first_at: journey.email.occurred_at, last_at: journey.email.occurred_at },
    ]);
    expect(await env.ARCHIVE.head(archiveKey(clock.date(0), 1))).toBeNull();
    const ids = (await exported(clock))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids).toEqual([journey.email.id, journey.scan.id, journey.referral.id, journey.bot.id]);
  });

  it('drops a reservation a stopped run left behind, and archives its rows again', async () => {
    const clock = clockOf(2000);
    const journey = await storeJourney('Stopped', clock);
    const key = archiveKey(clock.date(0), 1);
    await env.ARCHIVE.put(key, 'half written');
    await env.DB.prepare(
      `INSERT INTO archive_parts (day, part, key, rows, digest, bytes, first_at, first_id, last_at, last_id, state, archived_at)
       VALUES (?1, 1, ?2, 1, 'x', 12, ?3, ?4, ?3, ?4, 'writing', ?5)`,
    )
      .bind(clock.date(0), key, journey.email.occurred_at, journey.email.id, new Date(clock.at(200) - 16 * 60_000).toISOString())
      .run();
    expect(await exported(clock)).toContain(journey.email.id);
    const run = await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200), 1);
    expect(run).toEqual({ parts: [{ key, rows: 1 }], failure: null });
    expect((await objectRows(key)).map((row) => row.id)).toEqual([journey.email.id]);
    expect(
      await env.DB.prepare('SELECT state FROM archive_parts WHERE key = ?1')
        .bind(key)
        .all()
        .then((r) => r.results),
    ).toEqual([{ state: 'archived' }]);
  });
});

describe('rewriting an archived part', () => {
  it('rewrites only over the version it read: a rewrite from an older read changes nothing', async () => {
    const clock = clockOf(1999);
    const journey = await storeJourney('Rewrite', clock);
    await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(200), 1);
    const key = archiveKey(clock.date(0), 1);
    const read = await env.ARCHIVE.get(key);
    const rows = fromNdjson<ArchivedTouch>(await gunzipText(read!.body));
    const first = { rows, etag: read!.etag };
    await rewritePart(db(), env.ARCHIVE, key, first, [{ ...rows[0], country: 'AT' }]);
    await expect(rewritePart(db(), env.ARCHIVE, key, first, [{ ...rows[0], country: 'CH' }])).rejects.toThrow(`archive: ${key} changed since it was read`);
    expect(await objectRows(key)).toEqual([expect.objectContaining({ id: journey.email.id, country: 'AT' })]);
    const { digest } = (await env.DB.prepare('SELECT digest FROM archive_parts WHERE key = ?1').bind(key).first<{ digest: string }>())!;
    expect(digest).toBe(await sha256Hex(toNdjson(ARCHIVE_COLUMNS, [{ ...rows[0], country: 'AT' }])));
  });
});
