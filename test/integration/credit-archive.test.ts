/**
 * The main database bounded (schema/0029): credits of conversions past the hot window move to R2 and leave D1;
 * reports (rollups) and a conversion's detail read the same before and after; a refund of an archived conversion
 * moves its rollups as for a hot one; a failed write deletes nothing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { fromNdjson } from '../../src/domain/archive';
import { creditArchiveKey } from '../../src/domain/credit-archive';
import { gunzipText } from '../../src/lib/gzip';
import { findLinkConversions } from '../../src/db/campaign-page';
import { archiveDueCredits, archivedLinkConversions } from '../../src/services/credit-archive';
import { codeFigures } from '../../src/services/campaign-page';
import type { Bindings } from '../../src/env';
import { reattributeQueued } from '../../src/services/late-touches';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { call, json, makeCampaign } from '../helpers';
import { clockOf, storeJourney, touchRow, type Clock } from '../support/attribution-fixture';

const db = () => createDb(env.DB);
const HOT_DAYS = 60;

/** The journey of issue 4 (day 0, 10, 20 and a bot), a sale of 90 EUR on day 21 and a lead on day 22. */
async function seed(clock: Clock) {
  const journey = await storeJourney(`Credits ${clock.date(0)}`, clock);
  const ids: string[] = [];
  for (const [type, day, extra] of [
    ['sale', 21, { value: 90, currency: 'EUR', order_id: `C-${clock.date(0)}`, customer_ref: `c-${clock.date(0)}` }],
    ['lead', 22, {}],
  ] as const) {
    const response = await call('POST', '/api/v1/conversions', {
      body: { type, visitor_id: journey.visitor, occurred_at: clock.iso(day), ...extra },
      now: () => clock.at(day),
    });
    expect(response.status).toBe(201);
    ids.push((await json(response)).id);
  }
  return { journey, saleId: ids[0], leadId: ids[1] };
}

/** The reports of the fixture's range and both conversions' detail, as JSON. */
async function reports(clock: Clock, campaignId: string, ids: readonly string[]) {
  const range = `from=${clock.date(-1)}&to=${clock.date(30)}`;
  const paths = [
    `/api/v1/reports/channels?${range}`,
    `/api/v1/reports/campaigns?${range}&model=first_touch`,
    `/api/v1/reports/links?${range}&campaign_id=${campaignId}&model=time_decay`,
    `/api/v1/reports/devices?${range}&model=position`,
    `/api/v1/reports/timeseries?from=${clock.date(20)}&to=${clock.date(23)}&interval=hour&model=linear`,
    `/api/v1/reports/customers?${range}`,
    `/api/v1/reports/loyalty?${range}`,
    ...ids.map((id) => `/api/v1/conversions/${id}`),
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const response = await call('GET', path);
    expect(response.status, path).toBe(200);
    out[path] = await json(response);
  }
  return out;
}

const pathsOf = (ids: readonly string[]) =>
  env.DB.prepare('SELECT * FROM conversion_paths WHERE conversion_id IN (SELECT value FROM json_each(?1)) ORDER BY conversion_id, position')
    .bind(JSON.stringify(ids))
    .all()
    .then((r) => r.results);

const partsOf = (day: string) =>
  env.DB.prepare('SELECT part, key, rows, first_id, last_id, state FROM credit_parts WHERE day = ?1 ORDER BY part')
    .bind(day)
    .all()
    .then((r) => r.results);

async function objectRows(key: string) {
  const object = await env.ARCHIVE.get(key);
  expect(object, key).not.toBeNull();
  return fromNdjson<Record<string, unknown>>(await gunzipText(object!.body));
}

/** Linear revenue and conversions of the day in the daily and hourly rollups. */
const linearSums = (day: string) =>
  env.DB.prepare(
    `SELECT (SELECT round(SUM(revenue), 9) FROM credit_daily WHERE model = 'linear' AND day = ?1) AS daily_revenue,
            (SELECT round(SUM(conversions), 9) FROM credit_daily WHERE model = 'linear' AND day = ?1) AS daily_conversions,
            (SELECT round(SUM(revenue), 9) FROM credit_hourly WHERE model = 'linear' AND substr(hour, 1, 10) = ?1) AS hourly_revenue`,
  )
    .bind(day)
    .first();

