import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';
import { clockOf, storeJourney } from '../support/attribution-fixture';

/*
 * The dataset, by hand (days from 1 March, 10:00 UTC):
 *   campaign "Spring" with three links: email, qr (offline), referral — one link per channel.
 *   one visitor: email click d0 → scan d10 → referral click d20.
 *   sale 100 EUR d21 (referral click, customer alice: her first conversion → a new customer)
 *   sale  60 EUR d22 (same click, alice again: not new)
 *   sale  40 EUR d21¼ (no touch: direct, customer bob: new)
 * Spend:
 *   Spring d1 300 EUR, Spring d2 100 USD (1 USD = 0.9 EUR from d0 on → 90 EUR): 390 EUR,
 *     split over its links' channels 1/3 each → email 130, offline 130, referral 130;
 *   channel paid d3 50 EUR (no campaign).
 *   total 440 EUR.
 *
 * last_touch: referral 2 conversions, 160 revenue, 1 new customer;
 *   direct 1, 40, 1.
 *   referral: cost/conv 130/2 = 65, ROAS 160/130 = 1.230769, CAC 130/1 = 130
 *   email, offline: 0 conversions → cost/conv —, ROAS 0/130 = 0, CAC —
 *   paid (a row only because of its spend): cost/conv —, ROAS 0, CAC —
 *   direct: no spend → —, —, —
 *   totals: 440/3 = 146.67, 200/440 = 0.454545, 440/2 = 220
 * linear: both alice sales split 1/3 over email, offline, referral:
 *   each 0.666667 conversions, 160/3 = 53.33 revenue, 1/3 new customer (alice's first sale)
 *   each: cost/conv 130/0.666667 = 195.00, ROAS 53.33/130 = 0.410231, CAC 130/0.333333 = 390.00
 *   direct and totals as under last_touch.
 * Campaign report (the same under both models: every touch is Spring's):
 *   Spring: 2 conversions, 160 revenue, 1 new, spend 390 → 195, 160/390 = 0.410256, 390
 *   no campaign: direct's sale (1, 40, 1 new) and paid's 50 → 50, 40/50 = 0.8, 50
 */
const Y = 2045;
const clock = clockOf(Y);
const now = () => clock.at(25);
const range = `from=${Y}-03-01&to=${Y}-03-31`;

let seeded: Promise<{ campaignId: string }> | null = null;
function seed() {
  seeded ??= (async () => {
    const journey = await storeJourney('Spring', clock);
    const post = async (path: string, body: unknown) => {
      const response = await call('POST', path, { body, now });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    };
    await post('/api/v1/conversions', {
      type: 'sale',
      order_id: 'a-1',
      click_id: journey.referral.id,
      customer_ref: 'alice',
      value: 100,
      currency: 'EUR',
      occurred_at: clock.iso(21),
    });
    await post('/api/v1/conversions', {
      type: 'sale',
      order_id: 'a-2',
      click_id: journey.referral.id,
      customer_ref: 'alice',
      value: 60,
      currency: 'EUR',
      occurred_at: clock.iso(22),
    });
    await post('/api/v1/conversions', { type: 'sale', order_id: 'b-1', customer_ref: 'bob', value: 40, currency: 'EUR', occurred_at: clock.iso(21.25) });
    expect((await call('PUT', '/api/v1/exchange-rates', { body: { rates: [{ currency: 'USD', day: clock.date(0), rate: 0.9 }] } })).status).toBe(200);
    await post('/api/v1/spend', {
      spend: [
        { day: clock.date(1), campaign_id: journey.campaignId, amount: 300, currency: 'EUR' },
        { day: clock.date(2), campaign_id: journey.campaignId, amount: 100, currency: 'USD' },
        { day: clock.date(3), channel: 'paid', amount: 50, currency: 'EUR' },
      ],
    });
    return { campaignId: journey.campaignId };
  })();
  return seeded;
}

const report = async (path: string) => {
  const response = await call('GET', `/api/v1/reports/${path}`, { now });
  expect(response.status).toBe(200);
  return response;
};
const SPEND_KEYS = ['conversions', 'revenue', 'new_customers', 'spend', 'spend_unconverted', 'cost_per_conversion', 'roas', 'cac'] as const;
const pick = (row: Record<string, unknown>) => Object.fromEntries(SPEND_KEYS.map((key) => [key, row[key]]));
const figures = (conversions: number, revenue: number, newCustomers: number, spend: number, cpc: number | null, roas: number | null, cac: number | null) => ({
  conversions,
  revenue,
  new_customers: newCustomers,
  spend,
  spend_unconverted: [],
  cost_per_conversion: cpc,
  roas,
  cac,
});
const totals = figures(3, 200, 2, 440, 146.67, 0.454545, 220);

