/**
 * Sharded conversions (TOUCH_SHARDS = 3 with SHARD_CONVERSIONS): conversions, their visitors, credits, credit
 * rollups and their customers' identity links spread over the three databases by a hash of the customer (else of
 * the order id). The same journeys give the same reports, credits and conversion details as one database; a
 * retried order is stored once; a refund finds its conversion on any shard. docs/DESIGN.md "Sharded conversions".
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { conversionDbs, mainDb } from '../../src/db/shards';
import { sumCodeCredits } from '../../src/db/campaign-page';
import { archiveDueCredits } from '../../src/services/credit-archive';
import { call, json } from '../helpers';
import { clock, credits, details, FROM, NOW, oneShard, reportTexts, runFixture, setReferrer, TO } from '../support/sharded-fixture';
import { migrateShardDatabases } from '../support/shards';

const sharded = (): Partial<Bindings> => ({ TOUCH_SHARDS: '3', SHARD_CONVERSIONS: 'true' });
const SHARDS = () => [env.DB, env.TOUCH_DB_1, env.TOUCH_DB_2];

/** Every report kind of the sharded-touches test, customer value, RFM, cohorts, rules and the conversion export (ids as order ids). */
async function allReports(overrides: Partial<Bindings>, ids: Map<string, string>): Promise<Record<string, string>> {
  const texts = await reportTexts(overrides);
  const extra = [
    `/api/v1/reports/customer-value?from=${FROM}&to=${TO}`,
    `/api/v1/reports/rfm?from=${FROM}&to=${TO}`,
    `/api/v1/reports/rfm?from=${FROM}&to=${TO}&format=csv&table=segments`,
    `/api/v1/reports/cohorts?from=${FROM}&to=${TO}`,
    `/api/v1/reports/rules?from=${FROM}&to=${TO}`,
    `/api/v1/exports/conversions?from=${FROM}&to=${TO}`,
  ];
  for (const path of extra) {
    const response = await call('GET', path, { env: overrides, now: () => NOW });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    let text = await response.text();
    for (const [order, id] of ids) text = text.replaceAll(id, order);
    texts[path] = path.includes('exports') ? text.split('\n').sort().join('\n') : text;
  }
  return texts;
}

