import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { rfmReport } from '../../src/services/rfm';
import { migrateShardDatabases } from '../support/shards';
import { RFM_SEGMENTS } from '../../src/domain/rfm';
import { ADMIN, call, json } from '../helpers';
import { clockOf, storeJourney, type Clock } from '../support/attribution-fixture';
import { memberWith } from '../support/loyalty-members';
import { newBrowser, signIn, visit } from '../support/dashboard';

const post = async (path: string, body: unknown, now: () => number) => {
  const response = await call('POST', path, { body, now });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
};

/** Sales of `customer` on the given days of `clock` ([day, value, currency?]); the first through `click` when given. */
async function sales(clock: Clock, now: () => number, customer: string, list: Array<[number, number, string?]>, click?: string) {
  for (const [index, [day, value, currency]] of list.entries()) {
    await post(
      '/api/v1/conversions',
      {
        type: 'sale',
        order_id: `${customer}-${index}`,
        customer_ref: customer,
        value,
        currency: currency ?? 'EUR',
        occurred_at: clock.iso(day),
        ...(click && index === 0 ? { click_id: click } : {}),
      },
      now,
    );
  }
}

/** A browser signed in at the test's `now` (a session from today has expired by 2071). */
async function browserAt(now: () => number) {
  const browser = newBrowser();
  await signIn(browser, ADMIN, { now });
  return browser;
}

const zero = Object.fromEntries(RFM_SEGMENTS.map((segment) => [segment, 0]));

/*
 * RFM by hand (days from 1 March 2071 10:00 UTC; range 1 March … 29 June = day 120, recency counted to day 120):
 *   rfm-a (email, through the journey's click): 5 sales of 100 on d21, 60, 100, 110, 120 → recency 0, F 5, M 500
 *   rfm-b (email): 40 on d21 and d117 → recency 3, F 2, M 80
 *   rfm-c (direct): 20 on d110 → recency 10, F 1, M 20 (and 30 on d130, after the range: not counted)
 *   rfm-d (direct): 100 on d30, 50, 70, 80 → recency 40, F 4, M 400
 *   rfm-e (direct): 20 on d30 → recency 90, F 1, M 20
 * R 5 4 3 2 1; F and M: c and e tie at percentile 0.2 → 2, b 3, d 4, a 5.
 * a champions (R5 FM5), b potential loyalists (R4 FM3), c about to sleep (R3 FM2), d at risk (R2 FM4), e hibernating (R1 FM2).
 * Only the journey's campaign (a, b): R a 4 b 2, F and M likewise → a loyal (R4 FM4), b hibernating (R2 FM2).
 */
