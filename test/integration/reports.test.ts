import { describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';
import { clockOf, db, DECAY, storeJourney, storeTouches, touchRow, type Journey } from '../support/attribution-fixture';

// Storage is shared between tests: each test that writes uses a year of its own.
let Y = 2040;
let clock = clockOf(Y);
const useNextYear = () => {
  Y += 1;
  clock = clockOf(Y);
};
const iso = (days: number) => clock.iso(days);
const now = () => clock.at(25);
const range = () => `from=${Y}-03-01&to=${Y}-03-31`;
const report = async (path: string, env?: Record<string, string>) => {
  const response = await call('GET', `/api/v1/reports/${path}`, { now, env });
  expect(response.status).toBe(200);
  return json(response);
};
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** Revenue in reports is money: rounded to the cent. */
const r2 = (x: number) => Math.round(x * 100) / 100;
const zero = {
  visits: 0,
  unique_visitors: 0,
  clicks: 0,
  scans: 0,
  code_entries: 0,
  bots: 0,
  conversions: 0,
  revenue: 0,
  currency: null,
  conversion_rate: null,
};

/**
 * The journey (email d0 → scan d10 → referral d20, a bot on d20.5), a second visitor's
 * email click on day 5, then: sale 100 EUR on day 21 (referral click id), a lead
 * of the second visitor on day 22, and a 50 USD sale without any touch on day 21¼.
 */
async function storeFixture(): Promise<Journey> {
  useNextYear();
  const journey = await storeJourney('Spring Sale', clock);
  await storeTouches([
    touchRow({ campaign_id: journey.campaignId, link_id: journey.emailLink, channel: 'email', visitor_id: 'v_SECOND', occurred_at: iso(5) }),
  ]);
  const post = (body: object) => call('POST', '/api/v1/conversions', { body, now });
  expect((await post({ type: 'sale', order_id: `r-1-${Y}`, click_id: journey.referral.id, value: 100, currency: 'EUR', occurred_at: iso(21) })).status).toBe(
    201,
  );
  expect((await post({ type: 'lead', visitor_id: 'v_SECOND', occurred_at: iso(22) })).status).toBe(201);
  expect((await post({ type: 'sale', order_id: `r-2-${Y}`, value: 50, currency: 'USD', occurred_at: iso(21.25) })).status).toBe(201);
  return journey;
}

const channelTraffic = {
  email: { visits: 2, unique_visitors: 2, clicks: 2, scans: 0, code_entries: 0, bots: 1 },
  offline: { visits: 1, unique_visitors: 1, clicks: 0, scans: 1, code_entries: 0, bots: 0 },
  referral: { visits: 1, unique_visitors: 1, clicks: 1, scans: 0, code_entries: 0, bots: 0 },
};
const direct = { ...zero, channel: 'direct', conversions: 1, revenue: 50, currency: 'USD' };

describe('GET /api/v1/reports/channels', () => {
  it.each([
    ['last_touch', [1, 0, null, 0, 0, null, 1, 100, 'EUR']],
    ['first_touch', [2, 100, 'EUR', 0, 0, null, 0, 0, null]],
    ['linear', [1 + 1 / 3, 100 / 3, 'EUR', 1 / 3, 100 / 3, 'EUR', 1 / 3, 100 / 3, 'EUR']],
    ['position', [1.4, 40, 'EUR', 0.2, 20, 'EUR', 0.4, 40, 'EUR']],
    ['time_decay', [1 + DECAY[0], 100 * DECAY[0], 'EUR', DECAY[1], 100 * DECAY[1], 'EUR', DECAY[2], 100 * DECAY[2], 'EUR']],
  ] as Array<[string, Array<number | string | null>]>)('sums stored %s credits per channel', async (model, [ec, er, ecur, oc, or, ocur, rc, rr, rcur]) => {
    await storeFixture();
    const body = await report(`channels?${range()}&model=${model}`);
    expect(body).toMatchObject({ model, from: `${Y}-03-01`, to: `${Y}-03-31`, lookback_days: 30 });
    expect(body.rows).toEqual([
      {
        channel: 'offline',
        ...channelTraffic.offline,
        conversions: r6(oc as number),
        revenue: r2(or as number),
        currency: ocur,
        conversion_rate: r6(oc as number),
      },
      {
        channel: 'email',
        ...channelTraffic.email,
        conversions: r6(ec as number),
        revenue: r2(er as number),
        currency: ecur,
        conversion_rate: r6((ec as number) / 2),
      },
      {
        channel: 'referral',
        ...channelTraffic.referral,
        conversions: r6(rc as number),
        revenue: r2(rr as number),
        currency: rcur,
        conversion_rate: r6(rc as number),
      },
      direct,
    ]);
  });

  it('recomputes credits from raw data for another lookback', async () => {
    await storeFixture();
    const body = await report(`channels?${range()}&model=first_touch&lookback_days=15`);
    expect(body.lookback_days).toBe(15);
    // The sale's window starts on day 6 (scan is first); the lead's email click (day 5) is 17 days old: direct.
    expect(body.rows.map((r: any) => [r.channel, r.conversions, r.revenue, r.currency])).toEqual([
      ['offline', 1, 100, 'EUR'],
      ['email', 0, 0, null],
      ['referral', 0, 0, null],
      ['direct', 2, 50, 'USD'],
    ]);
  });

  it('recomputes exactly what was stored when the window is the same', async () => {
    await storeFixture();
    const stored = await report(`channels?${range()}&model=time_decay`);
    const recomputed = await report(`channels?${range()}&model=time_decay&lookback_days=30`, { ATTRIBUTION_LOOKBACK_DAYS: '45' });
    expect(recomputed.rows).toEqual(stored.rows);
  });

  it('keeps currencies apart: one row per further currency with zero traffic', async () => {
    const journey = await storeFixture();
    await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', click_id: journey.referral.id, value: 30, currency: 'USD', occurred_at: iso(21.5) },
      now,
    });
    const rows = (await report(`channels?${range()}`)).rows.filter((r: any) => r.channel === 'referral');
    expect(rows).toEqual([
      { channel: 'referral', ...channelTraffic.referral, conversions: 1, revenue: 100, currency: 'EUR', conversion_rate: 1 },
      { ...zero, channel: 'referral', conversions: 1, revenue: 30, currency: 'USD', conversion_rate: 1 },
    ]);
  });

  it('filters by campaign (no direct credit) and by range', async () => {
    const journey = await storeFixture();
    const body = await report(`channels?${range()}&campaign_id=${journey.campaignId}`);
    expect(body.rows.map((r: any) => r.channel)).toEqual(['offline', 'email', 'referral']);
    const early = await report(`channels?from=${Y}-03-01&to=${Y}-03-05`);
    expect(early.rows).toEqual([{ ...zero, channel: 'email', visits: 1, unique_visitors: 1, clicks: 1, conversion_rate: 0 }]);
  });
});