// Each test uses a year of its own, later tests earlier years: a run archives everything before its window.
describe('archiving conversion credits to R2', () => {
  it('moves credits of days past the hot window to R2, leaving reports and conversion detail unchanged', async () => {
    const clock = clockOf(2017);
    const { journey, saleId, leadId } = await seed(clock);
    const ids = [saleId, leadId];
    const before = await reports(clock, journey.campaignId, ids);
    const stored = await pathsOf(ids);
    const linkRange = { from: clock.date(-1), to: clock.date(30) };
    const referralList = await findLinkConversions(db(), journey.referralLink, 'linear', linkRange, 50);
    expect(referralList.map((row) => [row.id, row.weight, row.revenue])).toEqual([
      [leadId, 1 / 3, null],
      [saleId, 1 / 3, 30],
    ]);
    // Three human candidates each (the bot earns nothing).
    expect(stored).toHaveLength(6);
    expect((before[`/api/v1/conversions/${saleId}`] as any).touches.map((touch: any) => touch.type)).toEqual(['click', 'scan', 'click']);
    expect(await linearSums(clock.date(21))).toEqual({ daily_revenue: 90, daily_conversions: 1, hourly_revenue: 90 });
    // The customer came through the email (the first touch), which the customer reports keep after the move.
    expect(JSON.stringify(before[`/api/v1/reports/customers?from=${clock.date(-1)}&to=${clock.date(30)}`])).toContain('"email"');

    const run = await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(run).toEqual({
      parts: [
        { key: creditArchiveKey(clock.date(21), 1), rows: 3 },
        { key: creditArchiveKey(clock.date(22), 1), rows: 3 },
      ],
      failure: null,
    });
    expect(creditArchiveKey(clock.date(21), 1)).toBe('credits/day=2017-03-22/part-0001.ndjson.gz');
    // D1 holds none of their credits; R2 holds every column as stored; the days are settled.
    expect(await pathsOf(ids)).toEqual([]);
    expect([...(await objectRows(creditArchiveKey(clock.date(21), 1))), ...(await objectRows(creditArchiveKey(clock.date(22), 1)))]).toEqual(stored);
    expect(await partsOf(clock.date(21))).toEqual([
      { part: 1, key: creditArchiveKey(clock.date(21), 1), rows: 3, first_id: saleId, last_id: saleId, state: 'archived' },
    ]);
    const days = await env.DB.prepare('SELECT day FROM credit_days WHERE day IN (?1, ?2)').bind(clock.date(21), clock.date(22)).all();
    expect(days.results).toEqual([]);
    // The customer's first conversion left its first-touch credit for the acquisition channel.
    const first = await env.DB.prepare('SELECT * FROM archived_first_touches WHERE conversion_id IN (?1, ?2)').bind(saleId, leadId).all();
    expect(first.results).toEqual([{ conversion_id: saleId, channel: 'email', campaign_id: journey.campaignId }]);
    // The rollups keep every credit: reports and the conversions' detail read the same.
    expect(await linearSums(clock.date(21))).toEqual({ daily_revenue: 90, daily_conversions: 1, hourly_revenue: 90 });
    expect(await reports(clock, journey.campaignId, ids)).toEqual(before);
    // The link page lists the same conversions, now from the archive.
    expect(await findLinkConversions(db(), journey.referralLink, 'linear', linkRange, 50)).toEqual([]);
    const query = { linkId: journey.referralLink, model: 'linear' as const, ...linkRange };
    expect(await archivedLinkConversions(db(), env.ARCHIVE, query, 50)).toEqual(referralList);
    expect(await archivedLinkConversions(db(), env.ARCHIVE, query, 1)).toEqual(referralList.slice(0, 1));
    // A repeated order answers the stored attribution, read from the archive.
    const again = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', visitor_id: journey.visitor, occurred_at: clock.iso(21), value: 90, currency: 'EUR', order_id: `C-${clock.date(0)}` },
      now: () => clock.at(201),
    });
    expect(again.status).toBe(200);
    expect((await json(again)).attribution).toEqual([{ channel: 'referral', campaign_id: journey.campaignId, link_id: journey.referralLink, weight: 1 }]);
    // A second run finds nothing more to move.
    expect(await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200))).toEqual({ parts: [], failure: null });
  });

  it('refunds an archived conversion: its credits come back, the rollups move by the refund, the next run archives them again', async () => {
    const clock = clockOf(2016);
    const { journey, saleId, leadId } = await seed(clock);
    await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(await pathsOf([saleId])).toEqual([]);
    const detailBefore = await json(await call('GET', `/api/v1/conversions/${saleId}`));

    const refund = await call('POST', `/api/v1/conversions/${saleId}/refund`, { body: { amount: 30, refund_id: 'r-1' }, now: () => clock.at(201) });
    expect(refund.status).toBe(201);
    expect(await linearSums(clock.date(21))).toEqual({ daily_revenue: 60, daily_conversions: 1, hourly_revenue: 60 });
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM archived_first_touches WHERE conversion_id = ?1').bind(saleId).first())?.n).toBe(0);
    const restored = await pathsOf([saleId]);
    expect(restored.map((row) => [row.position, row.net, row.w_linear])).toEqual([
      [0, 60, 1 / 3],
      [1, 60, 1 / 3],
      [2, 60, 1 / 3],
    ]);
    const channels = await json(await call('GET', `/api/v1/reports/channels?from=${clock.date(21)}&to=${clock.date(21)}&model=last_touch`));
    expect(channels.rows.map((row: any) => [row.channel, row.conversions, row.revenue])).toEqual([['referral', 1, 60]]);

    // The day is due again: its credits go to the day's next part, which readers take over the first.
    const run = await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(202));
    expect(run).toEqual({ parts: [{ key: creditArchiveKey(clock.date(21), 2), rows: 3 }], failure: null });
    expect(await pathsOf([saleId])).toEqual([]);
    expect((await objectRows(creditArchiveKey(clock.date(21), 2))).map((row) => row.net)).toEqual([60, 60, 60]);
    expect(await json(await call('GET', `/api/v1/conversions/${saleId}`))).toEqual({ ...detailBefore, refunded: 30 });
    expect(await linearSums(clock.date(21))).toEqual({ daily_revenue: 60, daily_conversions: 1, hourly_revenue: 60 });
    expect(await pathsOf([leadId])).toEqual([]);
    expect(journey.referralLink).toBeTruthy();
  });
});