describe('GET /api/v1/reports/rfm', () => {
  const clock = clockOf(2071);
  const now = () => clock.at(140);
  let campaignId = '';
  const seeded = (async () => {
    const journey = await storeJourney('RFM', clock);
    campaignId = journey.campaignId;
    await sales(
      clock,
      now,
      'rfm-a',
      [
        [21, 100],
        [60, 100],
        [100, 100],
        [110, 100],
        [120, 100],
      ],
      journey.referral.id,
    );
    await sales(
      clock,
      now,
      'rfm-b',
      [
        [21, 40],
        [117, 40],
      ],
      journey.referral.id,
    );
    await sales(clock, now, 'rfm-c', [
      [110, 20],
      [130, 30],
    ]);
    await sales(clock, now, 'rfm-d', [
      [30, 100],
      [50, 100],
      [70, 100],
      [80, 100],
    ]);
    await sales(clock, now, 'rfm-e', [[30, 20]]);
  })();
  const range = 'from=2071-03-01&to=2071-06-29';

  it('scores the customers of the range and counts their segments per acquisition channel', async () => {
    await seeded;
    const response = await call('GET', `/api/v1/reports/rfm?${range}`, { now });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ from: '2071-03-01', to: '2071-06-29', as_of: '2071-06-29', currency: 'EUR', missing_rates: [] });
    expect(body.rows).toEqual([
      { channel: 'direct', customers: 3, ...zero, about_to_sleep: 1, at_risk: 1, hibernating: 1 },
      { channel: 'email', customers: 2, ...zero, champions: 1, potential_loyalists: 1 },
    ]);
    expect(body.totals).toEqual({
      channel: 'total',
      customers: 5,
      ...zero,
      champions: 1,
      potential_loyalists: 1,
      about_to_sleep: 1,
      at_risk: 1,
      hibernating: 1,
    });
    expect(body.segments.filter((row: { customers: number }) => row.customers > 0)).toEqual([
      { segment: 'champions', customers: 1, share: 0.2, revenue: 500, currency: 'EUR', mean_recency_days: 0, mean_orders: 5, revenue_per_customer: 500 },
      {
        segment: 'potential_loyalists',
        customers: 1,
        share: 0.2,
        revenue: 80,
        currency: 'EUR',
        mean_recency_days: 3,
        mean_orders: 2,
        revenue_per_customer: 80,
      },
      { segment: 'about_to_sleep', customers: 1, share: 0.2, revenue: 20, currency: 'EUR', mean_recency_days: 10, mean_orders: 1, revenue_per_customer: 20 },
      { segment: 'at_risk', customers: 1, share: 0.2, revenue: 400, currency: 'EUR', mean_recency_days: 40, mean_orders: 4, revenue_per_customer: 400 },
      { segment: 'hibernating', customers: 1, share: 0.2, revenue: 20, currency: 'EUR', mean_recency_days: 90, mean_orders: 1, revenue_per_customer: 20 },
    ]);
    expect(body.segments.map((row: { segment: string }) => row.segment)).toEqual([...RFM_SEGMENTS]);
  });

  it('scores over the customers in scope: a campaign keeps its acquired customers only', async () => {
    await seeded;
    const body = await json(await call('GET', `/api/v1/reports/rfm?${range}&campaign_id=${campaignId}`, { now }));
    expect(body.rows).toEqual([{ channel: 'email', customers: 2, ...zero, loyal: 1, hibernating: 1 }]);
  });

  it('exports the channel table and the segment table as CSV', async () => {
    await seeded;
    const channels = await call('GET', `/api/v1/reports/rfm?${range}&format=csv`, { now });
    expect(channels.headers.get('Content-Type')).toContain('text/csv');
    expect((await channels.text()).split('\r\n')).toEqual([
      `channel,customers,${RFM_SEGMENTS.join(',')}`,
      'direct,3,0,0,0,0,0,0,1,1,0,1,0',
      'email,2,1,0,1,0,0,0,0,0,0,0,0',
      'total,5,1,0,1,0,0,0,1,1,0,1,0',
      '',
    ]);
    const segments = await (await call('GET', `/api/v1/reports/rfm?${range}&format=csv&table=segments`, { now })).text();
    expect(segments.split('\r\n').slice(0, 3)).toEqual([
      'segment,customers,share,revenue,currency,mean_recency_days,mean_orders,revenue_per_customer',
      'champions,1,0.2,500.00,EUR,0,5,500.00',
      'loyal,0,0,0.00,EUR,,,',
    ]);
  });

  it('shows the segments, the score map and the counts per channel on /reports/rfm, with the CSV links', async () => {
    await seeded;
    const html = await (await visit(await browserAt(now), 'GET', `/reports/rfm?${range}`, undefined, { now })).text();
    expect(html).toContain(
      '<tr data-segment="champions"><th scope="row" class="key">Champions</th><td class="num" data-col="customers">1</td><td class="num" data-col="share">20%</td><td class="num" data-col="revenue">€500.00</td>',
    );
    expect(html).toContain('<td class="seg-cant_lose_them" data-segment="cant_lose_them">Can&#39;t lose them</td>');
    expect(html).toContain('<tr data-channel="direct"><th scope="row" class="key">Direct</th><td class="num" data-col="customers">3</td>');
    expect(html).toContain(`href="/reports/data/rfm?from=2071-03-01&amp;to=2071-06-29&amp;table=segments&amp;format=csv"`);
  });

  it('combines the customers of several databases (conversions sharded by customer): quintiles over all of them', async () => {
    await seeded;
    await migrateShardDatabases();
    // rfm-f lives on another database: one direct sale of 60 on d115 (recency 5).
    const hash = await customerHashOf(env as Bindings, 'rfm-f');
    await env.TOUCH_DB_1.prepare(
      `INSERT OR IGNORE INTO conversions (id, type, order_id, customer_hash, value, currency, occurred_at, day, lookback_days, created_at)
       VALUES ('cnv_RFMSHARD', 'sale', 'rfm-f-0', ?1, 60, 'EUR', ?2, substr(?2, 1, 10), 30, ?2)`,
    )
      .bind(hash, clock.iso(115))
      .run();
    const main = createDb(env.DB);
    const filter = { from: '2071-03-01', to: '2071-06-29' };
    /*
     * Six customers: R a5 b4 f3 c3 d2 e1; F (c, e, f tie at 1) 2, b3, d4, a5; M c, e 1, f 3, b 3, d 4, a 5.
     * f R3 FM2 and c R3 FM1 about to sleep, e R1 FM1 lost; a, b, d as before.
     */
    const both = await rfmReport(main, filter, [main, createDb(env.TOUCH_DB_1)]);
    expect(both.rows).toEqual([
      { channel: 'direct', customers: 4, ...zero, about_to_sleep: 2, at_risk: 1, lost: 1 },
      { channel: 'email', customers: 2, ...zero, champions: 1, potential_loyalists: 1 },
    ]);
    expect((await rfmReport(main, filter)).totals.customers).toBe(5);
  });

  it('refuses an unknown table with 400', async () => {
    const response = await call('GET', `/api/v1/reports/rfm?${range}&table=customers`, { now });
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('validation_error');
  });
});

