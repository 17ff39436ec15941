import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';
import { clockOf, storeJourney } from '../support/attribution-fixture';

/*
 * By hand (days from 1 March 2046, 10:00 UTC; the report is read on day 120):
 *   alice: first touch email (d0) → her first sale 100 € on d21 (acquisition channel email), 50 € on d40, 70 € on d100
 *   bob:   40 € on d21¼, no touch (direct), nothing after
 *   spend: campaign Spring 300 € on d1 (links email, qr, referral: 100 € each), channel email 60 € on d2 → email 160 €
 * email:  d30: 100 + 50 = 150, came back; d90: + 70 (d100 < d111) = 220; d365 not reached (d386 > d120)
 *         CAC 160 / 1 = 160; value ÷ CAC 150/160 = 0.9375, 220/160 = 1.375
 * direct: 40 at both marks, no repeat; no spend → no CAC
 * total:  d30 (150 + 40) / 2 = 95, repeat 0.5; d90 (220 + 40) / 2 = 130; spend 360 → CAC 180; 95/180 = 0.527778, 130/180 = 0.722222
 */
const Y = 2046;
const clock = clockOf(Y);
const now = () => clock.at(120);

let seeded: Promise<void> | null = null;
const seed = () => (seeded ??= store());

async function store() {
  const journey = await storeJourney('Spring', clock);
  const post = async (path: string, body: unknown) => {
    const response = await call('POST', path, { body, now });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  const sale = (order: string, customer: string, value: number, day: number, click?: string) =>
    post('/api/v1/conversions', {
      type: 'sale',
      order_id: order,
      customer_ref: customer,
      value,
      currency: 'EUR',
      occurred_at: clock.iso(day),
      ...(click ? { click_id: click } : {}),
    });
  await sale('cv-a1', 'alice', 100, 21, journey.referral.id);
  await sale('cv-a2', 'alice', 50, 40);
  await sale('cv-a3', 'alice', 70, 100);
  await sale('cv-b1', 'bob', 40, 21.25);
  await post('/api/v1/spend', {
    spend: [
      { day: clock.date(1), campaign_id: journey.campaignId, amount: 300, currency: 'EUR' },
      { day: clock.date(2), channel: 'email', amount: 60, currency: 'EUR' },
    ],
  });
}

const unreached = { customers_d365: 0, revenue_per_customer_d365: null, repeat_rate_d365: null, value_to_cac_d365: null };

describe('GET /api/v1/reports/customer-value', () => {
  it('gives value and repeat rate at 30 and 90 days per acquisition channel, the channel CAC and value ÷ CAC, JSON and CSV', async () => {
    await seed();
    const response = await call('GET', `/api/v1/reports/customer-value?from=${Y}-03-01&to=${Y}-03-31`, { now });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ from: `${Y}-03-01`, to: `${Y}-03-31`, currency: 'EUR', marks: [30, 90, 365], missing_rates: [] });
    expect(body.rows).toEqual([
      {
        channel: 'direct',
        currency: 'EUR',
        customers: 1,
        customers_d30: 1,
        revenue_per_customer_d30: 40,
        repeat_rate_d30: 0,
        customers_d90: 1,
        revenue_per_customer_d90: 40,
        repeat_rate_d90: 0,
        spend: 0,
        spend_unconverted: [],
        cac: null,
        value_to_cac_d30: null,
        value_to_cac_d90: null,
        ...unreached,
      },
      {
        channel: 'email',
        currency: 'EUR',
        customers: 1,
        customers_d30: 1,
        revenue_per_customer_d30: 150,
        repeat_rate_d30: 1,
        customers_d90: 1,
        revenue_per_customer_d90: 220,
        repeat_rate_d90: 1,
        spend: 160,
        spend_unconverted: [],
        cac: 160,
        value_to_cac_d30: 0.9375,
        value_to_cac_d90: 1.375,
        ...unreached,
      },
    ]);
    expect(body.totals).toEqual({
      channel: 'total',
      currency: 'EUR',
      customers: 2,
      customers_d30: 2,
      revenue_per_customer_d30: 95,
      repeat_rate_d30: 0.5,
      customers_d90: 2,
      revenue_per_customer_d90: 130,
      repeat_rate_d90: 0.5,
      spend: 360,
      spend_unconverted: [],
      cac: 180,
      value_to_cac_d30: 0.527778,
      value_to_cac_d90: 0.722222,
      ...unreached,
    });

    const text = await (await call('GET', `/api/v1/reports/customer-value?from=${Y}-03-01&to=${Y}-03-31&format=csv`, { now })).text();
    expect(text.split('\r\n')).toEqual([
      'channel,currency,customers,customers_d30,revenue_per_customer_d30,repeat_rate_d30,customers_d90,revenue_per_customer_d90,repeat_rate_d90,customers_d365,revenue_per_customer_d365,repeat_rate_d365,spend,cac,value_to_cac_d30,value_to_cac_d90,value_to_cac_d365',
      'direct,EUR,1,1,40.00,0,1,40.00,0,0,,,0.00,,,,',
      'email,EUR,1,1,150.00,1,1,220.00,1,0,,,160.00,160.00,0.9375,1.375,',
      'total,EUR,2,2,95.00,0.5,2,130.00,0.5,0,,,360.00,180.00,0.527778,0.722222,',
      '',
    ]);
  });

  it('counts a mark only for customers whose first purchase is that old', async () => {
    await seed();
    // Read on day 40: bob and alice are 19 days past their first sale — no mark reached yet.
    const body = await json(await call('GET', `/api/v1/reports/customer-value?from=${Y}-03-01&to=${Y}-03-31`, { now: () => clock.at(40) }));
    expect(body.totals).toMatchObject({ customers: 2, customers_d30: 0, revenue_per_customer_d30: null, repeat_rate_d30: null, value_to_cac_d30: null });
  });
});