describe('what the all-time readers keep of archived credits', () => {
  const promoSums = (promoId: string) =>
    env.DB.prepare("SELECT model, currency, conversions, revenue FROM archived_code_credits WHERE owner_id = ?1 AND kind = 'promo' ORDER BY model")
      .bind(promoId)
      .all()
      .then((r) => r.results);

  it("keeps a campaign's promotion credits through the move, a refund's restore and the move again", async () => {
    const clock = clockOf(2015);
    const campaign = await makeCampaign({ name: `Promo ${clock.date(0)}` });
    const promo = await json(
      await call('POST', '/api/v1/promo-codes', {
        body: { campaign_id: campaign.id, code: `PROMO${clock.date(0).slice(0, 4)}`, discount: '10 %', max_redemptions: 5 },
      }),
    );
    const sale = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: `P-${clock.date(0)}`, promo_code: promo.code, value: 50, currency: 'EUR', occurred_at: clock.iso(21) },
      now: () => clock.at(21),
    });
    expect(sale.status).toBe(201);
    const saleId = (await json(sale)).id;
    const before = await codeFigures(db(), campaign.id, 'linear');
    expect(before.promos.get(promo.id)?.conversions).toBe(1);
    expect(await promoSums(promo.id)).toEqual([]);

    await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(await pathsOf([saleId])).toEqual([]);
    const models = ['first_touch', 'last_touch', 'linear', 'position', 'time_decay'];
    expect(await promoSums(promo.id)).toEqual(models.map((model) => ({ model, currency: 'EUR', conversions: 1, revenue: 50 })));
    expect(await codeFigures(db(), campaign.id, 'linear')).toEqual(before);

    // A refund brings the credits back to D1 and takes them off the kept sums; the next move adds them again, net.
    expect((await call('POST', `/api/v1/conversions/${saleId}/refund`, { body: { amount: 10 }, now: () => clock.at(201) })).status).toBe(201);
    expect(await promoSums(promo.id)).toEqual([]);
    const refunded = await codeFigures(db(), campaign.id, 'linear');
    expect(refunded.promos.get(promo.id)?.conversions).toBe(1);
    await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(202));
    expect(await promoSums(promo.id)).toEqual(models.map((model) => ({ model, currency: 'EUR', conversions: 1, revenue: 40 })));
    expect(await codeFigures(db(), campaign.id, 'linear')).toEqual(refunded);
  });
});