/*
 * Cohorts by hand (days from 1 March 2072 10:00 UTC; read on day 200 = 17 September; range March … April):
 *   co-p (email through the journey's click, member): 100 on d0 (1 Mar), 50 on d35 (5 Apr), 30 on d70 (10 May)
 *   co-q (direct): 40 on d5 (6 Mar), 60 USD on d31 (1 Apr) at 0.9 → 54 EUR
 *   co-s (direct, member): 80 on d40 (10 Apr), 20 on d100 (9 Jun)
 *   co-t (direct): first sale d100 (June) — after the range; co-u (direct): first sale d-10 (19 Feb) — before it
 * 2072-03 (p, q), months 0 … 6: buyers 2 2 1 0 0 0 0, revenue 140, 104, 30, 0 …
 * 2072-04 (s), months 0 … 5: buyers 1 0 1 0 0 0, revenue 80, 0, 20, 0 …
 */
describe('GET /api/v1/reports/cohorts', () => {
  const clock = clockOf(2072);
  const now = () => clock.at(200);
  let campaignId = '';
  const seeded = (async () => {
    const journey = await storeJourney('Cohorts', clock);
    campaignId = journey.campaignId;
    expect((await call('PUT', '/api/v1/exchange-rates', { body: { rates: [{ currency: 'USD', day: '2072-03-01', rate: 0.9 }] } })).status).toBe(200);
    await sales(
      clock,
      now,
      'co-p',
      [
        [0.5, 100],
        [35, 50],
        [70, 30],
      ],
      journey.referral.id,
    );
    await sales(clock, now, 'co-q', [
      [5, 40],
      [31, 60, 'USD'],
    ]);
    await sales(clock, now, 'co-s', [
      [40, 80],
      [100, 20],
    ]);
    await sales(clock, now, 'co-t', [[100, 10]]);
    await sales(clock, now, 'co-u', [
      [-10, 10],
      [10, 10],
    ]);
    await memberWith('co-p', 0);
    await memberWith('co-s', 0);
  })();
  const range = 'from=2072-03-01&to=2072-04-30';
  /** Cells of a cohort of `size` from its buyers and revenue per month since (each buyer placed one order in the month). */
  const cells = (size: number, buyers: number[], revenue: number[]) =>
    buyers.map((customers, month) => ({ month, customers, share: Math.round((customers / size) * 1e6) / 1e6, orders: customers, revenue: revenue[month] }));
  const march = { cohort: '2072-03', customers: 2, cells: cells(2, [2, 2, 1, 0, 0, 0, 0], [140, 104, 30, 0, 0, 0, 0]) };
  const april = { cohort: '2072-04', customers: 1, cells: cells(1, [1, 0, 1, 0, 0, 0], [80, 0, 20, 0, 0, 0]) };

  it('groups the first purchases of the range by month against months since, in the reporting currency', async () => {
    await seeded;
    const response = await call('GET', `/api/v1/reports/cohorts?${range}`, { now });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      from: '2072-03-01',
      to: '2072-04-30',
      channel: null,
      campaign_id: null,
      membership: null,
      currency: 'EUR',
      missing_rates: [],
      months: 7,
      cohorts: [march, april],
    });
  });

  it('filters by acquisition channel, campaign and membership', async () => {
    await seeded;
    const read = async (query: string) => (await json(await call('GET', `/api/v1/reports/cohorts?${range}&${query}`, { now }))).cohorts;
    const onlyP = [{ cohort: '2072-03', customers: 1, cells: cells(1, [1, 1, 1, 0, 0, 0, 0], [100, 50, 30, 0, 0, 0, 0]) }];
    expect(await read('channel=email')).toEqual(onlyP);
    expect(await read(`campaign_id=${campaignId}`)).toEqual(onlyP);
    expect(await read('membership=member')).toEqual([onlyP[0], april]);
    expect(await read('membership=non_member')).toEqual([{ cohort: '2072-03', customers: 1, cells: cells(1, [1, 1, 0, 0, 0, 0, 0], [40, 54, 0, 0, 0, 0, 0]) }]);
    expect(await read('channel=direct&membership=member')).toEqual([april]);
    expect(await read('channel=social')).toEqual([]);
  });

  it('exports one CSV line per cohort and month since', async () => {
    await seeded;
    const response = await call('GET', `/api/v1/reports/cohorts?${range}&channel=direct&membership=member&format=csv`, { now });
    expect(response.headers.get('Content-Type')).toContain('text/csv');
    expect((await response.text()).split('\r\n')).toEqual([
      'cohort,cohort_customers,month,customers,share,orders,revenue,currency',
      '2072-04,1,0,1,1,1,80.00,EUR',
      '2072-04,1,1,0,0,0,0.00,EUR',
      '2072-04,1,2,1,1,1,20.00,EUR',
      '2072-04,1,3,0,0,0,0.00,EUR',
      '2072-04,1,4,0,0,0,0.00,EUR',
      '2072-04,1,5,0,0,0,0.00,EUR',
      '',
    ]);
  });

  it('shows the cohorts as a heat map table with a legend on /reports/cohorts, filters kept', async () => {
    await seeded;
    const browser = await browserAt(now);
    const html = await (await visit(browser, 'GET', `/reports/cohorts?${range}&membership=member`, undefined, { now })).text();
    expect(html).toContain('<tr data-cohort="2072-04"><th scope="row" class="key">2072-04</th><td class="num" data-col="customers">1</td>');
    expect(html).toContain(
      '<td class="num heat h5" title="2072-04, month 0: 1 of 1 customers (100%) bought, 1 orders, €80.00" data-month="0" data-share="1"><span class="share">100%</span><span class="rev">€80.00</span></td>',
    );
    expect(html).toContain('<td class="num heat h0" title="2072-04, month 1: 0 of 1 customers (0%) bought, 0 orders, €0.00" data-month="1" data-share="0">');
    expect(html).toContain('<option value="member" selected="">Members</option>');
    expect(html).toContain('<li data-level="3"><span class="swatch heat h3" aria-hidden="true"></span>25% – 50%</li>');
    expect(html).toContain(`href="/reports/data/cohorts?from=2072-03-01&amp;to=2072-04-30&amp;membership=member&amp;format=csv"`);
    const all = await (await visit(browser, 'GET', `/reports/cohorts?${range}`, undefined, { now })).text();
    expect(all).toContain('data-month="2" data-share="0.5"><span class="share">50%</span>');
  });

  it('refuses an unknown channel or membership with 400 and changes nothing', async () => {
    for (const query of ['channel=tv', 'membership=gold']) {
      const response = await call('GET', `/api/v1/reports/cohorts?${range}&${query}`, { now });
      expect(response.status).toBe(400);
      expect((await json(response)).error.code).toBe('validation_error');
    }
  });
});