describe('other reports', () => {
  it('sums per campaign', async () => {
    const journey = await storeFixture();
    const body = await report(`campaigns?${range()}`);
    expect(body.rows).toEqual(
      [
        {
          campaign_id: journey.campaignId,
          campaign_name: 'Spring Sale',
          visits: 4,
          unique_visitors: 2,
          clicks: 3,
          scans: 1,
          code_entries: 0,
          bots: 1,
          conversions: 2,
          revenue: 100,
          currency: 'EUR',
          conversion_rate: 0.5,
        },
        { ...direct, channel: undefined, campaign_id: null, campaign_name: null },
      ].map((row) => JSON.parse(JSON.stringify(row))),
    );
  });

  it('sums per link', async () => {
    const journey = await storeFixture();
    const body = await report(`links?${range()}&model=linear`);
    const bySlugless = body.rows.map((r: any) => [r.link_id, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.currency]);
    const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(bySlugless)).toEqual(
      sorted([
        [journey.emailLink, 2, 2, 1, r6(1 + 1 / 3), r2(100 / 3), 'EUR'],
        [journey.qrLink, 1, 1, 0, r6(1 / 3), r2(100 / 3), 'EUR'],
        [journey.referralLink, 1, 1, 0, r6(1 / 3), r2(100 / 3), 'EUR'],
        [null, 0, 0, 0, 1, 50, 'USD'],
      ]),
    );
    expect(body.rows.map((r: any) => r.visits)).toEqual([2, 1, 1, 0]);
    expect(body.rows[0].slug).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('crosses channel and device class', async () => {
    await storeFixture();
    const body = await report(`devices?${range()}`);
    expect(body.rows.map((r: any) => [r.channel, r.device_class, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.currency])).toEqual([
      ['offline', 'mobile', 1, 1, 0, 0, 0, null],
      ['email', 'desktop', 2, 2, 0, 1, 0, null],
      ['email', 'bot', 0, 0, 1, 0, 0, null],
      ['referral', 'mobile', 1, 1, 0, 1, 100, 'EUR'],
      ['direct', null, 0, 0, 0, 1, 50, 'USD'],
    ]);
  });

  it('gives a daily series with every day and currencies apart', async () => {
    await storeFixture();
    const body = await report(`timeseries?${range()}`);
    expect(body.interval).toBe('day');
    const busy = body.rows.filter((r: any) => r.visits || r.bots || r.conversions);
    expect(busy.map((r: any) => [r.bucket, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.currency])).toEqual([
      [`${Y}-03-01`, 1, 1, 0, 0, 0, null],
      [`${Y}-03-06`, 1, 1, 0, 0, 0, null],
      [`${Y}-03-11`, 1, 1, 0, 0, 0, null],
      [`${Y}-03-21`, 1, 1, 1, 0, 0, null],
      [`${Y}-03-22`, 0, 0, 0, 1, 100, 'EUR'],
      [`${Y}-03-22`, 0, 0, 0, 1, 50, 'USD'],
      [`${Y}-03-23`, 0, 0, 0, 1, 0, null],
    ]);
    expect(body.rows).toHaveLength(32);
  });

  it('gives an hourly series', async () => {
    await storeFixture();
    const body = await report(`timeseries?from=${Y}-03-22&to=${Y}-03-22&interval=hour`);
    expect(body.rows).toHaveLength(24);
    expect(body.rows.filter((r: any) => r.conversions).map((r: any) => [r.bucket, r.conversions, r.revenue, r.currency, r.unique_visitors])).toEqual([
      [`${Y}-03-22T10:00:00.000Z`, 1, 100, 'EUR', null],
      [`${Y}-03-22T16:00:00.000Z`, 1, 50, 'USD', null],
    ]);
  });
});

describe('CSV', () => {
  it('writes a header row and quotes commas, quotes and non-ASCII names', async () => {
    useNextYear();
    await storeJourney('Frühjahr, "Große" Aktion – 春', clock);
    const response = await call('GET', `/api/v1/reports/campaigns?${range()}&format=csv`, { now });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="campaigns-last_touch-${Y}-03-01-${Y}-03-31.csv"`);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('campaign_id,campaign_name,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,conversion_rate');
    expect(lines[1]).toMatch(/^cmp_[0-9A-Z]{26},"Frühjahr, ""Große"" Aktion – 春",3,1,2,1,0,1,0,0.00,,0$/);
    expect(lines[2]).toBe('');
  });

  it('quotes a name holding ; and defuses one starting with =, so a German spreadsheet splitting on ; sees one cell', async () => {
    useNextYear();
    await storeJourney('=HYPERLINK("x");Sale', clock);
    const lines = (await (await call('GET', `/api/v1/reports/campaigns?${range()}&format=csv`, { now })).text()).split('\r\n');
    expect(lines[1]).toMatch(/^cmp_[0-9A-Z]{26},"'=HYPERLINK\(""x""\);Sale",3,1,2,1,0,1,0,0.00,,0$/);
  });
});

describe('report validation and access', () => {
  const kinds = ['channels', 'campaigns', 'links', 'timeseries', 'devices'];
  it.each(kinds)('%s answers 401 without a key, 403 without reports:read', async (kind) => {
    expect((await call('GET', `/api/v1/reports/${kind}`, { key: null })).status).toBe(401);
    expect((await call('GET', `/api/v1/reports/${kind}`, { key: await makeKey(['conversions:write']) })).status).toBe(403);
    expect((await call('GET', `/api/v1/reports/${kind}`, { key: await makeKey(['reports:read']), now })).status).toBe(200);
  });

  it.each(
    kinds.flatMap((kind) => [
      [kind, `from=${Y}-3-1`, 'from: must be a date YYYY-MM-DD'],
      [kind, `to=${Y}-02-30`, 'to: is not a calendar date'],
      [kind, `from=${Y}-03-10&to=${Y}-03-01`, 'to: must not be before from'],
      [kind, `from=2020-01-01&to=${Y}-03-01`, 'to: the range may span at most 731 days'],
      [kind, 'model=u_shaped', 'model: '],
      [kind, 'lookback_days=0', 'lookback_days: '],
      [kind, 'lookback_days=366', 'lookback_days: '],
      [kind, 'lookback_days=1.5', 'lookback_days: '],
      [kind, 'format=xml', 'format: '],
    ]),
  )('%s refuses %s', async (kind, query, message) => {
    const response = await call('GET', `/api/v1/reports/${kind}?${query}`, { now });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'validation_error', message: expect.stringContaining(message) });
  });

  it('refuses a bad interval and an hourly range over 31 days', async () => {
    const bad = await call('GET', '/api/v1/reports/timeseries?interval=minute', { now });
    expect((await json(bad)).error.message).toContain('interval: ');
    const long = await call('GET', `/api/v1/reports/timeseries?from=${Y}-01-01&to=${Y}-03-31&interval=hour`, { now });
    expect(long.status).toBe(400);
    expect((await json(long)).error.message).toBe('interval: hourly series span at most 31 days');
  });

  it('defaults to the last 30 days and last_touch', async () => {
    useNextYear();
    const body = await report('channels');
    const from = new Date(Date.UTC(Y, 2, 26) - 29 * 86_400_000).toISOString().slice(0, 10);
    expect(body).toEqual({ model: 'last_touch', from, to: `${Y}-03-26`, lookback_days: 30, unique_visitors_estimated: false, rows: [] });
  });
});

describe('rollups follow reclassified touches', () => {
  it('moves a touch marked as bot after it was written out of visits and unique visitors', async () => {
    const journey = await storeFixture();
    await db().updateTable('touches').set({ is_bot: 1, bot_reason: 'user_agent', device_class: 'bot' }).where('id', '=', journey.email.id).execute();
    const email = (await report(`channels?${range()}`)).rows.find((r: any) => r.channel === 'email');
    expect(email).toMatchObject({ visits: 1, unique_visitors: 1, clicks: 1, bots: 2 });
    const devices = (await report(`devices?${range()}`)).rows.filter((r: any) => r.channel === 'email');
    expect(devices.map((r: any) => [r.device_class, r.visits, r.unique_visitors, r.bots])).toEqual([
      ['desktop', 1, 1, 0],
      ['bot', 0, 0, 2],
    ]);
  });
});
