import { beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/lib/crypto';
import { call, columnsHolding, DESKTOP_CHROME, json, makeCampaign, makeKey, makeLink, MOBILE_SAFARI } from '../helpers';

const DAY = 86_400_000;
const T0 = Date.parse('2030-05-01T10:00:00Z');
const at = (days: number) => T0 + days * DAY;
const iso = (days: number) => new Date(at(days)).toISOString();
const later = () => at(60);

const fixture: { campaignId: string; emailLinkId: string } = { campaignId: '', emailLinkId: '' };

async function click(slug: string, days: number, ua: string, cookie?: string): Promise<string> {
  const headers: Record<string, string> = { 'User-Agent': ua };
  if (cookie) headers.Cookie = cookie;
  const response = await call('GET', `/${slug}`, { key: null, headers, now: () => at(days) });
  return new URL(response.headers.get('Location')!).searchParams.get('tp_click')!;
}

async function sale(orderId: string, days: number, value: number, customerRef: string, clickId?: string) {
  const body = {
    type: 'sale',
    order_id: orderId,
    value,
    currency: 'EUR',
    customer_ref: customerRef,
    occurred_at: iso(days),
    ...(clickId ? { click_id: clickId } : {}),
  };
  const response = await call('POST', '/api/v1/conversions', { body, now: later });
  if (response.status !== 201) throw new Error(await response.text());
}

beforeAll(async () => {
  const campaign = await makeCampaign({ name: 'Loyalty 2030' });
  const email = await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email', slug: 'loyal-mail' });
  await makeLink({ campaign_id: campaign.id, utm_medium: 'sms', slug: 'loyal-sms' });
  Object.assign(fixture, { campaignId: campaign.id, emailLinkId: email.id });
  // cust-A: email click day 0, sales 100 (day 1) and 50 (day 11) → email, repeat, 10 days between
  const a = await click('loyal-mail', 0, DESKTOP_CHROME, 'tp_vid=v_01JLOYALTY0000000000000AAA');
  await sale('L-1', 1, 100, 'cust-A', a);
  await sale('L-2', 11, 50, 'cust-A');
  // cust-B: sms click day 2, sale 30 day 3 → mobile; cust-C: no touch, sale 20 day 4 → direct
  await sale('L-3', 3, 30, 'cust-B', await click('loyal-sms', 2, MOBILE_SAFARI, 'tp_vid=v_01JLOYALTY0000000000000BBB'));
  await sale('L-4', 4, 20, 'cust-C');
  // email: one human open, one proxy open, one scanner click; cust-A's visitor returns on day 12
  await call('GET', '/o/loyal-mail.gif?rid=r1', { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: () => at(0) });
  await call('GET', '/o/loyal-mail.gif?rid=r1', { key: null, headers: { 'User-Agent': 'Mozilla/5.0' }, now: () => at(0) });
  await click('loyal-mail', 0, 'curl/8.5.0');
  await click('loyal-mail', 12, DESKTOP_CHROME, 'tp_vid=v_01JLOYALTY0000000000000AAA');
});

describe('GET /api/v1/reports/loyalty', () => {
  it('summarises customers acquired in the range per acquisition channel', async () => {
    const report = await json(await call('GET', '/api/v1/reports/loyalty?from=2030-05-01&to=2030-05-05'));
    expect(report.rows).toEqual([
      {
        channel: 'direct',
        currency: 'EUR',
        customers: 1,
        repeat_customers: 0,
        repeat_rate: 0,
        orders: 1,
        revenue: 20,
        revenue_per_customer: 20,
        orders_per_customer: 1,
        median_days_between_orders: null,
        unconverted: [],
      },
      {
        channel: 'email',
        currency: 'EUR',
        customers: 1,
        repeat_customers: 1,
        repeat_rate: 1,
        orders: 2,
        revenue: 150,
        revenue_per_customer: 150,
        orders_per_customer: 2,
        median_days_between_orders: 10,
        unconverted: [],
      },
      {
        channel: 'mobile',
        currency: 'EUR',
        customers: 1,
        repeat_customers: 0,
        repeat_rate: 0,
        orders: 1,
        revenue: 30,
        revenue_per_customer: 30,
        orders_per_customer: 1,
        median_days_between_orders: null,
        unconverted: [],
      },
    ]);
    expect(report.totals).toEqual({
      customers: 3,
      repeat_customers: 1,
      repeat_rate: 0.333333,
      orders: 4,
      revenue: 200,
      revenue_per_customer: 66.67,
      orders_per_customer: 1.333333,
      median_days_between_orders: 10,
      currency: 'EUR',
      unconverted: [],
    });
    expect(report.currency).toBe('EUR');
    expect(report.missing_rates).toEqual([]);
    expect(report.visitors).toEqual([
      { channel: 'email', new_visitors: 1, returning_visitors: 0 },
      { channel: 'mobile', new_visitors: 1, returning_visitors: 0 },
    ]);
    const returning = await json(await call('GET', '/api/v1/reports/loyalty?from=2030-05-13&to=2030-05-13'));
    expect(returning).toEqual({
      from: '2030-05-13',
      to: '2030-05-13',
      currency: 'EUR',
      missing_rates: [],
      rows: [],
      totals: {
        customers: 0,
        repeat_customers: 0,
        repeat_rate: 0,
        orders: 0,
        revenue: 0,
        revenue_per_customer: 0,
        orders_per_customer: 0,
        median_days_between_orders: null,
        currency: 'EUR',
        unconverted: [],
      },
      visitors: [{ channel: 'email', new_visitors: 0, returning_visitors: 1 }],
    });
  });

  it('filters by the acquisition campaign and offers CSV', async () => {
    const filtered = await json(await call('GET', `/api/v1/reports/loyalty?from=2030-05-01&to=2030-05-05&campaign_id=${fixture.campaignId}`));
    expect(filtered.rows.map((row: any) => row.channel)).toEqual(['email', 'mobile']);
    const csv = await call('GET', '/api/v1/reports/loyalty?from=2030-05-01&to=2030-05-05&format=csv');
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'channel,currency,customers,repeat_customers,repeat_rate,orders,revenue,revenue_per_customer,orders_per_customer,median_days_between_orders,unconverted',
      'direct,EUR,1,0,0,1,20.00,20.00,1,,',
      'email,EUR,1,1,1,2,150.00,150.00,2,10,',
      'mobile,EUR,1,0,0,1,30.00,30.00,1,,',
      'total,EUR,3,1,0.333333,4,200.00,66.67,1.333333,10,',
      '',
    ]);
  });
});