/** Every credit of every shard, ordered as one database orders them. */
async function shardedCredits(): Promise<unknown[]> {
  const all = (await Promise.all(SHARDS().map(credits))).flat() as Array<Record<string, string | number>>;
  const key = (c: Record<string, string | number>) => [c.order_id, c.model, String(c.position).padStart(4, '0')].join('|');
  return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const ordersOn = async (db: D1Database) =>
  (await db.prepare('SELECT order_id FROM conversions ORDER BY order_id').all<{ order_id: string }>()).results.map((r) => r.order_id);

describe('sharded conversions', () => {
  let one: { reports: Record<string, string>; credits: unknown[]; details: string[] };
  let three: { reports: Record<string, string>; credits: unknown[]; details: string[] };
  let threeIds: Map<string, string>;

  beforeAll(async () => {
    await migrateShardDatabases();
    await setReferrer();
    const oneIds = await runFixture(oneShard());
    one = { reports: await allReports(oneShard(), oneIds), credits: await credits(env.SOLO_DB), details: await details(oneIds, oneShard()) };
    threeIds = await runFixture(sharded());
    three = { reports: await allReports(sharded(), threeIds), credits: await shardedCredits(), details: await details(threeIds, sharded()) };
  }, 60_000);

  it('stores each conversion, its visitors, credits and its customer’s identity links on one shard, spread over all three', async () => {
    const perShard = await Promise.all(SHARDS().map(ordersOn));
    expect(perShard.flat().sort()).toEqual(['sh-a', 'sh-b', 'sh-c', 'sh-d', 'sh-e', 'sh-f', 'sh-g', 'sh-h', 'sh-i']);
    expect(perShard.filter((orders) => orders.length > 0).length).toBeGreaterThanOrEqual(2);
    // Alice's three sales sit together, with her identity links, on her shard.
    const aliceShard = perShard.findIndex((orders) => orders.includes('sh-a'));
    const alice = await customerHashOf(env as Bindings, 'alice');
    expect(perShard[aliceShard]).toEqual(expect.arrayContaining(['sh-a', 'sh-b', 'sh-c']));
    for (const [i, db] of SHARDS().entries()) {
      const orphans = await db
        .prepare('SELECT COUNT(*) AS n FROM conversion_paths WHERE conversion_id NOT IN (SELECT id FROM conversions)')
        .first<{ n: number }>();
      expect({ shard: i, orphans: orphans?.n }).toEqual({ shard: i, orphans: 0 });
      const links = await db.prepare('SELECT COUNT(*) AS n FROM identity_links WHERE customer_hash = ?1').bind(alice).first<{ n: number }>();
      // Her phone, tablet and laptop: stitched on her shard only.
      expect({ shard: i, links: links!.n }).toEqual({ shard: i, links: i === aliceShard ? 3 : 0 });
    }
  });

  it('gives byte-identical reports of every kind and model, customer value and the conversion export with one database and with three', () => {
    expect(Object.keys(three.reports)).toHaveLength(Object.keys(one.reports).length);
    for (const [path, text] of Object.entries(one.reports)) expect({ path, text: three.reports[path] }).toEqual({ path, text });
    const channels = JSON.parse(one.reports[`/api/v1/reports/channels?from=${FROM}&to=${TO}&model=linear`]);
    expect(channels.totals).toMatchObject({ conversions: 9 });
    expect(JSON.parse(one.reports[`/api/v1/reports/customers?from=${FROM}&to=${TO}`]).totals).toMatchObject({ customers: 2, revenue: 255.5 });
    expect(one.reports[`/api/v1/exports/conversions?from=${FROM}&to=${TO}`].split('sh-').length).toBeGreaterThan(9);
  });

  it('stores the same credits and answers the same conversion details, late touches re-attributed on their shards', () => {
    expect(three.credits).toHaveLength(one.credits.length);
    expect(three.credits).toEqual(one.credits);
    expect(three.details).toEqual(one.details);
    const lastTouch = (order: string) =>
      (three.credits as Array<Record<string, unknown>>).filter((c) => c.order_id === order && c.model === 'last_touch').map((c) => [c.touch_id, c.weight]);
    expect(lastTouch('sh-e')).toEqual([['tpc_SH_D1', 1]]);
    expect(lastTouch('sh-g')).toEqual([['tpc_SH_G1', 1]]);
  });

  it('credits a campaign’s code batch from every shard’s credits, as with one database', async () => {
    // A credited touch without a link (a code entry) whose conversion sits on a shard other than the main database.
    const onShards = await Promise.all(
      [env.TOUCH_DB_1, env.TOUCH_DB_2].map((db) =>
        db
          .prepare('SELECT DISTINCT touch_id, campaign_id FROM conversion_credits WHERE link_id IS NULL AND touch_id IS NOT NULL AND campaign_id IS NOT NULL')
          .all<{ touch_id: string; campaign_id: string }>(),
      ),
    );
    const [credited] = onShards.flatMap((result) => result.results);
    expect(credited).toBeDefined();
    const created = new Date(NOW).toISOString();
    const sums = async (overrides: Partial<Bindings>, main: D1Database) => {
      await main.batch([
        main
          .prepare('INSERT INTO code_batches (id, campaign_id, count, status, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?4)')
          .bind('bat_SH_PACK', credited.campaign_id, 'ready', created),
        main
          .prepare(
            "INSERT INTO code_entries (id, occurred_at, source, input, result, batch_id, campaign_id, touch_id) VALUES ('ent_SH_1', ?1, 'api', 'PACK', 'accepted', 'bat_SH_PACK', ?2, ?3)",
          )
          .bind(created, credited.campaign_id, credited.touch_id),
      ]);
      const rows = await sumCodeCredits(mainDb({ ...(env as Bindings), ...overrides }), credited.campaign_id, 'linear');
      return rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    };
    const single = await sums(oneShard(), env.SOLO_DB);
    expect(single.reduce((sum, row) => sum + row.conversions, 0)).toBeGreaterThan(0);
    expect(await sums(sharded(), env.DB)).toEqual(single);
  });

  it('stores a retried order once, with or without its customer', async () => {
    const first = threeIds.get('sh-a')!;
    const body = { order_id: 'sh-a', type: 'sale', click_id: 'tpc_SH_A1', customer_ref: 'alice', value: 100, currency: 'EUR', occurred_at: clock.iso(5) };
    for (const retry of [body, { ...body, customer_ref: undefined }]) {
      const again = await call('POST', '/api/v1/conversions', { body: retry, env: sharded(), now: () => NOW });
      expect(again.status).toBe(200);
      expect((await json(again)).id).toBe(first);
    }
    const stored = await Promise.all(SHARDS().map((db) => db.prepare("SELECT COUNT(*) AS n FROM conversions WHERE order_id = 'sh-a'").first<{ n: number }>()));
    expect(stored.map((row) => row!.n).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('refunds a conversion stored on a shard other than the main database, its credits and reports following', async () => {
    const perShard = await Promise.all(SHARDS().map(ordersOn));
    const index = perShard.findIndex((orders, i) => i > 0 && orders.some((order) => ['sh-e', 'sh-f', 'sh-h', 'sh-g'].includes(order)));
    expect(index).toBeGreaterThan(0);
    const order = perShard[index].find((o) => ['sh-e', 'sh-f', 'sh-h', 'sh-g'].includes(o))!;
    const id = threeIds.get(order)!;
    const before = await (await call('GET', `/api/v1/conversions/${id}`, { env: sharded() })).json<{ value: number }>();
    const refunded = await call('POST', `/api/v1/conversions/${id}/refund`, { body: { amount: 5, refund_id: 'r-shard' }, env: sharded(), now: () => NOW });
    expect(refunded.status).toBe(201);
    expect((await json(refunded)).refunded).toBe(5);
    const again = await call('POST', `/api/v1/conversions/${id}/refund`, { body: { amount: 5, refund_id: 'r-shard' }, env: sharded(), now: () => NOW });
    expect(again.status).toBe(200);
    const shard = SHARDS()[index];
    expect(await shard.prepare('SELECT refunded FROM conversions WHERE id = ?1').bind(id).first('refunded')).toBe(5);
    const nets = await shard.prepare('SELECT DISTINCT net FROM conversion_paths WHERE conversion_id = ?1').bind(id).all<{ net: number }>();
    expect(nets.results).toEqual([{ net: before.value - 5 }]);
    const detail = await (await call('GET', `/api/v1/conversions/${id}`, { env: sharded() })).json<{ refunded: number }>();
    expect(detail.refunded).toBe(5);
  });

  it('archives each shard’s credits under its own keys, conversion details unchanged', async () => {
    const dbs = conversionDbs(mainDb({ ...(env as Bindings), ...sharded() }));
    const before = await details(threeIds, sharded());
    const runs = [];
    for (const [shard, db] of dbs.entries()) runs.push(await archiveDueCredits(db, env.ARCHIVE, 60, clock.at(200), 5, shard));
    const keys = runs.flatMap((run) => run.parts.map((part) => part.key));
    const perShard = await Promise.all(SHARDS().map(ordersOn));
    const holding = perShard.map((orders, i) => (orders.length > 0 ? i : -1)).filter((i) => i >= 0);
    expect(runs.map((run) => run.failure)).toEqual([null, null, null]);
    for (const shard of holding) {
      const own = runs[shard].parts.map((part) => part.key);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((key) => (shard === 0 ? key.startsWith('credits/day=') : key.startsWith(`credits/shard=${shard}/day=`)))).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
    for (const db of SHARDS()) expect(await db.prepare('SELECT COUNT(*) AS n FROM conversion_paths').first('n')).toBe(0);
    expect(await details(threeIds, sharded())).toEqual(before);
  });

  it('erases a customer on their shard: conversions pseudonymised, identity links gone', async () => {
    const alice = await customerHashOf(env as Bindings, 'alice');
    const count = (sql: string) =>
      Promise.all(
        SHARDS().map((db) =>
          db
            .prepare(sql)
            .bind(alice)
            .first<{ n: number }>()
            .then((row) => row!.n),
        ),
      );
    expect((await count('SELECT COUNT(*) AS n FROM conversions WHERE customer_hash = ?1')).reduce((a, b) => a + b)).toBe(3);
    const erased = await call('DELETE', '/api/v1/customers/alice', { env: sharded() });
    expect(erased.status).toBe(200);
    expect((await json(erased)).rows).toMatchObject({ conversions: 3, identity_links: 3 });
    expect(await count('SELECT COUNT(*) AS n FROM conversions WHERE customer_hash = ?1')).toEqual([0, 0, 0]);
    expect(await count('SELECT COUNT(*) AS n FROM identity_links WHERE customer_hash = ?1')).toEqual([0, 0, 0]);
  });
});
