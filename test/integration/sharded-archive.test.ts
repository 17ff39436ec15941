/**
 * The raw-touch archive with sharded touches: the same journeys stored with one
 * touch database and with three, then archived by the minute cron (every shard
 * independently, each recording its parts in its own archive_parts), give
 * byte-identical reports and raw export, the same recompute and credits, and the
 * same erasure; every shard's raw rows leave D1. A failed R2 write on one shard
 * deletes nothing there while the others archive. The one-shard run works on
 * SOLO_DB with the SOLO_ARCHIVE bucket (its shard 0 writes the same keys as DB's).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewTouch } from '../../src/db/schema';
import { mainDb } from '../../src/db/shards';
import { archiveKey, fromNdjson } from '../../src/domain/archive';
import type { Bindings } from '../../src/env';
import { gunzipText } from '../../src/lib/gzip';
import { archiveDueTouches } from '../../src/services/touch-archive';
import { call, json } from '../helpers';
import {
  clock,
  credits,
  details,
  FROM,
  REFERRER,
  REFERRER_REF,
  referred,
  reportTexts,
  runFixture,
  setReferrer,
  TO,
  touch,
  touchCount,
  V,
} from '../support/sharded-fixture';
import { bindings, cron, one, shardDatabases, three } from '../support/archived-shards';
import { migrateShardDatabases } from '../support/shards';

/** 100 days after the fixture's first day: with the default 30 + 30 day hot window every touch (days 1 … 12) is due. */
const LATER = clock.at(100);
const HOT_DAYS = 60;