describe('GET /api/v1/reports/customers', () => {
  it('segments the buyers of the range by revenue', async () => {
    // revenue 150 (A, before 0 %), 30 (A, before 75 %), 20 (B, before 90 %)
    const report = await json(await call('GET', '/api/v1/reports/customers?from=2030-05-01&to=2030-05-12'));
    expect(report).toEqual({
      from: '2030-05-01',
      to: '2030-05-12',
      currency: 'EUR',
      missing_rates: [],
      unconverted: [],
      segments: [
        { segment: 'A', customers: 2, revenue: 180, share: 0.9, channels: { email: 1, mobile: 1 } },
        { segment: 'B', customers: 1, revenue: 20, share: 0.1, channels: { direct: 1 } },
        { segment: 'C', customers: 0, revenue: 0, share: 0, channels: {} },
      ],
      totals: { customers: 3, revenue: 200, share: 1 },
    });
  });
});

describe('GET /api/v1/reports/email', () => {
  it('separates human opens and clicks from machines and attributes the sales', async () => {
    const report = await json(await call('GET', `/api/v1/reports/email?from=2030-05-01&to=2030-05-12&campaign_id=${fixture.campaignId}`));
    expect(report.rows).toEqual([
      {
        campaign_id: fixture.campaignId,
        opens: 1,
        machine_opens: 1,
        human_clicks: 1,
        scanner_clicks: 1,
        ctr: 1,
        conversions: 2,
        revenue: 150,
        currency: 'EUR',
        unconverted: [],
      },
    ]);
  });
});

describe('GET /api/v1/reports/email with a newsletter link of kind link', () => {
  it('counts any link in the email channel, whatever its kind', async () => {
    const june = Date.parse('2031-06-02T09:00:00Z');
    const campaign = await makeCampaign({ name: 'Newsletter June 2031' });
    const news = await makeLink({ campaign_id: campaign.id, utm_source: 'newsletter', utm_medium: 'email', slug: 'june-news' });
    expect([news.kind, news.channel]).toEqual(['link', 'email']);
    await makeLink({ campaign_id: campaign.id, utm_medium: 'sms', slug: 'june-sms' });
    const get = (path: string, ua: string, cookie?: string) =>
      call('GET', path, { key: null, headers: { 'User-Agent': ua, ...(cookie ? { Cookie: cookie } : {}) }, now: () => june });
    await get('/o/june-news.gif?rid=r1', DESKTOP_CHROME);
    await get('/o/june-news.gif?rid=r2', MOBILE_SAFARI);
    await get('/o/june-news.gif?rid=r3', 'Mozilla/5.0');
    const human = await get('/june-news?rid=r1', DESKTOP_CHROME, 'tp_vid=v_01JJUNENEWS000000000000AAA');
    await get('/june-news?rid=r2', 'curl/8.5.0');
    await get('/june-sms', MOBILE_SAFARI, 'tp_vid=v_01JJUNENEWS000000000000BBB');
    const clickId = new URL(human.headers.get('Location')!).searchParams.get('tp_click')!;
    const body = { type: 'sale', order_id: 'JUNE-1', click_id: clickId, value: 80, currency: 'EUR', occurred_at: '2031-06-02T10:00:00.000Z' };
    expect((await call('POST', '/api/v1/conversions', { body, now: () => june + 3_600_000 })).status).toBe(201);

    const report = await json(await call('GET', `/api/v1/reports/email?from=2031-06-01&to=2031-06-30&campaign_id=${campaign.id}`));
    expect(report.rows).toEqual([
      {
        campaign_id: campaign.id,
        opens: 2,
        machine_opens: 1,
        human_clicks: 1,
        scanner_clicks: 1,
        ctr: 0.5,
        conversions: 1,
        revenue: 80,
        currency: 'EUR',
        unconverted: [],
      },
    ]);
    expect(report.totals).toEqual({
      opens: 2,
      machine_opens: 1,
      human_clicks: 1,
      scanner_clicks: 1,
      ctr: 0.5,
      conversions: 1,
      revenue: 80,
      currency: 'EUR',
      unconverted: [],
    });
    const csv = await call('GET', `/api/v1/reports/email?from=2031-06-01&to=2031-06-30&campaign_id=${campaign.id}&format=csv`);
    expect(await csv.text()).toBe(
      'campaign_id,opens,machine_opens,human_clicks,scanner_clicks,ctr,conversions,revenue,currency,unconverted\r\n' +
        `${campaign.id},2,1,1,1,0.5,1,80.00,EUR,\r\n` +
        'total,2,1,1,1,0.5,1,80.00,EUR,\r\n',
    );
  });
});