describe('spend in the channel report', () => {
  it('adds spend, cost per conversion, ROAS and CAC per channel under last_touch', async () => {
    await seed();
    const body = await json(await report(`channels?${range}&model=last_touch`));
    expect(body.rows.map((row: any) => [row.channel, pick(row)])).toEqual([
      ['offline', figures(0, 0, 0, 130, null, 0, null)],
      ['email', figures(0, 0, 0, 130, null, 0, null)],
      ['referral', figures(2, 160, 1, 130, 65, 1.230769, 130)],
      ['paid', figures(0, 0, 0, 50, null, 0, null)],
      ['direct', figures(1, 40, 1, 0, null, null, null)],
    ]);
    // The row added for paid's spend has no traffic.
    expect(body.rows[3]).toMatchObject({ visits: 0, unique_visitors: 0, clicks: 0, conversion_rate: null, currency: 'EUR', unconverted: [] });
    expect(pick(body.totals)).toEqual(totals);
    expect(body.missing_rates).toEqual([]);
  });

  it('takes conversions, revenue and new customers from the model: linear', async () => {
    await seed();
    const body = await json(await report(`channels?${range}&model=linear`));
    const third = figures(0.666667, 53.33, 0.333333, 130, 195, 0.410231, 390);
    expect(body.rows.map((row: any) => [row.channel, pick(row)])).toEqual([
      ['offline', third],
      ['email', third],
      ['referral', third],
      ['paid', figures(0, 0, 0, 50, null, 0, null)],
      ['direct', figures(1, 40, 1, 0, null, null, null)],
    ]);
    expect(pick(body.totals)).toEqual(totals);
  });

  it('counts new customers under a lookback override from recomputed credits', async () => {
    await seed();
    // 15 days: the sales' windows start on d6/d7, so only the scan (d10) and the referral click (d20) count.
    const body = await json(await report(`channels?${range}&model=linear&lookback_days=15`));
    const half = figures(1, 80, 0.5, 130, 130, 0.615385, 260);
    expect(body.rows.map((row: any) => [row.channel, pick(row)])).toEqual([
      ['offline', half],
      ['email', figures(0, 0, 0, 130, null, 0, null)],
      ['referral', half],
      ['paid', figures(0, 0, 0, 50, null, 0, null)],
      ['direct', figures(1, 40, 1, 0, null, null, null)],
    ]);
  });

  it("under markov (no stored per-conversion credit) scales each row's conversions by its linear share of new customers", async () => {
    await seed();
    const body = await json(await report(`channels?${range}&model=markov`));
    // Linear: offline, email and referral each credit 2/3 conversions of which 1/3 a new customer (share 1/2); direct 1 of 1.
    const share: Record<string, number> = { offline: 0.5, email: 0.5, referral: 0.5, paid: 0, direct: 1 };
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    for (const row of body.rows) {
      expect(row.new_customers).toBe(r6(row.conversions * share[row.channel]));
      expect(row.cac).toBe(row.spend > 0 && row.new_customers > 0 ? Math.round((row.spend / row.new_customers) * 100) / 100 : null);
    }
    expect(body.rows.map((row: any) => [row.channel, row.spend])).toEqual([
      ['offline', 130],
      ['email', 130],
      ['referral', 130],
      ['paid', 50],
      ['direct', 0],
    ]);
    expect(body.totals.spend).toBe(440);
  });

  it('answers the spend columns in CSV, money to the cent, after the metrics', async () => {
    await seed();
    const text = await (await report(`channels?${range}&model=last_touch&format=csv`)).text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'channel,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
    );
    expect(lines[3]).toBe('referral,1,1,1,0,0,0,2,160.00,EUR,,2,1,130.00,,65.00,1.230769,130.00');
    expect(lines[4]).toBe('paid,0,0,0,0,0,0,0,0.00,EUR,,,0,50.00,,,0,');
    expect(lines[6]).toBe('total,3,1,2,1,0,1,3,200.00,EUR,,1,2,440.00,,146.67,0.454545,220.00');
  });
});

describe('spend in the campaign report', () => {
  it.each(['last_touch', 'linear'])('puts campaign spend on its row and channel spend on the row without a campaign (%s)', async (model) => {
    const { campaignId } = await seed();
    const body = await json(await report(`campaigns?${range}&model=${model}`));
    expect(body.rows.map((row: any) => [row.campaign_id, row.campaign_name, pick(row)])).toEqual([
      [campaignId, 'Spring', figures(2, 160, 1, 390, 195, 0.410256, 390)],
      [null, null, figures(1, 40, 1, 50, 50, 0.8, 50)],
    ]);
    expect(pick(body.totals)).toEqual(totals);
    const text = await (await report(`campaigns?${range}&model=${model}&format=csv`)).text();
    expect(text.split('\r\n')[0]).toBe(
      'campaign_id,campaign_name,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate,new_customers,spend,spend_unconverted,cost_per_conversion,roas,cac',
    );
    expect(text.split('\r\n')[1]).toBe(`${campaignId},Spring,3,1,2,1,0,1,2,160.00,EUR,,0.666667,1,390.00,,195.00,0.410256,390.00`);
  });

  it('keeps spend without a rate for its day apart and leaves the ratios empty', async () => {
    const { campaignId } = await seed();
    // No GBP rate exists: the 20 GBP stay GBP, and the row's ratios would flatter it, so they are null.
    expect((await call('POST', '/api/v1/spend', { body: { day: clock.date(4), campaign_id: campaignId, amount: 20, currency: 'GBP' }, now })).status).toBe(200);
    const body = await json(await report(`campaigns?${range}&model=last_touch&campaign_id=${campaignId}`));
    expect(body.missing_rates).toEqual(['GBP']);
    expect(body.rows.map(pick)).toEqual([{ ...figures(2, 160, 1, 390, null, null, null), spend_unconverted: [{ currency: 'GBP', amount: 20 }] }]);
    const text = await (await report(`campaigns?${range}&model=last_touch&campaign_id=${campaignId}&format=csv`)).text();
    expect(text.split('\r\n')[1]).toBe(`${campaignId},Spring,3,1,2,1,0,1,2,160.00,EUR,,0.666667,1,390.00,GBP:20.00,,,`);
    expect(
      (
        await call(
          'DELETE',
          `/api/v1/spend/${(await json(await call('GET', `/api/v1/spend?from=${clock.date(4)}&to=${clock.date(4)}`, { now }))).data[0].id}`,
          { now },
        )
      ).status,
    ).toBe(204);
  });
});