/** A tell-a-friend visit of Carol (shard 2) whose agent the current rules call a crawler, stored as human (before the rule). */
const crawlerVisit = (): NewTouch[] => [touch('tpc_SH_Z1', V.carol, 4, { ...referred(), user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' })];

const touchCounts = (overrides: Partial<Bindings>) => Promise.all(shardDatabases(overrides).map(touchCount));

/** Each shard's recorded parts: key and rows, by day and part. */
const partsOnShards = (overrides: Partial<Bindings>) =>
  Promise.all(
    shardDatabases(overrides).map((db) =>
      db
        .prepare('SELECT key, rows, state FROM archive_parts ORDER BY day, part')
        .all<{ key: string; rows: number; state: string }>()
        .then((r) => r.results),
    ),
  );

/** Every touch in every recorded part of `bucket` under `overrides`. */
async function archivedTouches(overrides: Partial<Bindings>, bucket: R2Bucket): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (const part of (await partsOnShards(overrides)).flat()) {
    const object = await bucket.get(part.key);
    expect(object, part.key).not.toBeNull();
    out.push(...fromNdjson<Record<string, unknown>>(await gunzipText(object!.body)));
  }
  return out;
}

const exportText = (overrides: Partial<Bindings>) =>
  call('GET', `/api/v1/exports/touches?from=${FROM}&to=${TO}&format=ndjson`, { env: overrides, now: () => LATER }).then((r) => r.text());

/** The readers of journeys (Markov, conversion paths), also compared half-way through archiving. */
const isJourneyRead = (key: string) => key.includes('model=markov') || key.includes('/reports/paths');

/** Conversion credit rows D1 still holds (the credit archive moves them a few cron runs behind the touches). */
const hotCredits = (db: D1Database) => db.prepare('SELECT COUNT(*) AS n FROM conversion_paths').first<number>('n');

/** Runs the minute cron at `now` until D1 holds no credit row of a conversion (at most `runs` times). */
async function cronUntilCreditsArchived(overrides: Partial<Bindings>, db: D1Database, now: number, runs = 6): Promise<void> {
  for (let run = 0; run < runs && (await hotCredits(db)) !== 0; run++) await cron(overrides, now);
}

describe('the raw-touch archive with sharded touches', () => {
  const runs: Record<'one' | 'three', { before: Record<string, string>; after: Record<string, string>; ids: Map<string, string> }> = {} as never;
  /** One shard with days 1 … 5 archived (touches and credits) and days 6 … 14 hot: the journey reads' texts. */
  let halfArchived: { texts: Record<string, string>; hotTouches: number; archivedParts: number; hotCredits: number; creditParts: number };
  let failedRun: Awaited<ReturnType<typeof archiveDueTouches>>;
  let afterFailure: { counts: number[]; parts: unknown[]; shard2Objects: unknown[] };

  beforeAll(async () => {
    await migrateShardDatabases();
    await setReferrer();
    const oneIds = await runFixture(one(), crawlerVisit);
    const oneBefore = await reportTexts(one());
    // 66 days after day 0 the first hot day is day 6: days 1 … 5 move, touches and credits, the later days stay.
    await cronUntilCreditsArchived(one(), env.SOLO_DB, clock.at(66));
    halfArchived = {
      texts: await reportTexts(one()),
      hotTouches: (await touchCounts(one()))[0],
      archivedParts: (await partsOnShards(one()))[0].length,
      hotCredits: (await hotCredits(env.SOLO_DB)) ?? 0,
      creditParts: (await env.SOLO_DB.prepare("SELECT COUNT(*) AS n FROM credit_parts WHERE state = 'archived'").first<number>('n')) ?? 0,
    };
    // Eight days of touches: the cron moves five parts a run, later runs the rest; the credits follow.
    await cron(one(), LATER);
    await cronUntilCreditsArchived(one(), env.SOLO_DB, LATER);
    runs.one = { before: oneBefore, after: await reportTexts(one()), ids: oneIds };

    const threeIds = await runFixture(three(), crawlerVisit);
    const threeBefore = await reportTexts(three());
    // Shard 2's object writes fail: shards 0 and 1 archive, shard 2 keeps every row.
    const failing = new Proxy(env.ARCHIVE, {
      get: (target, name) =>
        name === 'put'
          ? (key: string, ...rest: unknown[]) =>
              key.startsWith('touches/shard=2/') ? Promise.reject(new Error('R2 is down')) : target.put(key, ...(rest as [never, never]))
          : Reflect.get(target, name).bind(target),
    }) as R2Bucket;
    failedRun = await archiveDueTouches(mainDb(bindings(three())), failing, HOT_DAYS, LATER);
    afterFailure = {
      counts: await touchCounts(three()),
      parts: await partsOnShards(three()),
      shard2Objects: (await env.ARCHIVE.list({ prefix: 'touches/shard=2/' })).objects,
    };
    await cronUntilCreditsArchived(three(), env.DB, LATER);
    runs.three = { before: threeBefore, after: await reportTexts(three()), ids: threeIds };
  }, 120_000);

  it('deletes nothing on the shard whose R2 write failed, while the other shards archive', () => {
    expect(failedRun.failure).toBe('shard 2: R2 is down; nothing deleted');
    // Shard 0: Alice's laptop (days 3, 7); shard 1: four days of Alice's phone, Dave, Erin and the scanner.
    expect(failedRun.parts.map((part) => [part.key, part.rows])).toEqual([
      [archiveKey(clock.date(3), 1), 1],
      [archiveKey(clock.date(7), 1), 1],
      [archiveKey(clock.date(1), 1, 1), 1],
      [archiveKey(clock.date(2), 1, 1), 3],
      [archiveKey(clock.date(3), 1, 1), 2],
      [archiveKey(clock.date(9), 1, 1), 1],
    ]);
    expect(afterFailure.counts).toEqual([0, 0, 9]);
    expect((afterFailure.parts as unknown[][]).map((parts) => parts.length)).toEqual([2, 4, 0]);
    expect(afterFailure.shard2Objects).toEqual([]);
  });

  it('archives every shard past the hot window: no raw touch left in D1, each shard records its own parts under its key', async () => {
    expect(await touchCounts(one())).toEqual([0]);
    expect(await touchCounts(three())).toEqual([0, 0, 0]);
    const [solo] = await partsOnShards(one());
    expect(solo.map((part) => [part.key, part.rows, part.state])).toEqual(
      [1, 2, 3, 4, 6, 7, 9, 11].map((day, i) => [archiveKey(clock.date(day), 1), [1, 6, 4, 3, 1, 1, 1, 1][i], 'archived']),
    );
    const sharded = await partsOnShards(three());
    expect(sharded.map((parts) => parts.map((part) => part.key))).toEqual([
      [archiveKey(clock.date(3), 1), archiveKey(clock.date(7), 1)],
      [1, 2, 3, 9].map((day) => archiveKey(clock.date(day), 1, 1)),
      [2, 3, 4, 6, 11].map((day) => archiveKey(clock.date(day), 1, 2)),
    ]);
    expect(sharded.map((parts) => parts.reduce((sum, part) => sum + part.rows, 0))).toEqual([2, 7, 9]);
    expect(archiveKey(clock.date(2), 1, 2)).toBe('touches/shard=2/day=2031-03-03/part-0001.ndjson.gz');
    // The same 18 touches, every column as stored, in both buckets.
    const byId = (rows: Array<Record<string, unknown>>) => rows.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const soloRows = byId(await archivedTouches(one(), env.SOLO_ARCHIVE));
    expect(soloRows).toHaveLength(18);
    expect(byId(await archivedTouches(three(), env.ARCHIVE))).toEqual(soloRows);
  });

  it('answers every report, the raw export, conversion paths and markov byte-identically before and after, with one shard and three', async () => {
    expect([await hotCredits(env.SOLO_DB), await hotCredits(env.DB)]).toEqual([0, 0]);
    for (const run of [runs.one, runs.three]) {
      for (const [path, text] of Object.entries(run.before)) expect({ path, text: run.after[path] }).toEqual({ path, text });
    }
    for (const [path, text] of Object.entries(runs.one.after)) expect({ path, text: runs.three.after[path] }).toEqual({ path, text });
    // The export read every touch back from R2 (17 of the fixture and the crawler's visit).
    expect(runs.three.after[`/api/v1/exports/touches?from=${FROM}&to=${TO}`].trim().split('\n')).toHaveLength(18);
  });

  it('reads journeys from D1 and the archive merged when the range is half archived: markov and paths as before', () => {
    // Days 1, 2, 3, 4 archived (four parts), the touches of days 6, 7, 9, 11 hot; credits on both sides too.
    expect([halfArchived.hotTouches, halfArchived.archivedParts, halfArchived.hotCredits, halfArchived.creditParts]).toEqual([4, 4, 19, 1]);
    const journeyReads = Object.keys(runs.one.before).filter(isJourneyRead);
    expect(journeyReads).toHaveLength(2);
    for (const path of journeyReads) expect({ path, text: halfArchived.texts[path] }).toEqual({ path, text: runs.one.before[path] });
    const markov = JSON.parse(runs.one.after[journeyReads[0]]) as { markov: { journeys: number; converting_journeys: number } };
    const paths = JSON.parse(runs.one.after[journeyReads[1]]) as { conversions: number; distinct_paths: number };
    expect([markov.markov.journeys, markov.markov.converting_journeys, paths.conversions, paths.distinct_paths]).toEqual([10, 8, 8, 8]);
  });

  it('exports the archived touches of every shard in (occurred_at, id) order, as one shard does', async () => {
    const text = await exportText(three());
    expect(text).toBe(await exportText(one()));
    const ids = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids.slice(0, 4)).toEqual(['tpc_SH_A1', 'tpc_SH_B1', 'tpc_SH_C1', 'tpc_SH_C2']);
    expect(ids).toHaveLength(18);
  });

  it('recomputes the archived period from every shard: same answer, rollups and credits as with one shard', async () => {
    const recompute = async (overrides: Partial<Bindings>) => {
      const response = await call('POST', '/api/v1/maintenance/recompute', { body: { from: FROM, to: TO }, env: overrides, now: () => LATER });
      expect(response.status).toBe(200);
      return json(response);
    };
    const oneAnswer = await recompute(one());
    expect(await recompute(three())).toEqual(oneAnswer);
    // The crawler's visit (Carol, shard 2, day 4) is a bot now: one part rewritten, its day rebuilt, nine sales re-attributed.
    expect(oneAnswer).toMatchObject({
      archived_touches_checked: 18,
      archived_touches_changed: 1,
      parts_rewritten: 1,
      days_rebuilt: 1,
      conversions_queued: 9,
      conversions_pending: 0,
    });
    const [oneCredits, threeCredits] = [await credits(env.SOLO_DB), await credits(env.DB)];
    expect(threeCredits).toEqual(oneCredits);
    const lastTouchOfCarol = (oneCredits as Array<Record<string, unknown>>).filter((c) => c.order_id === 'sh-h' && c.model === 'last_touch');
    expect(lastTouchOfCarol.map((c) => [c.touch_id, c.weight])).toEqual([
      ['tpc_SH_C1', 0],
      ['tpc_SH_C2', 0],
      ['tpc_SH_R1', 0],
      ['tpc_SH_R4', 1],
    ]);
    expect(await details(runs.three.ids, three())).toEqual(await details(runs.one.ids, one()));
    const [oneReports, threeReports] = [await reportTexts(one()), await reportTexts(three())];
    for (const [path, text] of Object.entries(oneReports)) expect({ path, text: threeReports[path] }).toEqual({ path, text });
    // Carol's crawler visit left the referral report (visits 5 → 4) on both.
    expect(JSON.parse(runs.one.after[`/api/v1/reports/referrals?from=${FROM}&to=${TO}`]).rows[0].visits).toBe(5);
    expect(JSON.parse(threeReports[`/api/v1/reports/referrals?from=${FROM}&to=${TO}`]).rows[0]).toMatchObject({ visits: 4, unique_visitors: 3 });
  }, 60_000);

  it('erases a referrer from the archived parts of every shard', async () => {
    const erase = async (overrides: Partial<Bindings>) => {
      const response = await call('DELETE', `/api/v1/customers/${REFERRER_REF}`, { env: overrides });
      expect(response.status).toBe(200);
      return (await json(response)).rows.archived_touches;
    };
    expect([await erase(one()), await erase(three())]).toEqual([5, 5]);
    for (const [overrides, bucket] of [
      [one(), env.SOLO_ARCHIVE],
      [three(), env.ARCHIVE],
    ] as const) {
      const referrers = (await archivedTouches(overrides, bucket)).map((row) => row.referrer_hash).filter((hash) => hash !== null);
      expect(referrers).toHaveLength(5);
      expect(referrers.filter((hash) => hash === REFERRER)).toEqual([]);
      for (const db of shardDatabases(overrides)) {
        expect(await db.prepare('SELECT COUNT(*) AS n FROM archive_part_referrers WHERE referrer_hash = ?1').bind(REFERRER).first('n')).toBe(0);
      }
    }
    // The same export but for the random pseudonym each erasure chose.
    const pseudonymous = (text: string) => text.replace(/erased_[0-9A-Za-z]+/g, 'erased_…');
    expect(pseudonymous(await exportText(three()))).toBe(pseudonymous(await exportText(one())));
    expect(pseudonymous(await exportText(one())).match(/erased_…/g)).toHaveLength(5);
  });

  it('deletes every shard’s parts past RETENTION_DAYS, objects and records', async () => {
    // 500 days on, a 400-day retention keeps day 100 onwards: every part of days 1 … 11 goes.
    await cron({ ...three(), RETENTION_DAYS: '400' }, clock.at(500));
    expect((await partsOnShards(three())).map((parts) => parts.length)).toEqual([0, 0, 0]);
    expect((await env.ARCHIVE.list({ prefix: 'touches/' })).objects).toEqual([]);
    expect(await exportText(three())).toBe('');
  });
});
