/**
 * The journeys of the sharded-touches test (and the sharded archive's): campaigns, links, a referral, touches of
 * visitors spread over three shards, conversions, and the reads compared between one shard and three. The one-shard
 * run works on SOLO_DB, the three-shard run on DB (shard 0), TOUCH_DB_1 and TOUCH_DB_2.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { NewTouch } from '../../src/db/schema';
import { ATTRIBUTION_MODELS } from '../../src/domain/vocab';
import type { Bindings } from '../../src/env';
import { mainDb } from '../../src/db/shards';
import { customerHashOf } from '../../src/lib/customer';
import { buildReport } from '../../src/services/reports';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { call, json } from '../helpers';
import { clockOf, touchRow } from './attribution-fixture';

export const clock = clockOf(2031);
export const FROM = clock.date(0);
export const TO = clock.date(14);
export const NOW = clock.at(20);

export const oneShard = (): Partial<Bindings> => ({ DB: env.SOLO_DB, TOUCH_SHARDS: '1' });
export const threeShards = (): Partial<Bindings> => ({ TOUCH_SHARDS: '3' });

/** Alice's three devices sit on the three shards; the others spread too (asserted below). */
export const V = {
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

export const C1 = 'cmp_SHARDS_SPRING';
export const C2 = 'cmp_SHARDS_SUMMER';
export const L_EMAIL = 'lnk_SHARDS_EMAIL';
export const L_QR = 'lnk_SHARDS_QR';
export const L_SOCIAL = 'lnk_SHARDS_SOCIAL';
export const REFERRAL = 'ref_SHARDS_ALICE';
/** Alice's customer reference as a referrer; her referral's referrer hash is its keyed hash (setReferrer, in beforeAll). */
export const REFERRER_REF = 'alice-referrer';
export let REFERRER = '';

/** Sets REFERRER to the keyed hash of REFERRER_REF (the hash needs the Worker's secret, read from env). */
export async function setReferrer(): Promise<void> {
  REFERRER = await customerHashOf(env as Bindings, REFERRER_REF);
}

/** Campaigns and links with fixed ids (so both runs report the same ids). */
export async function seedCatalog(db: D1Database): Promise<void> {
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
export const touch = (id: string, visitor: string, day: number, fields: Partial<NewTouch> & { channel: NewTouch['channel'] }): NewTouch => {
  n += 1;
  return touchRow({ id, visitor_id: visitor, occurred_at: new Date(clock.at(day) + n * 60_000).toISOString(), ...fields });
};
export const email = { channel: 'email' as const, campaign_id: C1, link_id: L_EMAIL };
export const qr = { channel: 'offline' as const, type: 'scan' as const, campaign_id: C1, link_id: L_QR, device_class: 'mobile' as const };
export const social = { channel: 'social' as const, campaign_id: C2, link_id: L_SOCIAL };
/** A friend's visit through Alice's tell-a-friend link. */
export const referred = () => ({ channel: 'referral' as const, campaign_id: C1, referrer_hash: REFERRER });

/** Touches stored before the conversions. */
export const early = (): NewTouch[] => [
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
export const late = (): NewTouch[] => [touch('tpc_SH_D1', V.dave, 9, { ...social, device_class: 'mobile' }), touch('tpc_SH_G1', V.gina, 11, email)];

export const CONVERSIONS = [
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

/** Stores the whole fixture through the Worker (conversions) and the touch writer, under `overrides`; `extra` touches are stored with the early ones. */
export async function runFixture(overrides: Partial<Bindings>, extra: () => NewTouch[] = () => []): Promise<Map<string, string>> {
  // Straight to D1 (the touch writer the queue consumer and the buffer use), not through the bound queue.
  const bindings = directToD1({ ...(env as Bindings), ...overrides });
  n = 0;
  await seedCatalog(bindings.DB);
  await writeTouches(bindings, [...early(), ...extra()]);
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
export async function reportTexts(overrides: Partial<Bindings>): Promise<Record<string, string>> {
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
  // Drill-downs by origin (the dashboard's country/referrer filter): the origin rollups (schema/0032).
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
export async function credits(db: D1Database): Promise<unknown[]> {
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
export async function details(ids: Map<string, string>, overrides: Partial<Bindings>): Promise<string[]> {
  const out: string[] = [];
  for (const [order, id] of ids) out.push((await (await call('GET', `/api/v1/conversions/${id}`, { env: overrides })).text()).replaceAll(id, order));
  return out;
}

export const touchCount = async (db: D1Database) => (await db.prepare('SELECT COUNT(*) AS n FROM touches').first<{ n: number }>())!.n;
