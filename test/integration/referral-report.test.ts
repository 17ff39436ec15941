import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';
import { at, convert, referralOf, rewardedCampaign, visit } from '../support/referral-fixture';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const DAY = 24 * 60;

/**
 * Campaign A: alice's link is opened by bob twice (one browser), by carol once and by a bot;
 * bob buys 50 then 70 (a repeat), carol signs up then buys 30; next day dan opens it once.
 * kim's link (A) is opened once by eve. Campaign B: lou's link brings mo (40 USD) and nina (10 EUR).
 */
async function fixture(run: number) {
  // Each test gets its own ten days and customers: storage is shared by the tests of a file.
  const m = (minutes: number) => run * 10 * DAY + minutes;
  const ref = (name: string) => `${name}-${run}`;
  const a = await rewardedCampaign({ name: 'Campaign A' });
  const b = await rewardedCampaign({ name: 'Campaign B', referral_reward: null });
  const alice = await referralOf(a.id, ref('alice'));
  const kim = await referralOf(a.id, ref('kim'));
  const lou = await referralOf(b.id, ref('lou'));
  const bob = await visit(alice.code, m(1));
  await visit(alice.code, m(2), bob.visitorId);
  const carol = await visit(alice.code, m(3));
  await visit(alice.code, m(4), undefined, GOOGLEBOT);
  await convert(m(10), { order_id: ref('r-bob-1'), click_id: bob.clickId, customer_ref: ref('bob'), value: 50 });
  await convert(m(11), { type: 'lead', click_id: carol.clickId, customer_ref: ref('carol'), currency: undefined });
  await convert(m(12), { order_id: ref('r-carol-1'), click_id: carol.clickId, customer_ref: ref('carol'), value: 30 });
  await convert(m(13), { order_id: ref('r-bob-2'), customer_ref: ref('bob'), value: 70 });
  await visit(alice.code, m(DAY + 1));
  await visit(kim.code, m(5));
  const mo = await visit(lou.code, m(6));
  const nina = await visit(lou.code, m(7));
  await convert(m(14), { order_id: ref('r-mo-1'), click_id: mo.clickId, customer_ref: ref('mo'), value: 40, currency: 'USD' });
  await convert(m(15), { order_id: ref('r-nina-1'), click_id: nina.clickId, customer_ref: ref('nina'), value: 10 });
  return { a, b, alice, kim, lou };
}

/** mo's 40 USD: no USD rate is stored, so it is counted and flagged, not added to the EUR revenue. */
const usd40 = [{ currency: 'USD', conversions: 1, revenue: 40 }];
const report = (query: string, key?: string | null) => call('GET', `/api/v1/reports/referrals${query}`, { key, now: at(100 * DAY) });

describe('referral visits reclassified after they were written', () => {
  it('leave the report when found to be bots, and join it again when cleared', async () => {
    const campaign = await rewardedCampaign({ name: 'Reclassified' });
    const zoe = await referralOf(campaign.id, 'zoe-reclass');
    const first = await visit(zoe.code, 50 * DAY + 1);
    await visit(zoe.code, 50 * DAY + 2, first.visitorId);
    const second = await visit(zoe.code, 50 * DAY + 3);
    const rowOf = async () => {
      const body = await json(await report(`?from=2026-04-29&to=2026-04-29&campaign_id=${campaign.id}`));
      return body.rows.map((row: any) => [row.referrer, row.visits, row.unique_visitors]);
    };
    expect(await rowOf()).toEqual([[zoe.code, 3, 2]]);
    const reclassify = (id: string, isBot: 0 | 1) =>
      env.DB.prepare("UPDATE touches SET is_bot = ?2, bot_reason = iif(?2, 'user_agent', NULL), device_class = iif(?2, 'bot', 'mobile') WHERE id = ?1")
        .bind(id, isBot)
        .run();
    await reclassify(second.clickId, 1);
    expect(await rowOf()).toEqual([[zoe.code, 2, 1]]);
    await reclassify(first.clickId, 1);
    expect(await rowOf()).toEqual([[zoe.code, 1, 1]]);
    await reclassify(first.clickId, 0);
    await reclassify(second.clickId, 0);
    expect(await rowOf()).toEqual([[zoe.code, 3, 2]]);
  });
});