describe('a failed credit archive write deletes nothing', () => {
  const bucketWith = (put: R2Bucket['put']): R2Bucket =>
    new Proxy(env.ARCHIVE, { get: (target, name) => (name === 'put' ? put : Reflect.get(target, name).bind(target)) }) as R2Bucket;

  it('keeps every credit in D1 when R2 refuses the write, and moves them on the next run', async () => {
    const clock = clockOf(2013);
    const { journey, saleId, leadId } = await seed(clock);
    const stored = await pathsOf([saleId, leadId]);
    const before = await reports(clock, journey.campaignId, [saleId, leadId]);
    const bucket = bucketWith((() => Promise.reject(new Error('R2 is down'))) as unknown as R2Bucket['put']);
    const run = await archiveDueCredits(db(), bucket, HOT_DAYS, clock.at(200));
    expect(run.parts).toEqual([]);
    expect(run.failure).toContain('R2 is down');
    expect(run.failure).toContain('nothing deleted');
    expect(await pathsOf([saleId, leadId])).toEqual(stored);
    expect(await partsOf(clock.date(21))).toEqual([]);
    expect(await env.ARCHIVE.head(creditArchiveKey(clock.date(21), 1))).toBeNull();
    expect(await reports(clock, journey.campaignId, [saleId, leadId])).toEqual(before);
    const next = await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(next.parts.map((part) => part.rows)).toEqual([3, 3]);
    expect(await reports(clock, journey.campaignId, [saleId, leadId])).toEqual(before);
  });
});

describe('a late touch for an archived conversion', () => {
  it('re-attributes it from its restored credits: the rollups move once, not twice', async () => {
    const clock = clockOf(2011);
    const { journey, saleId } = await seed(clock);
    await archiveDueCredits(db(), env.ARCHIVE, HOT_DAYS, clock.at(200));
    expect(await pathsOf([saleId])).toEqual([]);
    const late = touchRow({
      campaign_id: journey.campaignId,
      link_id: journey.emailLink,
      channel: 'email',
      visitor_id: journey.visitor,
      occurred_at: clock.iso(15),
    });
    await writeTouches(directToD1(env as Bindings), [late]);
    await reattributeQueued(db(), env as Bindings, clock.at(201));
    // Four candidates now, a quarter each; the day still counts one sale of 90 (the archived credits were taken off).
    expect((await pathsOf([saleId])).map((row) => [row.touch_id, row.w_linear])).toEqual([
      [journey.email.id, 0.25],
      [journey.scan.id, 0.25],
      [late.id, 0.25],
      [journey.referral.id, 0.25],
    ]);
    expect(await linearSums(clock.date(21))).toEqual({ daily_revenue: 90, daily_conversions: 1, hourly_revenue: 90 });
    const email = await env.DB.prepare("SELECT round(SUM(conversions), 9) AS n FROM credit_daily WHERE model = 'linear' AND day = ?1 AND link_id = ?2")
      .bind(clock.date(21), journey.emailLink)
      .first();
    expect(email).toEqual({ n: 0.5 });
  });
});
