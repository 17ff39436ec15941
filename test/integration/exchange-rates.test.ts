import { describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, json, makeKey, makeLink } from '../helpers';

const put = (rates: unknown[]) => call('PUT', '/api/v1/exchange-rates', { body: { rates } });
const csv = (text: string, contentType = 'text/csv') =>
  call('POST', '/api/v1/exchange-rates/import', { rawBody: text, headers: { 'Content-Type': contentType } });
const list = async (query = '') => json(await call('GET', `/api/v1/exchange-rates${query}`));
const errorOf = async (response: Response) => {
  expect(response.status).toBe(400);
  return (await json(response)).error;
};

describe('/api/v1/settings', () => {
  it('answers EUR until a reporting currency is set, and takes a three-letter capital ISO code', async () => {
    expect(await json(await call('GET', '/api/v1/settings', { key: await makeKey(['reports:read']) }))).toEqual({ reporting_currency: 'EUR' });
    const patched = await call('PATCH', '/api/v1/settings', { body: { reporting_currency: 'CHF' } });
    expect(await json(patched)).toEqual({ reporting_currency: 'CHF' });
    expect(await json(await call('GET', '/api/v1/settings'))).toEqual({ reporting_currency: 'CHF' });
    expect(await json(await call('PATCH', '/api/v1/settings', { body: { reporting_currency: 'EUR' } }))).toEqual({ reporting_currency: 'EUR' });
  });

  it.each([
    [{ reporting_currency: 'usd' }, 'reporting_currency: must be a three-letter ISO 4217 code in capitals, like EUR'],
    [{ reporting_currency: 'EURO' }, 'reporting_currency: must be a three-letter ISO 4217 code in capitals, like EUR'],
    [{ reporting_currency: 'XYZ' }, 'reporting_currency: is not an ISO 4217 currency code'],
    [{ reporting_currency: 'EUR', colour: 'red' }, 'unknown field: colour'],
  ])('refuses %j and changes nothing', async (body, message) => {
    expect(await errorOf(await call('PATCH', '/api/v1/settings', { body }))).toEqual({ code: 'validation_error', message });
    expect(await json(await call('GET', '/api/v1/settings'))).toEqual({ reporting_currency: 'EUR' });
  });

  it('lets only admin keys change it', async () => {
    const response = await call('PATCH', '/api/v1/settings', { key: await makeKey(['reports:read']), body: { reporting_currency: 'USD' } });
    expect(response.status).toBe(403);
  });
});