describe('money in the reporting currency', () => {
  it('converts each sale at the rate of its day and counts a sale without a rate apart', async () => {
    const sale = (order: string, occurredAt: string, value: number, currency: string) =>
      call('POST', '/api/v1/conversions', {
        body: { type: 'sale', order_id: order, value, currency, customer_ref: 'cust-FX', occurred_at: occurredAt },
        now: () => Date.parse('2032-04-01T00:00:00Z'),
      });
    expect((await sale('FX-1', '2032-03-02T12:00:00.000Z', 100, 'USD')).status).toBe(201);
    expect((await sale('FX-2', '2032-03-05T12:00:00.000Z', 50, 'CHF')).status).toBe(201);
    expect((await call('PUT', '/api/v1/exchange-rates', { body: { rates: [{ currency: 'USD', day: '2032-03-01', rate: 0.9 }] } })).status).toBe(200);
    try {
      const loyalty = await json(await call('GET', '/api/v1/reports/loyalty?from=2032-03-01&to=2032-03-31'));
      expect(loyalty.missing_rates).toEqual(['CHF']);
      expect(loyalty.rows).toEqual([
        {
          channel: 'direct',
          currency: 'EUR',
          customers: 1,
          repeat_customers: 1,
          repeat_rate: 1,
          orders: 2,
          revenue: 90,
          revenue_per_customer: 90,
          orders_per_customer: 2,
          median_days_between_orders: 3,
          unconverted: [{ currency: 'CHF', conversions: 1, revenue: 50 }],
        },
      ]);
      expect(loyalty.totals).toMatchObject({ customers: 1, orders: 2, revenue: 90, unconverted: [{ currency: 'CHF', conversions: 1, revenue: 50 }] });
      const customers = await json(await call('GET', '/api/v1/reports/customers?from=2032-03-01&to=2032-03-31'));
      expect(customers).toMatchObject({
        currency: 'EUR',
        missing_rates: ['CHF'],
        unconverted: [{ currency: 'CHF', conversions: 1, revenue: 50 }],
        totals: { customers: 1, revenue: 90, share: 1 },
      });
      expect(customers.segments[0]).toEqual({ segment: 'A', customers: 1, revenue: 90, share: 1, channels: { direct: 1 } });
    } finally {
      expect((await call('DELETE', '/api/v1/exchange-rates/USD/2032-03-01')).status).toBe(204);
    }
  });
});

describe('reports security', () => {
  it.each(['loyalty', 'customers', 'email'])('/reports/%s answers 401, 403 and 400', async (kind) => {
    expect((await call('GET', `/api/v1/reports/${kind}`, { key: null })).status).toBe(401);
    expect((await call('GET', `/api/v1/reports/${kind}`, { key: await makeKey(['links:write']) })).status).toBe(403);
    const bad = await call('GET', `/api/v1/reports/${kind}?from=2030-02-30`);
    expect(await json(bad)).toEqual({ error: { code: 'validation_error', message: 'from: is not a calendar date' } });
  });
});

describe('DELETE /api/v1/customers/:customer_ref', () => {
  it('leaves no hashed reference of the customer in any table, and the reports keep their counts', async () => {
    const hash = await hmacHex('test-hash-secret', 'cust-A');
    expect((await call('DELETE', '/api/v1/customers/cust-A', { key: await makeKey(['reports:read']) })).status).toBe(403);
    const response = await call('DELETE', '/api/v1/customers/cust-A');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      erased: true,
      rows: {
        conversions: 2,
        code_entries: 0,
        promo_redemptions: 0,
        referrals: 0,
        touches: 0,
        referral_conversions: 0,
        identity_links: 1,
        loyalty_pending_occasions: 0,
        loyalty_members: 0,
        webhook_deliveries: 0,
        archived_touches: 0,
      },
    });

    expect(await columnsHolding(hash)).toEqual([]);
    const loyalty = await json(await call('GET', '/api/v1/reports/loyalty?from=2030-05-01&to=2030-05-05'));
    expect(loyalty.rows.find((row: any) => row.channel === 'email')).toMatchObject({ customers: 1, repeat_customers: 1, revenue: 150 });
  });
});
