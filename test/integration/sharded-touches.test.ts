/**
 * Sharded touches (TOUCH_SHARDS): the same journeys stored with one touch database and
 * with three give byte-identical reports and identical credits — conversions whose
 * candidate touches sit on several shards, stitched customers, scans, code entries, a
 * bot, touches arriving after their conversions. The one-shard run works on SOLO_DB, the
 * three-shard run on DB (shard 0), TOUCH_DB_1 and TOUCH_DB_2.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewTouch } from '../../src/db/schema';
import { shardOfVisitor } from '../../src/domain/shards';
import { ATTRIBUTION_MODELS } from '../../src/domain/vocab';
import type { Bindings } from '../../src/env';
import { pageTouchesForExport, type ExportCursor } from '../../src/db/exports';
import { mainDb } from '../../src/db/shards';
import { customerHashOf } from '../../src/lib/customer';
import { insertTouches } from '../../src/db/touches';
import { recordConversion } from '../../src/services/record-conversion';
import { buildReport } from '../../src/services/reports';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { call, json } from '../helpers';
import { clockOf, touchRow } from '../support/attribution-fixture';
import { migrateShardDatabases } from '../support/shards';

const clock = clockOf(2031);
const FROM = clock.date(0);
const TO = clock.date(14);
const NOW = clock.at(20);

const oneShard = (): Partial<Bindings> => ({ DB: env.SOLO_DB, TOUCH_SHARDS: '1' });
const threeShards = (): Partial<Bindings> => ({ TOUCH_SHARDS: '3' });

/** Alice's three devices sit on the three shards; the others spread too (asserted below). */
const V = {
  alicePhone: 'v_alice_phone',
  aliceLaptop: 'v_alice_laptop',
  aliceTablet: 'v_alice_tablet',
  bob: 'v_bob',
  carol: 'v_carol',
  dave: 'v_dave',
  erin: 'v_erin',
  gina: 'v_gina',
  scanner: 'v_scanner',
};

const C1 = 'cmp_SHARDS_SPRING';
const C2 = 'cmp_SHARDS_SUMMER';
const L_EMAIL = 'lnk_SHARDS_EMAIL';
const L_QR = 'lnk_SHARDS_QR';
const L_SOCIAL = 'lnk_SHARDS_SOCIAL';
const REFERRAL = 'ref_SHARDS_ALICE';
/** Alice's customer reference as a referrer; her referral's referrer hash is its keyed hash (set in beforeAll). */
const REFERRER_REF = 'alice-referrer';
let REFERRER = '';