describe('/api/v1/exchange-rates', () => {
  it('stores rates, replaces the rate of the same currency and day, lists them by currency, newest day first', async () => {
    const saved = await put([
      { currency: 'GBP', day: '2020-01-01', rate: 1.15 },
      { currency: 'GBP', day: '2020-01-02', rate: 1.16 },
      { currency: 'AUD', day: '2020-01-01', rate: 0.61 },
    ]);
    expect(await json(saved)).toEqual({ base: 'EUR', saved: 3 });
    expect(await json(await put([{ currency: 'GBP', day: '2020-01-02', rate: 1.17 }]))).toEqual({ base: 'EUR', saved: 1 });
    expect(await list('?currency=GBP')).toEqual({
      base: 'EUR',
      data: [
        { currency: 'GBP', day: '2020-01-02', rate: 1.17 },
        { currency: 'GBP', day: '2020-01-01', rate: 1.15 },
      ],
      next_cursor: null,
    });
    const first = await list('?limit=2');
    expect(first.data.slice(0, 1)).toEqual([{ currency: 'AUD', day: '2020-01-01', rate: 0.61 }]);
    expect(first.next_cursor).toBe(`${first.data[1].currency}:${first.data[1].day}`);
    const all = await list('?limit=1000');
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.data).toEqual(all.data.slice(2, 4));
    const reader = await call('GET', '/api/v1/exchange-rates', { key: await makeKey(['reports:read']) });
    expect(reader.status).toBe(200);
  });

  it.each([
    [[{ currency: 'JPY', day: '2020-02-01', rate: 0 }], 'rates.0.rate: must be greater than 0'],
    [[{ currency: 'JPY', day: '2020-02-01', rate: -1 }], 'rates.0.rate: must be greater than 0'],
    [[{ currency: 'JPY', day: '2020-02-30', rate: 0.006 }], 'rates.0.day: is not a calendar date'],
    [[{ currency: 'JPY', day: '2020-2-1', rate: 0.006 }], 'rates.0.day: must be a date YYYY-MM-DD'],
    [[{ currency: 'jpy', day: '2020-02-01', rate: 0.006 }], 'rates.0.currency: must be a three-letter ISO 4217 code in capitals, like EUR'],
    [[{ currency: 'JPY', day: '2020-02-01', rate: '0.006' }], 'rates.0.rate: Invalid input: expected number, received string'],
    [
      [
        { currency: 'JPY', day: '2020-02-01', rate: 0.006 },
        { currency: 'EUR', day: '2020-02-01', rate: 1 },
      ],
      'rates.1: currency: EUR is the reporting currency and needs no rate',
    ],
    [
      [
        { currency: 'JPY', day: '2020-02-01', rate: 0.006 },
        { currency: 'JPY', day: '2020-02-01', rate: 0.007 },
      ],
      'rates.1: JPY on 2020-02-01 is given twice (also rates.0)',
    ],
    [[], 'rates: Too small: expected array to have >=1 items'],
  ])('refuses %j and stores none of it', async (rates, message) => {
    expect(await errorOf(await put(rates))).toEqual({ code: 'validation_error', message });
    expect((await list('?currency=JPY')).data).toEqual([]);
  });

  it('imports a CSV upload: every line or, when one is wrong, none, each error naming its line', async () => {
    const good = await csv('day,currency,rate\r\n2020-03-01,NZD,0.55\r\n2020-03-02,NZD,0.56\r\n2020-03-01,CAD,0.68\r\n');
    expect(await json(good)).toEqual({ base: 'EUR', saved: 3 });
    expect((await list('?currency=NZD')).data.map((r: any) => [r.day, r.rate])).toEqual([
      ['2020-03-02', 0.56],
      ['2020-03-01', 0.55],
    ]);
    const bad = await csv('day,currency,rate\n2020-04-01,NZD,0.57\n2020-04-31,NZD,0.57\n2020-04-02,NZD,-2\n2020-04-03,EUR,1\n');
    expect(await errorOf(bad)).toEqual({
      code: 'validation_error',
      message: 'line 3: day: is not a calendar date; line 4: rate: must be a number like 0.92',
    });
    const base = await csv('day,currency,rate\n2020-04-01,NZD,0.57\n2020-04-03,EUR,1\n2020-04-01,NZD,0.58\n');
    expect((await errorOf(base)).message).toBe(
      'line 3: currency: EUR is the reporting currency and needs no rate; line 4: NZD on 2020-04-01 is given twice (also line 2)',
    );
    expect((await list('?currency=NZD')).data).toHaveLength(2);
    const wrongType = await csv('day,currency,rate\n2020-04-01,NZD,0.57\n', 'application/json');
    expect(wrongType.status).toBe(415);
    expect((await json(wrongType)).error).toEqual({ code: 'unsupported_media_type', message: 'Content-Type: send the rates as text/csv' });
    expect((await errorOf(await csv('when,what\n'))).message).toBe('line 1: the header must name the columns day, currency, rate');
    const reader = await call('POST', '/api/v1/exchange-rates/import', {
      key: await makeKey(['reports:read']),
      rawBody: 'day,currency,rate\n2020-04-01,NZD,0.57\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(reader.status).toBe(403);
  });

  it('deletes one rate', async () => {
    await put([{ currency: 'SEK', day: '2020-05-01', rate: 0.088 }]);
    expect((await call('DELETE', '/api/v1/exchange-rates/SEK/2020-05-01')).status).toBe(204);
    expect((await list('?currency=SEK')).data).toEqual([]);
    const again = await call('DELETE', '/api/v1/exchange-rates/SEK/2020-05-01');
    expect(again.status).toBe(404);
    expect((await json(again)).error).toEqual({ code: 'not_found', message: 'Exchange rate not found' });
    expect((await errorOf(await call('DELETE', '/api/v1/exchange-rates/SEK/2020-13-01'))).message).toContain('day: ');
  });
});

describe('reports in the reporting currency', () => {
  const NOW = Date.parse('2026-03-03T12:00:00Z');
  const now = () => NOW;

  it('converts 100 USD of 2026-03-02 at the rate of 2026-03-01 (0.9) into 90 EUR, counts and flags CHF without a rate, and adds the rows up', async () => {
    const link = await makeLink({ utm_medium: 'email', utm_source: 'newsletter', slug: 'fx-mail' });
    const click = await call('GET', '/fx-mail', { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: () => Date.parse('2026-03-02T09:00:00Z') });
    const clickId = new URL(click.headers.get('Location')!).searchParams.get('tp_click')!;
    const sale = (body: object) => call('POST', '/api/v1/conversions', { body: { type: 'sale', ...body }, now });
    expect((await sale({ order_id: 'fx-1', click_id: clickId, value: 100, currency: 'USD', occurred_at: '2026-03-02T10:00:00Z' })).status).toBe(201);
    expect((await sale({ order_id: 'fx-2', value: 12, currency: 'CHF', occurred_at: '2026-03-02T11:00:00Z' })).status).toBe(201);
    expect((await sale({ order_id: 'fx-3', value: 10, currency: 'EUR', occurred_at: '2026-03-02T12:00:00Z' })).status).toBe(201);
    expect((await put([{ currency: 'USD', day: '2026-03-01', rate: 0.9 }])).status).toBe(200);

    const report = await json(await call('GET', '/api/v1/reports/channels?from=2026-03-01&to=2026-03-03', { now }));
    expect(report.currency).toBe('EUR');
    expect(report.missing_rates).toEqual(['CHF']);
    expect(report.rows.map((r: any) => [r.channel, r.visits, r.conversions, r.revenue, r.currency, r.unconverted])).toEqual([
      ['email', 1, 1, 90, 'EUR', []],
      ['direct', 0, 2, 10, 'EUR', [{ currency: 'CHF', conversions: 1, revenue: 12 }]],
    ]);
    expect(report.totals).toEqual({
      visits: 1,
      unique_visitors: 1,
      clicks: 1,
      scans: 0,
      code_entries: 0,
      bots: 0,
      conversions: 3,
      revenue: 100,
      currency: 'EUR',
      unconverted: [{ currency: 'CHF', conversions: 1, revenue: 12 }],
      conversion_rate: 3,
      // No spend entered: the spend columns (spend-report.test.ts) are empty.
      new_customers: 0,
      spend: 0,
      spend_unconverted: [],
      cost_per_conversion: null,
      roas: null,
      cac: null,
    });
    for (const metric of ['visits', 'clicks', 'conversions', 'revenue']) {
      expect(report.totals[metric]).toBe(report.rows.reduce((sum: number, row: any) => sum + row[metric], 0));
    }

    const text = await (await call('GET', '/api/v1/reports/channels?from=2026-03-01&to=2026-03-03&format=csv', { now })).text();
    expect(text.split('\r\n')).toEqual([
      'channel,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
      'email,1,1,1,0,0,0,1,90.00,EUR,,1,0,0.00,,,,',
      'direct,0,0,0,0,0,0,2,10.00,EUR,CHF:12.00,,0,0.00,,,,',
      'total,1,1,1,0,0,0,3,100.00,EUR,CHF:12.00,3,0,0.00,,,,',
      '',
    ]);

    // The hourly series converts at the day of the hour; the campaign report alike.
    const hours = await json(await call('GET', '/api/v1/reports/timeseries?from=2026-03-02&to=2026-03-02&interval=hour', { now }));
    expect(hours.rows.filter((r: any) => r.conversions).map((r: any) => [r.bucket.slice(11, 13), r.revenue, r.unconverted.length])).toEqual([
      ['10', 90, 0],
      ['11', 0, 1],
      ['12', 10, 0],
    ]);
    const campaigns = await json(await call('GET', `/api/v1/reports/campaigns?from=2026-03-01&to=2026-03-03&campaign_id=${link.campaign_id}`, { now }));
    expect(campaigns.rows.map((r: any) => [r.campaign_id, r.revenue])).toEqual([[link.campaign_id, 90]]);
    expect(campaigns.missing_rates).toEqual([]);
  });
});