describe('GET /api/v1/reports/referrals', () => {
  it('sums visits, friends, signups, first sales and revenue per referrer, and the K-factor per campaign', async () => {
    const { a, b, alice, kim, lou } = await fixture(0);
    const response = await report('?from=2026-03-10&to=2026-03-10');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      from: '2026-03-10',
      to: '2026-03-10',
      currency: 'EUR',
      missing_rates: ['USD'],
      rows: [
        { referrer: alice.code, campaign_id: a.id, visits: 3, unique_visitors: 2, signups: 1, sales: 2, revenue: 80, currency: 'EUR', unconverted: [] },
        { referrer: lou.code, campaign_id: b.id, visits: 2, unique_visitors: 2, signups: 0, sales: 2, revenue: 10, currency: 'EUR', unconverted: usd40 },
        { referrer: kim.code, campaign_id: a.id, visits: 1, unique_visitors: 1, signups: 0, sales: 0, revenue: 0, currency: 'EUR', unconverted: [] },
      ],
      totals: { visits: 6, unique_visitors: 5, signups: 1, sales: 4, revenue: 90, currency: 'EUR', unconverted: usd40 },
      campaigns: [
        { campaign_id: a.id, referring_customers: 2, referred_customers: 2, k_factor: 1 },
        { campaign_id: b.id, referring_customers: 1, referred_customers: 2, k_factor: 2 },
      ].sort((x, y) => x.campaign_id.localeCompare(y.campaign_id)),
    });
  });

  it('filters by day range and campaign', async () => {
    const { a, b, alice, lou } = await fixture(1);
    const nextDay = await json(await report('?from=2026-03-21&to=2026-03-21'));
    expect(nextDay.rows).toEqual([
      { referrer: alice.code, campaign_id: a.id, visits: 1, unique_visitors: 1, signups: 0, sales: 0, revenue: 0, currency: 'EUR', unconverted: [] },
    ]);
    expect(nextDay.campaigns).toEqual([{ campaign_id: a.id, referring_customers: 1, referred_customers: 0, k_factor: 0 }]);
    const onlyB = await json(await report(`?from=2026-03-20&to=2026-03-29&campaign_id=${b.id}`));
    expect(onlyB.rows.map((row: any) => [row.referrer, row.currency, row.revenue, row.unconverted])).toEqual([[lou.code, 'EUR', 10, usd40]]);
    const whole = await json(await report('?from=2026-03-20&to=2026-03-29'));
    expect(whole.rows[0]).toMatchObject({ referrer: alice.code, visits: 4, unique_visitors: 3 });
  });

  it('exports CSV with the JSON columns', async () => {
    const { a, alice, kim } = await fixture(2);
    const response = await report(`?from=2026-03-30&to=2026-03-30&campaign_id=${a.id}&format=csv`);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="referrals-2026-03-30-2026-03-30.csv"');
    expect(await response.text()).toBe(
      'referrer,campaign_id,visits,unique_visitors,signups,sales,revenue,currency,unconverted\r\n' +
        `${alice.code},${a.id},3,2,1,2,80.00,EUR,\r\n` +
        `${kim.code},${a.id},1,1,0,0,0.00,EUR,\r\n` +
        'total,,4,3,1,2,80.00,EUR,\r\n',
    );
  });

  it('answers 401 without a key, 403 without reports:read, 400 for a bad range', async () => {
    expect((await report('', null)).status).toBe(401);
    expect((await report('', await makeKey(['links:write']))).status).toBe(403);
    const badDay = await report('?from=2026-02-30');
    expect(badDay.status).toBe(400);
    expect((await json(badDay)).error.code).toBe('validation_error');
    const reversed = await report('?from=2026-03-10&to=2026-03-01');
    expect(await json(reversed)).toEqual({ error: { code: 'validation_error', message: 'to: must not be before from' } });
    expect((await report('?format=xml')).status).toBe(400);
    expect((await report('', await makeKey(['reports:read']))).status).toBe(200);
  });
});
