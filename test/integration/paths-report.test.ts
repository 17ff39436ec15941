/**
 * GET /api/v1/reports/paths on journeys counted by hand:
 *   A email d0, paid d1 → sale 100 EUR at d2.5   path "email > paid", 2 touches, 2 days
 *   B email d0 → sale 50 EUR at d0.25             path "email", 1 touch, 0 days
 *   C email d0 → sale 30 EUR at d3                path "email", 1 touch, 3 days
 *   D paid d0, paid d1, email d2 → sale 20 EUR at d4 (another campaign)   path "paid > paid > email", 3 touches, 4 days
 *   E no touch → sale 10 EUR (direct: no path, left out)
 */
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeLink } from '../helpers';
import { clockOf, storeTouches, touchRow } from '../support/attribution-fixture';

const clock = clockOf(2042);
const now = () => clock.at(20);
const range = 'from=2042-03-01&to=2042-03-31';
let otherCampaign = '';

async function seed() {
  const main = await makeCampaign({ name: 'Paths' });
  const other = await makeCampaign({ name: 'Paths 2' });
  otherCampaign = other.id;
  const links = {
    email: (await makeLink({ campaign_id: main.id, kind: 'email', utm_medium: 'email' })).id,
    paid: (await makeLink({ campaign_id: main.id, utm_medium: 'cpc' })).id,
    otherEmail: (await makeLink({ campaign_id: other.id, kind: 'email', utm_medium: 'email' })).id,
    otherPaid: (await makeLink({ campaign_id: other.id, utm_medium: 'cpc' })).id,
  };
  const touch = (visitor: string, channel: 'email' | 'paid', day: number, campaign = main.id) => {
    const link = campaign === main.id ? links[channel] : channel === 'email' ? links.otherEmail : links.otherPaid;
    return touchRow({ campaign_id: campaign, link_id: link, visitor_id: visitor, channel, occurred_at: clock.iso(day) });
  };
  await storeTouches([
    touch('v_PA', 'email', 0),
    touch('v_PA', 'paid', 1),
    touch('v_PB', 'email', 0),
    touch('v_PC', 'email', 0),
    touch('v_PD', 'paid', 0, other.id),
    touch('v_PD', 'paid', 1, other.id),
    touch('v_PD', 'email', 2, other.id),
  ]);
  const sales: Array<[string, number, number]> = [
    ['v_PA', 100, 2.5],
    ['v_PB', 50, 0.25],
    ['v_PC', 30, 3],
    ['v_PD', 20, 4],
    ['v_PE', 10, 1],
  ];
  for (const [visitor, value, day] of sales) {
    const response = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: `p-${visitor}`, visitor_id: visitor, value, currency: 'EUR', occurred_at: clock.iso(day) },
      now,
    });
    expect(response.status).toBe(201);
  }
}

const get = async (query: string) => {
  const response = await call('GET', `/api/v1/reports/paths?${query}`, { now });
  expect(response.status).toBe(200);
  return response;
};

describe('GET /api/v1/reports/paths', () => {
  it('lists the paths before a conversion, most frequent first, with path lengths and days to conversion', async () => {
    await seed();
    const body = await json(await get(range));
    expect(body.conversions).toBe(4);
    expect(body.distinct_paths).toBe(3);
    expect(body.currency).toBe('EUR');
    expect(body.rows.map((row: any) => [row.path, row.touches, row.conversions, row.revenue, row.share])).toEqual([
      ['email', 1, 2, 80, 0.5],
      ['email > paid', 2, 1, 100, 0.25],
      ['paid > paid > email', 3, 1, 20, 0.25],
    ]);
    expect(body.path_lengths).toEqual([
      { touches: 1, conversions: 2, share: 0.5 },
      { touches: 2, conversions: 1, share: 0.25 },
      { touches: 3, conversions: 1, share: 0.25 },
    ]);
    expect(body.days_to_conversion).toEqual([
      { days: 0, conversions: 1, share: 0.25 },
      { days: 2, conversions: 1, share: 0.25 },
      { days: 3, conversions: 1, share: 0.25 },
      { days: 4, conversions: 1, share: 0.25 },
    ]);
  });

  it('keeps the top `limit` paths and narrows to conversions with a touch of a campaign', async () => {
    const top = await json(await get(`${range}&limit=1`));
    expect(top.rows.map((row: any) => row.path)).toEqual(['email']);
    expect(top.distinct_paths).toBe(3);
    const narrowed = await json(await get(`${range}&campaign_id=${otherCampaign}`));
    expect(narrowed.rows.map((row: any) => [row.path, row.conversions, row.revenue])).toEqual([['paid > paid > email', 1, 20]]);
    expect(narrowed.days_to_conversion).toEqual([{ days: 4, conversions: 1, share: 1 }]);
  });

  it('answers CSV: the path lines, then the path lengths, then the days to conversion, told apart by section', async () => {
    const response = await get(`${range}&format=csv`);
    expect(response.headers.get('Content-Type')).toContain('text/csv');
    expect((await response.text()).split('\r\n')).toEqual([
      'section,path,touches,days,conversions,share,revenue,currency,unconverted',
      'path,email,1,,2,0.5,80.00,EUR,',
      'path,email > paid,2,,1,0.25,100.00,EUR,',
      'path,paid > paid > email,3,,1,0.25,20.00,EUR,',
      'path_length,,1,,2,0.5,,,',
      'path_length,,2,,1,0.25,,,',
      'path_length,,3,,1,0.25,,,',
      'days_to_conversion,,,0,1,0.25,,,',
      'days_to_conversion,,,2,1,0.25,,,',
      'days_to_conversion,,,3,1,0.25,,,',
      'days_to_conversion,,,4,1,0.25,,,',
      '',
    ]);
    // The distributions count every conversion, whatever `limit` keeps of the paths.
    const top = (await (await get(`${range}&format=csv&limit=1`)).text()).split('\r\n');
    expect(top.filter((line) => line.startsWith('path,'))).toEqual(['path,email,1,,2,0.5,80.00,EUR,']);
    expect(top.filter((line) => line.startsWith('path_length,'))).toHaveLength(3);
  });

  it('refuses a limit out of bounds', async () => {
    const response = await call('GET', `/api/v1/reports/paths?${range}&limit=0`, { now });
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('validation_error');
  });
});
