/**
 * Sharded touches (TOUCH_SHARDS): the same journeys stored with one touch database and
 * with three give byte-identical reports and identical credits — conversions whose
 * candidate touches sit on several shards, stitched customers, scans, code entries, a
 * bot, touches arriving after their conversions. The one-shard run works on SOLO_DB, the
 * three-shard run on DB (shard 0), TOUCH_DB_1 and TOUCH_DB_2.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardOfVisitor } from '../../src/domain/shards';
import type { Bindings } from '../../src/env';
import { pageTouchesForExport, type ExportCursor } from '../../src/db/exports';
import { mainDb } from '../../src/db/shards';
import { insertTouches } from '../../src/db/touches';
import { recordConversion } from '../../src/services/record-conversion';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { call, json } from '../helpers';
import { touchRow } from '../support/attribution-fixture';
import {
  C2,
  clock,
  credits,
  details,
  FROM,
  L_SOCIAL,
  NOW,
  oneShard,
  REFERRER,
  REFERRER_REF,
  reportTexts,
  runFixture,
  setReferrer,
  social,
  threeShards,
  TO,
  touch,
  touchCount,
  V,
} from '../support/sharded-fixture';
import { migrateShardDatabases } from '../support/shards';

describe('sharded touches', () => {
  let one: { reports: Record<string, string>; credits: unknown[]; details: string[] };
  let three: { reports: Record<string, string>; credits: unknown[]; details: string[] };

  beforeAll(async () => {
    await migrateShardDatabases();
    await setReferrer();
    const oneIds = await runFixture(oneShard());
    one = { reports: await reportTexts(oneShard()), credits: await credits(env.SOLO_DB), details: await details(oneIds, oneShard()) };
    const threeIds = await runFixture(threeShards());
    three = { reports: await reportTexts(threeShards()), credits: await credits(env.DB), details: await details(threeIds, threeShards()) };
  }, 60_000);

  it('spreads the visitors over the three shards by the hash of their id, a stitched customer over all three', async () => {
    expect([V.aliceLaptop, V.alicePhone, V.aliceTablet].map((v) => shardOfVisitor(v, 3))).toEqual([0, 1, 2]);
    expect(Object.values(V).map((v) => shardOfVisitor(v, 3))).toEqual([1, 0, 2, 2, 2, 1, 1, 2, 1]);
    expect([await touchCount(env.DB), await touchCount(env.TOUCH_DB_1), await touchCount(env.TOUCH_DB_2)]).toEqual([2, 7, 8]);
    expect(await touchCount(env.SOLO_DB)).toBe(17);
  });

  it('gives byte-identical report JSON (and CSV) with one shard and with three', () => {
    expect(Object.keys(three.reports)).toHaveLength(Object.keys(one.reports).length);
    for (const [path, text] of Object.entries(one.reports)) expect({ path, text: three.reports[path] }).toEqual({ path, text });
    const channels = JSON.parse(one.reports[`/api/v1/reports/channels?from=${FROM}&to=${TO}&model=linear`]);
    expect(JSON.parse(one.reports[`/api/v1/reports/devices?from=${FROM}&to=${TO} (estimated)`]).unique_visitors_estimated).toBe(true);
    // Alice's phone click from DE: ½ of sale A, ⅓ of B, ⅕ of C (linear).
    expect(JSON.parse(one.reports['origin country linear']).totals).toMatchObject({ visits: 1, conversions: 1.033333 });
    expect(channels.totals).toMatchObject({ visits: 16, unique_visitors: 8, clicks: 12, scans: 3, code_entries: 1, bots: 1, conversions: 9 });
  });

  it('counts tell-a-friend visits and referred sales of every shard', () => {
    const report = JSON.parse(three.reports[`/api/v1/reports/referrals?from=${FROM}&to=${TO}`]);
    // Carol (2 visits) and Erin on their shards, Alice's laptop on the main database; Carol's sale is referred, Erin's lead a signup.
    expect(report.rows).toMatchObject([{ referrer: 'SHARDREF', visits: 4, unique_visitors: 3, signups: 1, sales: 1, revenue: 50 }]);
  });

  it('credits conversions whose touches sit on several shards exactly as with one shard', () => {
    expect(three.credits).toEqual(one.credits);
    expect(three.details).toEqual(one.details);
    const linearOfC = (one.credits as Array<Record<string, unknown>>).filter((c) => c.order_id === 'sh-c' && c.model === 'linear');
    // Phone (shard 1), laptop (shard 0), tablet (shard 2), laptop: five touches of one customer on three shards.
    expect(linearOfC.map((c) => [c.touch_id, c.weight])).toEqual([
      ['tpc_SH_A1', 0.2],
      ['tpc_SH_A2', 0.2],
      ['tpc_SH_R3', 0.2],
      ['tpc_SH_T1', 0.2],
      ['tpc_SH_L1', 0.2],
    ]);
  });

  it('re-attributes conversions whose touches reached another shard after them', () => {
    const lastTouch = (order: string) =>
      (three.credits as Array<Record<string, unknown>>).filter((c) => c.order_id === order && c.model === 'last_touch').map((c) => [c.touch_id, c.weight]);
    expect(lastTouch('sh-e')).toEqual([['tpc_SH_D1', 1]]);
    expect(lastTouch('sh-g')).toEqual([['tpc_SH_G1', 1]]);
    expect(lastTouch('sh-f')).toEqual([[null, 1]]);
  });

  it('attributes again a conversion whose touch reached another shard between its read and its write', async () => {
    const bindings = { ...(env as Bindings), TOUCH_SHARDS: '3' };
    const db = mainDb(bindings);
    // Gina (shard 2) clicked an email link on day 11; her social click of day 12 is stored while her sale is being attributed.
    const race = touchRow({ id: 'tpc_SH_RACE', visitor_id: V.gina, occurred_at: clock.iso(12), ...social });
    const input = {
      type: 'sale',
      orderId: 'sh-race',
      clickId: null,
      visitorId: V.gina,
      customerRef: null,
      value: 5,
      currency: 'EUR',
      occurredAt: clock.at(13),
    };
    const recorded = await recordConversion(db, bindings, { ...input, promoCode: 'RACE' }, NOW, async (during) => {
      await insertTouches(during, [race]);
      return null;
    });
    expect(recorded.attribution).toEqual([{ channel: 'social', campaign_id: C2, link_id: L_SOCIAL, weight: 1 }]);
    expect(await env.TOUCH_DB_2.prepare("SELECT COUNT(*) AS n FROM touches WHERE id = 'tpc_SH_RACE'").first('n')).toBe(1);
  });

  it('pages the raw touch export over the shards in (occurred_at, id) order, none skipped or repeated', async () => {
    const pages = async (overrides: Partial<Bindings>) => {
      const db = mainDb({ ...(env as Bindings), ...overrides });
      // Up to day 12: the touches of the fixture (the race test above adds one on day 12).
      const range = { from: `${FROM}T00:00:00.000Z`, to: `${clock.date(12)}T00:00:00.000Z` };
      const out: string[][] = [];
      let cursor: ExportCursor = null;
      for (;;) {
        const page = await pageTouchesForExport(db, range, cursor, 4);
        if (page.length === 0) return out;
        out.push(page.map((row) => row.id));
        cursor = { at: page[page.length - 1].occurred_at, id: page[page.length - 1].id };
      }
    };
    const one = await pages(oneShard());
    expect(one.flat()).toHaveLength(17);
    expect(one.map((page) => page.length)).toEqual([4, 4, 4, 4, 1]);
    expect(await pages(threeShards())).toEqual(one);
  });

  it('erases a referrer on every shard: no shard keeps the hash, the referral keeps its visits', async () => {
    const holding = async (db: D1Database) => [
      await db.prepare('SELECT COUNT(*) AS n FROM touches WHERE referrer_hash = ?1').bind(REFERRER).first('n'),
      await db.prepare('SELECT COUNT(*) AS n FROM referral_touch_visits WHERE referrer_hash = ?1').bind(REFERRER).first('n'),
    ];
    expect([await holding(env.DB), await holding(env.TOUCH_DB_1), await holding(env.TOUCH_DB_2)]).toEqual([
      [1, 0],
      [1, 1],
      [2, 2],
    ]);
    const erased = await call('DELETE', `/api/v1/customers/${REFERRER_REF}`, { env: threeShards() });
    expect(erased.status).toBe(200);
    expect((await json(erased)).rows.touches).toBe(4);
    expect([await holding(env.DB), await holding(env.TOUCH_DB_1), await holding(env.TOUCH_DB_2)]).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const report = await json(await call('GET', `/api/v1/reports/referrals?from=${FROM}&to=${TO}`, { env: threeShards(), now: () => NOW }));
    expect(report.rows).toMatchObject([{ referrer: 'SHARDREF', visits: 4, unique_visitors: 3 }]);
  });

  it('refuses to work when TOUCH_SHARDS asks for a shard binding that is missing, changing nothing', async () => {
    const before = await touchCount(env.DB);
    const refused = await call('POST', '/api/v1/conversions', { body: { type: 'lead', order_id: 'sh-missing' }, env: { TOUCH_SHARDS: '4' } });
    expect(refused.status).toBe(500);
    expect((await json(refused)).error.code).toBe('internal_error');
    await expect(writeTouches(directToD1({ ...(env as Bindings), TOUCH_SHARDS: '4' }), [touch('tpc_SH_MISSING', V.bob, 5, social)])).rejects.toThrow(
      'TOUCH_SHARDS is 4 but the D1 binding TOUCH_DB_3 is missing',
    );
    expect(await touchCount(env.DB)).toBe(before);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM conversions WHERE order_id = 'sh-missing'").first('n')).toBe(0);
  });
});
