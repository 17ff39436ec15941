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
/** The spend columns of a channel or campaign row without spend or customers (spend is tested in spend-report.test.ts). */
const noSpend = { new_customers: 0, spend: 0, spend_unconverted: [], cost_per_conversion: null, roas: null, cac: null };
const zero = {
  visits: 0,
  unique_visitors: 0,
  clicks: 0,
  scans: 0,
  code_entries: 0,
  bots: 0,
  conversions: 0,
  revenue: 0,
  currency: 'EUR',
  unconverted: [],
  conversion_rate: null,
  ...noSpend,
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
// No USD rate is stored: the 50 USD sale is counted, flagged and kept out of the EUR revenue.
const usd50 = [{ currency: 'USD', conversions: 1, revenue: 50 }];
const direct = { ...zero, channel: 'direct', conversions: 1, unconverted: usd50 };
const putRates = async (rates: Array<{ currency: string; day: string; rate: number }>) => {
  const response = await call('PUT', '/api/v1/exchange-rates', { body: { rates } });
  expect(response.status).toBe(200);
};
const deleteRate = async (currency: string, day: string) => expect((await call('DELETE', `/api/v1/exchange-rates/${currency}/${day}`)).status).toBe(204);

describe('GET /api/v1/reports/channels', () => {
  it.each([
    ['last_touch', [1, 0, 0, 0, 1, 100]],
    ['first_touch', [2, 100, 0, 0, 0, 0]],
    ['linear', [1 + 1 / 3, 100 / 3, 1 / 3, 100 / 3, 1 / 3, 100 / 3]],
    ['position', [1.4, 40, 0.2, 20, 0.4, 40]],
    ['time_decay', [1 + DECAY[0], 100 * DECAY[0], DECAY[1], 100 * DECAY[1], DECAY[2], 100 * DECAY[2]]],
  ] as Array<[string, number[]]>)('sums stored %s credits per channel, one row each, and their totals', async (model, [ec, er, oc, or, rc, rr]) => {
    await storeFixture();
    const body = await report(`channels?${range()}&model=${model}`);
    expect(body).toMatchObject({ model, from: `${Y}-03-01`, to: `${Y}-03-31`, lookback_days: 30, currency: 'EUR', missing_rates: ['USD'] });
    expect(body.rows).toEqual([
      {
        channel: 'offline',
        ...channelTraffic.offline,
        conversions: r6(oc),
        revenue: r2(or),
        currency: 'EUR',
        unconverted: [],
        conversion_rate: r6(oc),
        ...noSpend,
      },
      {
        channel: 'email',
        ...channelTraffic.email,
        conversions: r6(ec),
        revenue: r2(er),
        currency: 'EUR',
        unconverted: [],
        conversion_rate: r6(ec / 2),
        ...noSpend,
      },
      {
        channel: 'referral',
        ...channelTraffic.referral,
        conversions: r6(rc),
        revenue: r2(rr),
        currency: 'EUR',
        unconverted: [],
        conversion_rate: r6(rc),
        ...noSpend,
      },
      direct,
    ]);
    // Totals: the rows added up (from the unrounded credits), unique visitors distinct over the range (2 people, not 4).
    expect(body.totals).toEqual({
      visits: 4,
      unique_visitors: 2,
      clicks: 3,
      scans: 1,
      code_entries: 0,
      bots: 1,
      conversions: 3,
      revenue: 100,
      currency: 'EUR',
      unconverted: usd50,
      conversion_rate: 0.75,
      ...noSpend,
    });
  });

  it('recomputes credits from raw data for another lookback', async () => {
    await storeFixture();
    const body = await report(`channels?${range()}&model=first_touch&lookback_days=15`);
    expect(body.lookback_days).toBe(15);
    // The sale's window starts on day 6 (scan is first); the lead's email click (day 5) is 17 days old: direct.
    expect(body.rows.map((r: any) => [r.channel, r.conversions, r.revenue, r.currency, r.unconverted])).toEqual([
      ['offline', 1, 100, 'EUR', []],
      ['email', 0, 0, 'EUR', []],
      ['referral', 0, 0, 'EUR', []],
      ['direct', 2, 0, 'EUR', usd50],
    ]);
  });

  it('recomputes exactly what was stored when the window is the same', async () => {
    await storeFixture();
    const stored = await report(`channels?${range()}&model=time_decay`);
    const recomputed = await report(`channels?${range()}&model=time_decay&lookback_days=30`, { ATTRIBUTION_LOOKBACK_DAYS: '45' });
    expect(recomputed.rows).toEqual(stored.rows);
  });

  it('converts revenue at the rate of its day into one row per channel, and flags a currency without a rate', async () => {
    const journey = await storeFixture();
    // The referral visitor also pays 30 CHF (no CHF rate, ever) on day 21½.
    await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', click_id: journey.referral.id, value: 30, currency: 'CHF', occurred_at: iso(21.5) },
      now,
    });
    // USD rates: 0.9 from day 19 (03-20), 0.5 from day 22 (03-23): the USD sale of 03-22 takes 0.9.
    await putRates([
      { currency: 'USD', day: `${Y}-03-20`, rate: 0.9 },
      { currency: 'USD', day: `${Y}-03-23`, rate: 0.5 },
    ]);
    try {
      const body = await report(`channels?${range()}`);
      expect(body.missing_rates).toEqual(['CHF']);
      expect(body.rows.filter((r: any) => ['referral', 'direct'].includes(r.channel))).toEqual([
        {
          channel: 'referral',
          ...channelTraffic.referral,
          conversions: 2,
          revenue: 100,
          currency: 'EUR',
          unconverted: [{ currency: 'CHF', conversions: 1, revenue: 30 }],
          conversion_rate: 2,
          ...noSpend,
        },
        { ...zero, channel: 'direct', conversions: 1, revenue: 45, currency: 'EUR' },
      ]);
      expect(body.totals).toMatchObject({ conversions: 4, revenue: 145, currency: 'EUR', unconverted: [{ currency: 'CHF', conversions: 1, revenue: 30 }] });
      expect(body.totals.revenue).toBe(r2(body.rows.reduce((sum: number, r: any) => sum + r.revenue, 0)));
      // A rate dated after the conversion does not apply to it.
      await deleteRate('USD', `${Y}-03-20`);
      const later = await report(`channels?${range()}`);
      expect(later.rows.find((r: any) => r.channel === 'direct')).toMatchObject({ revenue: 0, unconverted: usd50 });
      expect(later.missing_rates).toEqual(['CHF', 'USD']);
      // The recomputing path (another lookback) converts the same way.
      await putRates([{ currency: 'USD', day: `${Y}-03-20`, rate: 0.9 }]);
      const recomputed = await report(`channels?${range()}&lookback_days=30`, { ATTRIBUTION_LOOKBACK_DAYS: '45' });
      expect(recomputed.totals).toEqual(body.totals);
    } finally {
      await deleteRate('USD', `${Y}-03-20`);
      await deleteRate('USD', `${Y}-03-23`);
    }
  });

  it('reports in the reporting currency set, converting EUR with its own rates', async () => {
    await storeFixture();
    expect((await call('PATCH', '/api/v1/settings', { body: { reporting_currency: 'USD' } })).status).toBe(200);
    try {
      await putRates([{ currency: 'EUR', day: `${Y}-03-01`, rate: 1.1 }]);
      const body = await report(`channels?${range()}&model=first_touch`);
      expect(body.currency).toBe('USD');
      expect(body.missing_rates).toEqual([]);
      expect(body.rows.map((r: any) => [r.channel, r.revenue, r.currency, r.unconverted])).toEqual([
        ['offline', 0, 'USD', []],
        ['email', 110, 'USD', []],
        ['referral', 0, 'USD', []],
        ['direct', 50, 'USD', []],
      ]);
      expect(body.totals.revenue).toBe(160);
      await deleteRate('EUR', `${Y}-03-01`);
    } finally {
      expect((await call('PATCH', '/api/v1/settings', { body: { reporting_currency: 'EUR' } })).status).toBe(200);
    }
  });

  it('filters by campaign (no direct credit) and by range', async () => {
    const journey = await storeFixture();
    const body = await report(`channels?${range()}&campaign_id=${journey.campaignId}`);
    expect(body.rows.map((r: any) => r.channel)).toEqual(['offline', 'email', 'referral']);
    const early = await report(`channels?from=${Y}-03-01&to=${Y}-03-05`);
    expect(early.rows).toEqual([{ ...zero, channel: 'email', visits: 1, unique_visitors: 1, clicks: 1, conversion_rate: 0 }]);
    expect(early.missing_rates).toEqual([]);
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
          unconverted: [],
          conversion_rate: 0.5,
          ...noSpend,
        },
        { ...direct, channel: undefined, campaign_id: null, campaign_name: null },
      ].map((row) => JSON.parse(JSON.stringify(row))),
    );
  });

  it('sums per link', async () => {
    const journey = await storeFixture();
    const body = await report(`links?${range()}&model=linear`);
    const bySlugless = body.rows.map((r: any) => [r.link_id, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.unconverted.length]);
    const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(bySlugless)).toEqual(
      sorted([
        [journey.emailLink, 2, 2, 1, r6(1 + 1 / 3), r2(100 / 3), 0],
        [journey.qrLink, 1, 1, 0, r6(1 / 3), r2(100 / 3), 0],
        [journey.referralLink, 1, 1, 0, r6(1 / 3), r2(100 / 3), 0],
        [null, 0, 0, 0, 1, 0, 1],
      ]),
    );
    expect(body.rows.map((r: any) => r.visits)).toEqual([2, 1, 1, 0]);
    expect(body.rows[0].slug).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(body.totals).toMatchObject({ visits: 4, unique_visitors: 2, conversions: 3, revenue: 100, unconverted: usd50 });
  });

  it('crosses channel and device class', async () => {
    await storeFixture();
    const body = await report(`devices?${range()}`);
    expect(body.rows.map((r: any) => [r.channel, r.device_class, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.unconverted])).toEqual([
      ['offline', 'mobile', 1, 1, 0, 0, 0, []],
      ['email', 'desktop', 2, 2, 0, 1, 0, []],
      ['email', 'bot', 0, 0, 1, 0, 0, []],
      ['referral', 'mobile', 1, 1, 0, 1, 100, []],
      ['direct', null, 0, 0, 0, 1, 0, usd50],
    ]);
  });

  it('gives a daily series with every day, one row each', async () => {
    await storeFixture();
    const body = await report(`timeseries?${range()}`);
    expect(body.interval).toBe('day');
    const busy = body.rows.filter((r: any) => r.visits || r.bots || r.conversions);
    expect(busy.map((r: any) => [r.bucket, r.visits, r.unique_visitors, r.bots, r.conversions, r.revenue, r.currency, r.unconverted])).toEqual([
      [`${Y}-03-01`, 1, 1, 0, 0, 0, 'EUR', []],
      [`${Y}-03-06`, 1, 1, 0, 0, 0, 'EUR', []],
      [`${Y}-03-11`, 1, 1, 0, 0, 0, 'EUR', []],
      [`${Y}-03-21`, 1, 1, 1, 0, 0, 'EUR', []],
      [`${Y}-03-22`, 0, 0, 0, 2, 100, 'EUR', usd50],
      [`${Y}-03-23`, 0, 0, 0, 1, 0, 'EUR', []],
    ]);
    expect(body.rows).toHaveLength(31);
    expect(body.rows[1]).toEqual({
      bucket: `${Y}-03-02`,
      visits: 0,
      unique_visitors: 0,
      bots: 0,
      conversions: 0,
      revenue: 0,
      currency: 'EUR',
      unconverted: [],
      conversion_rate: null,
    });
    expect(body.totals).toMatchObject({ visits: 4, unique_visitors: 2, bots: 1, conversions: 3, revenue: 100, unconverted: usd50 });
  });

  it('gives an hourly series', async () => {
    await storeFixture();
    const body = await report(`timeseries?from=${Y}-03-22&to=${Y}-03-22&interval=hour`);
    expect(body.rows).toHaveLength(24);
    expect(body.rows.filter((r: any) => r.conversions).map((r: any) => [r.bucket, r.conversions, r.revenue, r.unconverted, r.unique_visitors])).toEqual([
      [`${Y}-03-22T10:00:00.000Z`, 1, 100, [], null],
      [`${Y}-03-22T16:00:00.000Z`, 1, 0, usd50, null],
    ]);
    expect(body.totals).toMatchObject({ conversions: 2, revenue: 100, unique_visitors: null });
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
    expect(lines[0]).toBe(
      'campaign_id,campaign_name,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
    );
    expect(lines[1]).toMatch(/^cmp_[0-9A-Z]{26},"Frühjahr, ""Große"" Aktion – 春",3,1,2,1,0,1,0,0.00,EUR,,0,0,0\.00,,,,$/);
    expect(lines[2]).toBe('total,,3,1,2,1,0,1,0,0.00,EUR,,0,0,0.00,,,,');
    expect(lines[3]).toBe('');
  });

  it('quotes a name holding ; and defuses one starting with =, so a German spreadsheet splitting on ; sees one cell', async () => {
    useNextYear();
    await storeJourney('=HYPERLINK("x");Sale', clock);
    const lines = (await (await call('GET', `/api/v1/reports/campaigns?${range()}&format=csv`, { now })).text()).split('\r\n');
    expect(lines[1]).toMatch(/^cmp_[0-9A-Z]{26},"'=HYPERLINK\(""x""\);Sale",3,1,2,1,0,1,0,0.00,EUR,,0,0,0\.00,,,,$/);
  });
});

describe('CSV totals', () => {
  it('writes one line per channel, the unconverted money of a line, and a totals line', async () => {
    await storeFixture();
    const text = await (await call('GET', `/api/v1/reports/channels?${range()}&model=first_touch&format=csv`, { now })).text();
    expect(text.split('\r\n')).toEqual([
      'channel,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
      'offline,1,1,0,1,0,0,0,0.00,EUR,,0,0,0.00,,,,',
      'email,2,2,2,0,0,1,2,100.00,EUR,,1,0,0.00,,,,',
      'referral,1,1,1,0,0,0,0,0.00,EUR,,0,0,0.00,,,,',
      'direct,0,0,0,0,0,0,1,0.00,EUR,USD:50.00,,0,0.00,,,,',
      'total,4,2,3,1,0,1,3,100.00,EUR,USD:50.00,0.75,0,0.00,,,,',
      '',
    ]);
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
    expect(body).toEqual({
      model: 'last_touch',
      from,
      to: `${Y}-03-26`,
      lookback_days: 30,
      unique_visitors_estimated: false,
      currency: 'EUR',
      missing_rates: [],
      rows: [],
      totals: { ...zero, unique_visitors: 0 },
    });
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