/** Campaigns and links with fixed ids (so both runs report the same ids). */
async function seedCatalog(db: D1Database): Promise<void> {
  const created = clock.iso(0);
  await db.batch([
    db.prepare('INSERT INTO campaigns (id, name, utm_campaign, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)').bind(C1, 'Spring', 'spring', created),
    db.prepare('INSERT INTO campaigns (id, name, utm_campaign, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)').bind(C2, 'Summer', 'summer', created),
    ...[
      [L_EMAIL, C1, 'sh-email', 'email', 'email'],
      [L_QR, C1, 'sh-qr', 'qr', 'offline'],
      [L_SOCIAL, C2, 'sh-social', 'link', 'social'],
    ].map(([id, campaign, slug, kind, channel]) =>
      db
        .prepare('INSERT INTO links (id, campaign_id, slug, kind, channel, destination, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)')
        .bind(id, campaign, slug, kind, channel, 'https://shop.example/', created),
    ),
    db
      .prepare('INSERT INTO referrals (id, code, campaign_id, referrer_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
      .bind(REFERRAL, 'SHARDREF', C1, REFERRER, created),
  ]);
}

let n = 0;
const touch = (id: string, visitor: string, day: number, fields: Partial<NewTouch> & { channel: NewTouch['channel'] }): NewTouch => {
  n += 1;
  return touchRow({ id, visitor_id: visitor, occurred_at: new Date(clock.at(day) + n * 60_000).toISOString(), ...fields });
};
const email = { channel: 'email' as const, campaign_id: C1, link_id: L_EMAIL };
const qr = { channel: 'offline' as const, type: 'scan' as const, campaign_id: C1, link_id: L_QR, device_class: 'mobile' as const };
const social = { channel: 'social' as const, campaign_id: C2, link_id: L_SOCIAL };
/** A friend's visit through Alice's tell-a-friend link. */
const referred = () => ({ channel: 'referral' as const, campaign_id: C1, referrer_hash: REFERRER });

/** Touches stored before the conversions. */
const early = (): NewTouch[] => [
  touch('tpc_SH_A1', V.alicePhone, 1, { ...email, device_class: 'mobile', country: 'DE' }),
  touch('tpc_SH_A2', V.alicePhone, 3, qr),
  touch('tpc_SH_T1', V.aliceTablet, 6, { ...social, device_class: 'tablet', country: 'AT' }),
  touch('tpc_SH_L1', V.aliceLaptop, 7, { ...email, referrer_host: 'mail.example' }),
  touch('tpc_SH_B1', V.bob, 2, qr),
  touch('tpc_SH_B2', V.bob, 4, { channel: 'offline', type: 'code_entry', campaign_id: C2, device_class: 'mobile' }),
  touch('tpc_SH_C1', V.carol, 2, social),
  touch('tpc_SH_C2', V.carol, 2, social),
  touch('tpc_SH_E1', V.erin, 2, email),
  touch('tpc_SH_E2', V.erin, 2, { ...qr, device_class: 'desktop' }),
  touch('tpc_SH_R1', V.carol, 3, referred()),
  touch('tpc_SH_R2', V.erin, 3, referred()),
  touch('tpc_SH_R3', V.aliceLaptop, 3, referred()),
  touch('tpc_SH_R4', V.carol, 4, referred()),
  touch('tpc_SH_X1', V.scanner, 2, { ...email, is_bot: 1, bot_reason: 'user_agent', device_class: 'bot' }),
];

/** Touches stored after the conversions they belong to (the late-touch path, shards 1 and 2). */
const late = (): NewTouch[] => [touch('tpc_SH_D1', V.dave, 9, { ...social, device_class: 'mobile' }), touch('tpc_SH_G1', V.gina, 11, email)];

const CONVERSIONS = [
  { order_id: 'sh-a', type: 'sale', click_id: 'tpc_SH_A1', customer_ref: 'alice', value: 100, currency: 'EUR', occurred_at: clock.iso(5) },
  { order_id: 'sh-b', type: 'sale', visitor_id: V.aliceTablet, customer_ref: 'alice', value: 60, currency: 'EUR', occurred_at: clock.iso(8) },
  { order_id: 'sh-c', type: 'sale', visitor_id: V.aliceLaptop, customer_ref: 'alice', value: 45.5, currency: 'EUR', occurred_at: clock.iso(9) },
  { order_id: 'sh-d', type: 'lead', click_id: 'tpc_SH_B1', occurred_at: clock.iso(5) },
  { order_id: 'sh-e', type: 'sale', visitor_id: V.dave, value: 20, currency: 'EUR', occurred_at: clock.iso(10) },
  { order_id: 'sh-f', type: 'sale', visitor_id: 'v_nobody', value: 10, currency: 'EUR', occurred_at: clock.iso(10) },
  { order_id: 'sh-h', type: 'sale', visitor_id: V.carol, customer_ref: 'carol', value: 50, currency: 'EUR', occurred_at: clock.iso(6) },
  { order_id: 'sh-i', type: 'lead', visitor_id: V.erin, customer_ref: 'erin', occurred_at: clock.iso(6) },
  { order_id: 'sh-g', type: 'sale', click_id: 'tpc_SH_G1', value: 33.33, currency: 'EUR', occurred_at: clock.iso(12) },
];

/** Stores the whole fixture through the Worker (conversions) and the touch writer, under `overrides`. */
async function runFixture(overrides: Partial<Bindings>): Promise<Map<string, string>> {
  // Straight to D1 (the touch writer the queue consumer and the buffer use), not through the bound queue.
  const bindings = directToD1({ ...(env as Bindings), ...overrides });
  n = 0;
  await seedCatalog(bindings.DB);
  await writeTouches(bindings, early());
  const ids = new Map<string, string>();
  for (const body of CONVERSIONS) {
    const response = await call('POST', '/api/v1/conversions', { body, env: overrides, now: () => NOW });
    expect(response.status).toBe(201);
    ids.set(body.order_id, (await json(response)).id);
  }
  await writeTouches(bindings, late());
  return ids;
}

/** Every report kind under every model (and the estimated-visitor and hourly variants), as the API answers them. */
async function reportTexts(overrides: Partial<Bindings>): Promise<Record<string, string>> {
  const paths: string[] = [];
  for (const model of ATTRIBUTION_MODELS) {
    for (const kind of ['channels', 'campaigns', 'links', 'devices', 'timeseries']) paths.push(`/api/v1/reports/${kind}?from=${FROM}&to=${TO}&model=${model}`);
  }
  paths.push(`/api/v1/reports/timeseries?from=${FROM}&to=${TO}&interval=hour`);
  paths.push(`/api/v1/reports/channels?from=${FROM}&to=${TO}&model=markov`, `/api/v1/reports/paths?from=${FROM}&to=${TO}`);
  paths.push(`/api/v1/reports/channels?from=${FROM}&to=${TO}&campaign_id=${C1}`);
  paths.push(`/api/v1/reports/links?from=${FROM}&to=${TO}&format=csv`);
  paths.push(`/api/v1/reports/referrals?from=${FROM}&to=${TO}`);
  for (const kind of ['channels', 'links']) paths.push(`/api/v1/reports/${kind}?from=${FROM}&to=${TO}&model=linear&lookback_days=5`);
  for (const kind of ['loyalty', 'customers', 'email', 'loyalty-program', 'codes']) paths.push(`/api/v1/reports/${kind}?from=${FROM}&to=${TO}`);
  paths.push(`/api/v1/reports/email?from=${FROM}&to=${TO}&model=linear&campaign_id=${C1}`, `/api/v1/reports/loyalty?from=${clock.date(5)}&to=${TO}`);
  paths.push(`/api/v1/exports/touches?from=${FROM}&to=${TO}`);
  paths.push(`/api/v1/links?campaign_id=${C1}`, `/api/v1/links/${L_QR}`);
  paths.push(`/api/v1/reports/referrals?from=${clock.date(4)}&to=${TO}&campaign_id=${C1}`);
  const texts: Record<string, string> = {};
  for (const path of paths) {
    const response = await call('GET', path, { env: overrides, now: () => NOW });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    texts[path] = await response.text();
  }
  // Drill-downs by origin (the dashboard's country/referrer filter): raw touches and the credits of theirs.
  const db = mainDb({ ...(env as Bindings), ...overrides });
  const query = { from: FROM, to: TO, lookbackDays: 30, storedLookbackDays: 30, interval: 'day' as const, exactVisitorsLimit: 20_000 };
  for (const origin of [
    { facet: 'country' as const, value: 'DE' },
    { facet: 'referrer' as const, value: 'mail.example' },
  ]) {
    for (const model of ['linear', 'last_touch'] as const) {
      texts[`origin ${origin.facet} ${model}`] = JSON.stringify(await buildReport(db, 'channels', { ...query, model, origin }));
    }
  }
  for (const kind of ['channels', 'campaigns', 'devices', 'links']) {
    const path = `/api/v1/reports/${kind}?from=${FROM}&to=${TO}`;
    texts[`${path} (estimated)`] = await (await call('GET', path, { env: { ...overrides, EXACT_VISITORS_LIMIT: '0' }, now: () => NOW })).text();
  }
  return texts;
}

/** Every stored credit, its conversion named by order id (conversion ids are random). */
async function credits(db: D1Database): Promise<unknown[]> {
  const { results } = await db
    .prepare(
      `SELECT c.order_id, cc.model, cc.position, cc.touch_id, cc.touch_at, cc.channel, cc.campaign_id, cc.link_id, cc.device_class,
              cc.weight, cc.revenue, cc.currency, cc.day, cc.hour
       FROM conversion_credits cc JOIN conversions c ON c.id = cc.conversion_id ORDER BY c.order_id, cc.model, cc.position`,
    )
    .all();
  return results;
}

/** Each conversion's detail (its path with touch types and weights), its id replaced by its order id. */
async function details(ids: Map<string, string>, overrides: Partial<Bindings>): Promise<string[]> {
  const out: string[] = [];
  for (const [order, id] of ids) out.push((await (await call('GET', `/api/v1/conversions/${id}`, { env: overrides })).text()).replaceAll(id, order));
  return out;
}

const touchCount = async (db: D1Database) => (await db.prepare('SELECT COUNT(*) AS n FROM touches').first<{ n: number }>())!.n;

describe('sharded touches', () => {
  let one: { reports: Record<string, string>; credits: unknown[]; details: string[] };
  let three: { reports: Record<string, string>; credits: unknown[]; details: string[] };

  beforeAll(async () => {
    await migrateShardDatabases();
    REFERRER = await customerHashOf(env as Bindings, REFERRER_REF);
    const oneIds = await runFixture(oneShard());
    one = { reports: await reportTexts(oneShard()), credits: await credits(env.SOLO_DB), details: await details(oneIds, oneShard()) };
    const threeIds = await runFixture(threeShards());
    three = { reports: await reportTexts(threeShards()), credits: await credits(env.DB), details: await details(threeIds, threeShards()) };
  });

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