describe('RFM and cohorts without customers, and with a sale lacking an exchange rate', () => {
  const clock = clockOf(2073);
  const now = () => clock.at(60);

  it('answers empty tables for a range nobody bought in', async () => {
    const rfm = await json(await call('GET', '/api/v1/reports/rfm?from=2073-01-01&to=2073-01-31', { now }));
    expect([rfm.rows, rfm.totals, rfm.segments.every((row: { customers: number }) => row.customers === 0)]).toEqual([
      [],
      { channel: 'total', customers: 0, ...zero },
      true,
    ]);
    const cohorts = await json(await call('GET', '/api/v1/reports/cohorts?from=2073-01-01&to=2073-01-31', { now }));
    expect([cohorts.cohorts, cohorts.months]).toEqual([[], 0]);
  });

  it('counts a sale without a rate as an order worth 0 and names its currency', async () => {
    await sales(clock, now, 'nr-a', [[1, 5000, 'JPY']]);
    const rfm = await json(await call('GET', '/api/v1/reports/rfm?from=2073-03-01&to=2073-03-31', { now }));
    expect(rfm.missing_rates).toEqual(['JPY']);
    expect(rfm.segments.find((row: { customers: number }) => row.customers === 1)).toMatchObject({ segment: 'need_attention', revenue: 0, mean_orders: 1 });
    const cohorts = await json(await call('GET', '/api/v1/reports/cohorts?from=2073-03-01&to=2073-03-31', { now }));
    expect([cohorts.missing_rates, cohorts.cohorts[0].cells[0]]).toEqual([['JPY'], { month: 0, customers: 1, share: 1, orders: 1, revenue: 0 }]);
  });
});
