/**
 * Attribution does not depend on write timing: a conversion posted before its
 * touches are stored (they are written after the redirect, in batches or through
 * the queue) ends with exactly the credits of the same conversion posted after
 * them — its whole journey included, the rollups following.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { NewTouch } from '../../src/db/schema';
import { insertConversion } from '../../src/db/conversions';
import { replaceCredits } from '../../src/db/pending-attributions';
import { insertTouches } from '../../src/db/touches';
import type { Bindings } from '../../src/env';
import worker from '../../src/index';
import { reattributePending } from '../../src/services/late-touches';
import { directToD1, writeTouches } from '../../src/services/touch-recorder';
import { call, json, makeCampaign, makeLink } from '../helpers';
import { clockOf, db, touchRow, type Clock } from '../support/attribution-fixture';

// Straight to D1 (the queue bound in wrangler.toml would take the rows instead): these tests watch the writer's re-attribution.
const bindings = directToD1(env as Bindings);

/** email click (day 0) → flyer scan (day 10) → referral-link click (day 20) of one visitor, not yet stored. */
async function journey(clock: Clock) {
  const campaign = await makeCampaign({ name: `Late ${Math.random()}` });
  const emailLink = (await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email' })).id;
  const qrLink = (await makeLink({ campaign_id: campaign.id, kind: 'qr', utm_medium: 'flyer' })).id;
  const socialLink = (await makeLink({ campaign_id: campaign.id, utm_medium: 'social' })).id;
  const visitor = `v_LATE${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  const base = { campaign_id: campaign.id, visitor_id: visitor };
  return {
    campaignId: campaign.id,
    visitor,
    email: touchRow({ ...base, link_id: emailLink, channel: 'email', occurred_at: clock.iso(0) }),
    scan: touchRow({ ...base, link_id: qrLink, channel: 'offline', type: 'scan', device_class: 'mobile', occurred_at: clock.iso(10) }),
    click: touchRow({ ...base, link_id: socialLink, channel: 'social', device_class: 'mobile', occurred_at: clock.iso(20) }),
  };
}

const postSale = async (clock: Clock, fields: Record<string, unknown>) => {
  const response = await call('POST', '/api/v1/conversions', {
    body: { type: 'sale', value: 90, currency: 'EUR', occurred_at: clock.iso(20.01), ...fields },
    now: () => clock.at(20.01),
  });
  expect(response.status).toBe(201);
  return (await json(response)).id as string;
};

/** A conversion's stored credits under every model, without its id. */
async function creditsOf(conversionId: string) {
  const { results } = await env.DB.prepare(
    `SELECT model, position, touch_id, channel, campaign_id, link_id, device_class, weight, revenue, currency, day
     FROM conversion_credits WHERE conversion_id = ? ORDER BY model, position`,
  )
    .bind(conversionId)
    .all();
  return results;
}

const visitorsOf = async (conversionId: string) =>
  (await env.DB.prepare('SELECT visitor_id FROM conversion_visitors WHERE conversion_id = ? ORDER BY visitor_id').bind(conversionId).all()).results;

/** Whether a conversion waits for re-attribution. */
const isPending = async (conversionId: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM pending_attributions WHERE conversion_id = ?').bind(conversionId).first<{ n: number }>())!.n === 1;

/** Credit rollup cells of a day, by model and channel. */
async function rollupOf(day: string) {
  const { results } = await env.DB.prepare(
    `SELECT model, channel, round(conversions, 9) AS conversions, round(revenue, 6) AS revenue FROM credit_daily WHERE day = ? ORDER BY model, channel`,
  )
    .bind(day)
    .all();
  return results;
}

async function deliverThroughQueue(rows: NewTouch[]): Promise<void> {
  const batch = createMessageBatch(
    'touches',
    rows.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings);
  await getQueueResult(batch, ctx);
}

describe('a conversion that arrives before its touches are stored', () => {
  it('ends with the credits it would have had had it come after its click, once the click is written', async () => {
    const clock = clockOf(2041);
    const late = await journey(clock);
    await insertTouches(db(), [late.email, late.scan]);

    // The click is still in the redirect's write buffer: the conversion finds no visitor and goes to direct.
    const early = await postSale(clock, { order_id: 'late-1', click_id: late.click.id });
    expect(await creditsOf(early)).toEqual(
      ['first_touch', 'last_touch', 'linear', 'position', 'time_decay'].map((model) => ({
        model,
        position: 0,
        touch_id: null,
        channel: 'direct',
        campaign_id: null,
        link_id: null,
        device_class: null,
        weight: 1,
        revenue: 90,
        currency: 'EUR',
        day: clock.date(20.01),
      })),
    );

    await writeTouches(bindings, [late.click]);
    const control = await postSale(clock, { order_id: 'late-1-control', click_id: late.click.id });

    const settled = await creditsOf(early);
    expect(settled).toEqual(await creditsOf(control));
    expect(settled.filter((row) => row.model === 'linear').map((row) => [row.touch_id, row.weight])).toEqual([
      [late.email.id, 1 / 3],
      [late.scan.id, 1 / 3],
      [late.click.id, 1 / 3],
    ]);
    expect(await visitorsOf(early)).toEqual([{ visitor_id: late.visitor }]);
    expect(await isPending(early)).toBe(false);
    // The rollups hold both sales on the journey and nothing left on direct.
    const rollup = await rollupOf(clock.date(20.01));
    expect(rollup.filter((row) => row.model === 'last_touch')).toEqual([{ model: 'last_touch', channel: 'social', conversions: 2, revenue: 180 }]);
    expect(rollup.filter((row) => row.model === 'linear')).toEqual([
      { model: 'linear', channel: 'email', conversions: 0.666666667, revenue: 60 },
      { model: 'linear', channel: 'offline', conversions: 0.666666667, revenue: 60 },
      { model: 'linear', channel: 'social', conversions: 0.666666667, revenue: 60 },
    ]);
    expect(rollup.some((row) => row.channel === 'direct')).toBe(false);

    const detail = await json(await call('GET', `/api/v1/conversions/${early}`));
    expect(detail.attribution).toEqual([{ channel: 'social', campaign_id: late.campaignId, link_id: late.click.link_id, weight: 1 }]);
  });

  it('is settled the same when the click comes through the touch queue', async () => {
    const clock = clockOf(2042);
    const late = await journey(clock);
    await insertTouches(db(), [late.email]);
    const early = await postSale(clock, { order_id: 'late-q', click_id: late.click.id });
    await deliverThroughQueue([late.scan, late.click]);
    const control = await postSale(clock, { order_id: 'late-q-control', click_id: late.click.id });
    expect(await creditsOf(early)).toEqual(await creditsOf(control));
    expect((await creditsOf(early)).filter((row) => row.model === 'first_touch' && row.weight === 1).map((row) => row.touch_id)).toEqual([late.email.id]);
    expect(await isPending(early)).toBe(false);
  });

  it('takes in an earlier touch of a known visitor that is written after the conversion', async () => {
    const clock = clockOf(2043);
    const late = await journey(clock);
    await insertTouches(db(), [late.email, late.click]);
    const early = await postSale(clock, { order_id: 'late-v', visitor_id: late.visitor });
    expect((await creditsOf(early)).filter((row) => row.model === 'linear').map((row) => row.touch_id)).toEqual([late.email.id, late.click.id]);

    await writeTouches(bindings, [late.scan]);
    const control = await postSale(clock, { order_id: 'late-v-control', visitor_id: late.visitor });
    expect(await creditsOf(early)).toEqual(await creditsOf(control));
    expect((await creditsOf(early)).filter((row) => row.model === 'position').map((row) => [row.touch_id, row.weight])).toEqual([
      [late.email.id, 0.4],
      [late.scan.id, 0.2],
      [late.click.id, 0.4],
    ]);
  });

  it('leaves a conversion alone when a later touch, a bot or another visitor comes in', async () => {
    const clock = clockOf(2044);
    const late = await journey(clock);
    await insertTouches(db(), [late.email, late.scan, late.click]);
    const sale = await postSale(clock, { order_id: 'late-none', visitor_id: late.visitor });
    const before = await creditsOf(sale);
    const after = touchRow({ campaign_id: late.campaignId, visitor_id: late.visitor, channel: 'email', occurred_at: clock.iso(21) });
    const bot = touchRow({
      campaign_id: late.campaignId,
      visitor_id: late.visitor,
      channel: 'email',
      is_bot: 1,
      bot_reason: 'email_scanner',
      device_class: 'bot',
      occurred_at: clock.iso(15),
    });
    const stranger = touchRow({ campaign_id: late.campaignId, visitor_id: 'v_SOMEONEELSE0000000000000', channel: 'email', occurred_at: clock.iso(15) });
    await insertTouches(db(), [after, bot, stranger]);
    expect(await isPending(sale)).toBe(false);
    expect(await creditsOf(sale)).toEqual(before);
  });

  it('is queued by its own write when a touch is stored between its read and its write', async () => {
    const clock = clockOf(2045);
    const late = await journey(clock);
    await insertTouches(db(), [late.email]);
    const write = (id: string, visitorTouchCount: number) => ({
      conversion: {
        id,
        type: 'sale',
        order_id: null,
        click_id: null,
        visitor_id: late.visitor,
        customer_hash: null,
        promo_code: null,
        promo_touch_id: null,
        value: null,
        currency: null,
        occurred_at: clock.iso(20.01),
        day: clock.date(20.01),
        lookback_days: 30,
        created_at: clock.iso(20.01),
      },
      visitorIds: [late.visitor],
      credits: [],
      customerHash: null,
      stitchVisitorIds: [],
      createdAt: clock.iso(20.01),
      seen: { clickFound: false, clickId: null, visitorTouchCount, fromIso: clock.iso(-9.99), occurredAt: clock.iso(20.01) },
    });
    // It read one touch of its visitor and one is stored: nothing to do.
    expect((await insertConversion(db(), write('cnv_RACEFREE', 1))).queuedVersion).toBe(null);
    // It read none, but by its write one is stored: queued.
    expect((await insertConversion(db(), write('cnv_RACED', 0))).queuedVersion).toBe(1);
    const { results } = await env.DB.prepare(
      "SELECT conversion_id, version FROM pending_attributions WHERE conversion_id IN ('cnv_RACEFREE', 'cnv_RACED')",
    ).all();
    expect(results).toEqual([{ conversion_id: 'cnv_RACED', version: 1 }]);
  });

  it('is attributed again by the cron when no touch write took it up', async () => {
    const clock = clockOf(2046);
    const late = await journey(clock);
    const early = await postSale(clock, { order_id: 'late-cron', click_id: late.click.id });
    // Stored without the writer's follow-up (as when the isolate stopped right after the insert).
    await insertTouches(db(), [late.email, late.scan, late.click]);
    expect(await isPending(early)).toBe(true);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), bindings, ctx);
    await waitOnExecutionContext(ctx);
    expect(await isPending(early)).toBe(false);
    const control = await postSale(clock, { order_id: 'late-cron-control', click_id: late.click.id });
    expect(await creditsOf(early)).toEqual(await creditsOf(control));
  });
});

describe('re-attribution under concurrency and failure', () => {
  const runCron = async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), bindings, ctx);
    await waitOnExecutionContext(ctx);
  };
  const queueEntry = async (conversionId: string) =>
    env.DB.prepare('SELECT version, attempts FROM pending_attributions WHERE conversion_id = ?')
      .bind(conversionId)
      .first<{ version: number; attempts: number }>();

  it('lets a run that read an older queue entry change nothing (a later run saw more)', async () => {
    const clock = clockOf(2047);
    const late = await journey(clock);
    const early = await postSale(clock, { order_id: 'stale-run', click_id: late.click.id });
    const before = await creditsOf(early);
    // The late click queues it (version 1); another late touch bumps it before a run that read version 1 writes.
    await insertTouches(db(), [late.click]);
    expect(await queueEntry(early)).toEqual({ version: 1, attempts: 0 });
    await env.DB.prepare('UPDATE pending_attributions SET version = version + 1 WHERE conversion_id = ?').bind(early).run();
    const rows = {
      visitorIds: [],
      credits: [],
      customerHash: null,
      stitchVisitorIds: [],
      createdAt: clock.iso(20.01),
      seen: { clickFound: true, clickId: late.click.id, visitorTouchCount: 0, fromIso: clock.iso(-9.99), occurredAt: clock.iso(20.01) },
    };
    expect(await replaceCredits(db(), { conversionId: early, version: 1, newlyStitched: false, ...rows })).toBe(false);
    expect(await creditsOf(early)).toEqual(before);
    expect(await queueEntry(early)).toEqual({ version: 2, attempts: 0 });
  });

  it('stays queued when a touch of it is stored while it is being attributed again', async () => {
    const clock = clockOf(2048);
    const late = await journey(clock);
    const early = await postSale(clock, { order_id: 'during-run', click_id: late.click.id });
    await insertTouches(db(), [late.click, late.email]);
    // The run read one human touch of the visitor; two are stored by its write.
    const wrote = await replaceCredits(db(), {
      conversionId: early,
      version: 1,
      newlyStitched: false,
      visitorIds: [late.visitor],
      credits: [],
      customerHash: null,
      stitchVisitorIds: [],
      createdAt: clock.iso(20.01),
      seen: { clickFound: true, clickId: late.click.id, visitorTouchCount: 1, fromIso: clock.iso(-9.99), occurredAt: clock.iso(20.01) },
    });
    expect(wrote).toBe(true);
    expect(await queueEntry(early)).toEqual({ version: 2, attempts: 0 });
    await runCron();
    expect(await isPending(early)).toBe(false);
    const control = await postSale(clock, { order_id: 'during-run-control', click_id: late.click.id });
    expect(await creditsOf(early)).toEqual(await creditsOf(control));
  });

  it('goes on past a conversion whose re-attribution fails, and works it last from then on', async () => {
    const clock = clockOf(2049);
    const late = await journey(clock);
    const good = await postSale(clock, { order_id: 'beside-poison', click_id: late.click.id });
    await env.DB.prepare(
      `INSERT INTO conversions (id, type, occurred_at, day, lookback_days, created_at) VALUES ('cnv_POISON', 'sale', 'not a time', '2049-03-21', 30, 'x')`,
    ).run();
    await env.DB.prepare(`INSERT INTO pending_attributions (conversion_id) VALUES ('cnv_POISON')`).run();
    await insertTouches(db(), [late.email, late.scan, late.click]);
    await reattributePending(
      db(),
      bindings,
      [
        { conversionId: 'cnv_POISON', version: 1 },
        { conversionId: good, version: 1 },
      ],
      clock.at(21),
    );
    expect(await queueEntry('cnv_POISON')).toEqual({ version: 1, attempts: 1 });
    expect(await isPending(good)).toBe(false);
    expect((await creditsOf(good)).filter((row) => row.model === 'last_touch' && row.weight === 1).map((row) => row.touch_id)).toEqual([late.click.id]);
    await env.DB.prepare(`INSERT INTO pending_attributions (conversion_id) VALUES ('cnv_ZZZ_FRESH')`).run();
    const head = await env.DB.prepare('SELECT conversion_id FROM pending_attributions ORDER BY attempts, conversion_id LIMIT 1').first<{
      conversion_id: string;
    }>();
    expect(head).toEqual({ conversion_id: 'cnv_ZZZ_FRESH' });
    await env.DB.prepare(`DELETE FROM pending_attributions WHERE conversion_id IN ('cnv_POISON', 'cnv_ZZZ_FRESH')`).run();
  });

  it("takes the customer's other conversions along when a late click stitches a new browser to the customer", async () => {
    const clock = clockOf(2050);
    const late = await journey(clock);
    await insertTouches(db(), [late.email, late.scan]);
    // The first sale carries the click (not stored yet) and the customer; the second, the customer only.
    const first = await postSale(clock, { order_id: 'stitch-1', click_id: late.click.id, customer_ref: 'C-LATE-STITCH' });
    const second = await postSale(clock, { order_id: 'stitch-2', customer_ref: 'C-LATE-STITCH' });
    expect((await creditsOf(second)).map((row) => row.channel)).toEqual(['direct', 'direct', 'direct', 'direct', 'direct']);

    await writeTouches(bindings, [late.click]);
    expect(await isPending(second)).toBe(true);
    await runCron();
    const control = await postSale(clock, { order_id: 'stitch-control', customer_ref: 'C-LATE-STITCH' });
    expect(await creditsOf(second)).toEqual(await creditsOf(control));
    expect((await creditsOf(second)).filter((row) => row.model === 'linear').map((row) => row.touch_id)).toEqual([late.email.id, late.scan.id, late.click.id]);
    expect(await isPending(first)).toBe(false);
  });
});
