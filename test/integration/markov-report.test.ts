/**
 * model=markov in the reports, on four journeys solved by hand (docs/DESIGN.md "Data-driven model"):
 *   V1 email (day 0) → paid (day 1) → sale 100 EUR (day 2)      V2 email (day 0) → sale 50 EUR (day 2)
 *   V3 email (day 0) → paid (day 1), no conversion              V4 paid (day 0), no conversion
 * Chain: start→email 3/4, start→paid 1/4; email→paid 2/3, email→conversion 1/3; paid→conversion 1/3, paid→null 2/3.
 * P(conversion) = 3/4·(1/3 + 2/3·1/3) + 1/4·1/3 = 1/2; without email 1/12 (effect 5/6), without paid 1/4 (effect 1/2).
 * Conversions 2 → email 2·(5/6)/(4/3) = 1.25, paid 0.75.
 * Value: from paid a conversion is worth 100, from email 50; E = 37.5; without email 100/12 (effect 7/9), without
 * paid 12.5 (effect 2/3). Revenue 150 → email 150·7/13 = 80.77, paid 150·6/13 = 69.23.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { fitRequestedMarkov, markovFitPolicy, refreshMarkovFit, runMarkovCron } from '../../src/services/markov-store';
import { ADMIN, call, json, makeCampaign, makeLink } from '../helpers';
import { newBrowser, signIn, signedIn, visit } from '../support/dashboard';
import { clockOf, storeTouches, touchRow } from '../support/attribution-fixture';

const clock = clockOf(2041);
const now = () => clock.at(20);
const range = 'from=2041-03-01&to=2041-03-31';

async function seed() {
  const campaign = await makeCampaign({ name: 'Markov' });
  const email = (await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email' })).id;
  const paid = (await makeLink({ campaign_id: campaign.id, utm_medium: 'cpc' })).id;
  const touch = (visitor: string, channel: 'email' | 'paid', day: number) =>
    touchRow({ campaign_id: campaign.id, link_id: channel === 'email' ? email : paid, visitor_id: visitor, channel, occurred_at: clock.iso(day) });
  await storeTouches([
    touch('v_M1', 'email', 0),
    touch('v_M1', 'paid', 1),
    touch('v_M2', 'email', 0),
    touch('v_M3', 'email', 0),
    touch('v_M3', 'paid', 1),
    touch('v_M4', 'paid', 0),
  ]);
  for (const [visitor, value] of [
    ['v_M1', 100],
    ['v_M2', 50],
  ] as const) {
    const response = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: `o-${visitor}`, visitor_id: visitor, value, currency: 'EUR', occurred_at: clock.iso(2) },
      now,
    });
    expect(response.status).toBe(201);
  }
  return campaign.id as string;
}

const report = async (path: string) => {
  const response = await call('GET', `/api/v1/reports/${path}`, { now });
  expect(response.status).toBe(200);
  return response;
};

describe('model=markov', () => {
  it('credits channels by removal effect over every journey of the range, and says so', async () => {
    const campaignId = await seed();
    const body = await json(await report(`channels?${range}&model=markov`));
    expect(body.model).toBe('markov');
    const rows = Object.fromEntries(body.rows.map((row: any) => [row.channel, [row.conversions, row.revenue, row.removal_effect]]));
    expect(rows).toEqual({ email: [1.25, 80.77, 0.833333], paid: [0.75, 69.23, 0.5] });
    expect([body.totals.conversions, body.totals.revenue]).toEqual([2, 150]);
    expect(body.markov).toEqual({
      status: 'fitted',
      requested_at: null,
      journeys: 4,
      converting_journeys: 2,
      max_steps: 3,
      computed_at: null,
      channels: [
        { channel: 'email', removal_effect: 0.833333, removal_effect_value: 0.777778, conversions: 1.25, revenue: 80.77 },
        { channel: 'paid', removal_effect: 0.5, removal_effect_value: 0.666667, conversions: 0.75, revenue: 69.23 },
      ],
    });

    // The rule-based models are unchanged beside it: linear gives email 1.5 and paid 0.5.
    const linear = await json(await report(`channels?${range}&model=linear`));
    expect(linear.rows.map((row: any) => [row.channel, row.conversions, row.revenue])).toEqual([
      ['email', 1.5, 100],
      ['paid', 0.5, 50],
    ]);
    expect(linear.markov).toBeUndefined();

    // Other dimensions keep their linear shares, scaled per channel: one campaign holds all of it.
    const campaigns = await json(await report(`campaigns?${range}&model=markov`));
    expect(campaigns.rows.map((row: any) => [row.campaign_id, row.conversions, row.revenue])).toEqual([[campaignId, 2, 150]]);
    const series = await json(await report(`timeseries?${range}&model=markov`));
    expect(series.rows.find((row: any) => row.bucket === '2041-03-03')).toMatchObject({ conversions: 2, revenue: 150 });
  });

  it('CSV of the channels report carries the removal effect', async () => {
    const csv = await (await report(`channels?${range}&model=markov&format=csv`)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0].split(',').slice(-1)).toEqual(['removal_effect']);
    expect(lines[1].startsWith('email,')).toBe(true);
    expect(lines[1].split(',').slice(-1)).toEqual(['0.833333']);
  });

  it('the email report takes model=markov: the email links scaled to the email channel', async () => {
    const body = await json(await report(`email?${range}&model=markov`));
    expect([body.totals.conversions, body.totals.revenue]).toEqual([1.25, 80.77]);
  });

  it('reads the fit the cron stored for the trailing 30 days, says when it was computed, and refits it hourly', async () => {
    const db = createDb(env.DB);
    // The cron's range at day 20 is the 30 days up to 2041-03-21; the API's default range is the same.
    const first = clock.at(20);
    expect(await refreshMarkovFit(db, first)).toBe(true);
    expect(await refreshMarkovFit(db, first + 59 * 60_000)).toBe(false);
    const stored = await json(await call('GET', '/api/v1/reports/channels?model=markov', { now: () => first + 60_000 }));
    expect(stored.from).toBe('2041-02-20');
    expect(stored.markov.computed_at).toBe(new Date(first).toISOString());
    expect(stored.rows.map((row: any) => [row.channel, row.conversions, row.revenue])).toEqual([
      ['email', 1.25, 80.77],
      ['paid', 0.75, 69.23],
    ]);
    // An hour later the cron refits; another range is fitted at read time.
    expect(await refreshMarkovFit(db, first + 61 * 60_000)).toBe(true);
    const refitted = await json(await call('GET', '/api/v1/reports/channels?model=markov', { now: () => first + 62 * 60_000 }));
    expect(refitted.markov.computed_at).toBe(new Date(first + 61 * 60_000).toISOString());
    expect((await json(await report(`channels?${range}&model=markov`))).markov.computed_at).toBeNull();
  });

  it('the dashboard shows the removal effects on the reports page and markov beside the five models', async () => {
    const browser = await signedIn();
    const page = await (await visit(browser, 'GET', `/reports?${range}&model=markov`)).text();
    const effects = page.slice(page.indexOf('id="removal-effects"'));
    expect(effects).toContain('Computed from 4 journeys of the range, 2 of them converting.');
    expect(/data-channel="email">.*?data-col="removal_effect">([^<]+)</s.exec(effects)?.[1]).toBe('83.3%');
    expect(/data-channel="paid">.*?data-col="removal_effect">([^<]+)</s.exec(effects)?.[1]).toBe('50%');
    const models = await (await visit(browser, 'GET', `/reports/models?${range}`)).text();
    expect(models).toContain('Data-driven (Markov)');
    expect(/<td class="num" data-model="markov" data-col="conversions">([^<]+)</.exec(models.slice(models.indexOf('data-channel="email"')))?.[1]).toBe('1.25');
  });

  it('a range above MARKOV_READ_TIME_TOUCHES answers at once with linear credit and "computing", then the fit the cron stores', async () => {
    const db = createDb(env.DB);
    // The range holds 6 human touches: up to 6 it is fitted at read time, above it is requested.
    const readTime = await json(await call('GET', `/api/v1/reports/channels?${range}&model=markov`, { now, env: { MARKOV_READ_TIME_TOUCHES: '6' } }));
    expect(readTime.markov.status).toBe('fitted');
    expect(readTime.markov.computed_at).toBeNull();
    const large = { MARKOV_READ_TIME_TOUCHES: '5' };
    const asked = clock.at(20);
    const computing = await json(await call('GET', `/api/v1/reports/channels?${range}&model=markov`, { now: () => asked, env: large }));
    expect(computing.rows.map((row: any) => [row.channel, row.conversions, row.revenue, row.removal_effect])).toEqual([
      ['email', 1.5, 100, null],
      ['paid', 0.5, 50, null],
    ]);
    expect(computing.markov).toEqual({
      status: 'computing',
      requested_at: new Date(asked).toISOString(),
      journeys: null,
      converting_journeys: null,
      max_steps: null,
      computed_at: null,
      channels: [],
    });
    // The email report says the same; a second request for the range is the same request (its first time kept).
    const email = await json(await call('GET', `/api/v1/reports/email?${range}&model=markov`, { now: () => asked + 60_000, env: large }));
    expect([email.totals.conversions, email.markov.status, email.markov.requested_at]).toEqual([1.5, 'computing', new Date(asked).toISOString()]);
    const requests = await env.DB.prepare('SELECT from_day, to_day, currency, requested_at FROM markov_fit_requests').all();
    expect(requests.results).toEqual([{ from_day: '2041-03-01', to_day: '2041-03-31', currency: 'EUR', requested_at: new Date(asked).toISOString() }]);

    // The cron fits it (and the trailing range's refit leaves it alone); the report serves it, the same numbers as at read time.
    const cron = asked + 2 * 60_000;
    expect(await fitRequestedMarkov(db, cron)).toBe(1);
    expect(await fitRequestedMarkov(db, cron + 60_000)).toBe(0);
    expect(await refreshMarkovFit(db, clock.at(21))).toBe(true);
    const served = await json(await call('GET', `/api/v1/reports/channels?${range}&model=markov`, { now: () => cron + 120_000, env: large }));
    expect(served.rows).toEqual(readTime.rows);
    expect(served.markov).toEqual({ ...readTime.markov, computed_at: new Date(cron).toISOString(), requested_at: new Date(asked).toISOString() });
    expect(served.rows.map((row: any) => [row.channel, row.conversions, row.revenue, row.removal_effect])).toEqual([
      ['email', 1.25, 80.77, 0.833333],
      ['paid', 0.75, 69.23, 0.5],
    ]);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM markov_fit_requests').first())?.n).toBe(0);

    // Requested fits are kept 7 days after they were computed: the cron's next requested fit after that drops it.
    await call('GET', `/api/v1/reports/channels?from=2041-03-01&to=2041-03-29&model=markov`, { now: () => cron, env: large });
    expect(await fitRequestedMarkov(db, cron + 7 * 86_400_000 + 1)).toBe(1);
    const kept = await env.DB.prepare('SELECT from_day, to_day FROM markov_fits WHERE requested_at IS NOT NULL ORDER BY to_day').all();
    expect(kept.results).toEqual([{ from_day: '2041-03-01', to_day: '2041-03-29' }]);
  });

  it('a requested range still open when fitted is served, and requested again once its fit is an hour old', async () => {
    const db = createDb(env.DB);
    const open = `/api/v1/reports/channels?from=2041-03-01&to=2041-04-30&model=markov`;
    const large = { MARKOV_READ_TIME_TOUCHES: '5' };
    const asked = clock.at(20);
    expect((await json(await call('GET', open, { now: () => asked, env: large }))).markov.status).toBe('computing');
    expect(await fitRequestedMarkov(db, asked + 60_000)).toBe(1);
    const pending = () => env.DB.prepare('SELECT requested_at FROM markov_fit_requests').all();
    const served = await json(await call('GET', open, { now: () => asked + 60 * 60_000, env: large }));
    expect([served.markov.status, served.markov.computed_at]).toEqual(['fitted', new Date(asked + 60_000).toISOString()]);
    expect((await pending()).results).toEqual([]);
    const stale = await json(await call('GET', open, { now: () => asked + 61 * 60_000, env: large }));
    expect([stale.markov.status, stale.markov.computed_at]).toEqual(['fitted', new Date(asked + 60_000).toISOString()]);
    expect((await pending()).results).toEqual([{ requested_at: new Date(asked + 61 * 60_000).toISOString() }]);
    expect(await fitRequestedMarkov(db, asked + 62 * 60_000)).toBe(1);
    const refitted = await json(await call('GET', open, { now: () => asked + 63 * 60_000, env: large }));
    expect([refitted.markov.computed_at, refitted.markov.requested_at]).toEqual([
      new Date(asked + 62 * 60_000).toISOString(),
      new Date(asked + 61 * 60_000).toISOString(),
    ]);
  });

  it("a request the cron's trailing fit answers is closed without a second fit; the setting falls back to 200000", async () => {
    const db = createDb(env.DB);
    const asked = clock.at(25);
    const trailing = `/api/v1/reports/channels?from=2041-02-25&to=2041-03-26&model=markov`;
    const large = { MARKOV_READ_TIME_TOUCHES: '5' };
    expect((await json(await call('GET', trailing, { now: () => asked, env: large }))).markov.status).toBe('computing');
    await runMarkovCron(db, asked + 60_000);
    const fits = await env.DB.prepare(`SELECT computed_at, requested_at FROM markov_fits WHERE from_day = '2041-02-25'`).all();
    expect(fits.results).toEqual([{ computed_at: new Date(asked + 60_000).toISOString(), requested_at: null }]);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM markov_fit_requests').first())?.n).toBe(0);
    const served = await json(await call('GET', trailing, { now: () => asked + 120_000, env: large }));
    expect([served.markov.status, served.markov.requested_at, served.markov.computed_at]).toEqual(['fitted', null, new Date(asked + 60_000).toISOString()]);
    expect([undefined, '', 'many', '-1', '2.5', '0', '300000'].map((value) => markovFitPolicy({ MARKOV_READ_TIME_TOUCHES: value }, 0).readTimeTouches)).toEqual(
      [200_000, 200_000, 200_000, 200_000, 200_000, 0, 300_000],
    );
  });

  it('the dashboard says the range is being computed, in English and German', async () => {
    const asked = Date.UTC(2041, 3, 2, 8, 30);
    const options = { now: () => asked, env: { MARKOV_READ_TIME_TOUCHES: '0' } };
    const browser = newBrowser();
    await signIn(browser, ADMIN, { now: () => asked });
    const english = await (await visit(browser, 'GET', `/reports?from=2041-03-01&to=2041-03-30&model=markov`, undefined, options)).text();
    const notice = /id="markov-computing">([^<]+)</.exec(english)?.[1];
    expect(notice).toBe(
      'The data-driven model of this range is being computed by the scheduled job (requested at 2041-04-02 08:30 UTC). Until it is ready, the figures are the linear model&#39;s; reload the page in a few minutes.',
    );
    const german = await (
      await visit(browser, 'GET', `/reports?from=2041-03-01&to=2041-03-30&model=markov`, undefined, { ...options, headers: { 'Accept-Language': 'de' } })
    ).text();
    expect(/id="markov-computing">([^<]+)</.exec(german)?.[1]).toBe(
      'Das datengetriebene Modell dieses Zeitraums wird gerade vom geplanten Job berechnet (angefordert am 2041-04-02 08:30 UTC). Bis es fertig ist, zeigen die Zahlen das lineare Modell; laden Sie die Seite in einigen Minuten neu.',
    );
    const models = await (await visit(browser, 'GET', `/reports/models?from=2041-03-01&to=2041-03-30`, undefined, options)).text();
    expect(models).toContain('id="markov-computing"');
  });

  it('refuses an unknown model', async () => {
    const response = await call('GET', `/api/v1/reports/channels?${range}&model=shapley`, { now });
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('validation_error');
  });
});
