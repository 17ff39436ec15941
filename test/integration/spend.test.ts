import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';

const NOW = Date.parse('2031-06-30T12:00:00.000Z');
const now = () => NOW;
const post = (body: unknown, key?: string) => call('POST', '/api/v1/spend', { body, now, key });
const csv = (text: string, contentType = 'text/csv') => call('POST', '/api/v1/spend/import', { rawBody: text, headers: { 'Content-Type': contentType }, now });
const list = async (query: string) => {
  const response = await call('GET', `/api/v1/spend?${query}`, { now });
  expect(response.status).toBe(200);
  return json(response);
};
const strip = (rows: any[]) => rows.map(({ day, campaign_id, channel, amount, currency }) => ({ day, campaign_id, channel, amount, currency }));
const errorOf = async (response: Response, status = 400) => {
  expect(response.status).toBe(status);
  return (await json(response)).error;
};

describe('/api/v1/spend', () => {
  it('stores one entry or a list, and a re-post of the same day and campaign (or channel) replaces it, keeping its id', async () => {
    const campaign = await makeCampaign({ name: 'Summer 2031' });
    const first = await post({ day: '2031-06-01', campaign_id: campaign.id, amount: 120.5, currency: 'eur' });
    expect(first.status).toBe(200);
    const saved = await json(first);
    expect(saved.created).toBe(1);
    expect(saved.updated).toBe(0);
    expect(saved.data[0]).toMatchObject({ day: '2031-06-01', campaign_id: campaign.id, channel: null, amount: 120.5, currency: 'EUR' });
    expect(saved.data[0].id).toMatch(/^spd_[0-9A-Z]{26}$/);

    const many = await json(
      await post({
        spend: [
          { day: '2031-06-01', campaign_id: campaign.id, amount: 99, currency: 'USD' },
          { day: '2031-06-02', channel: 'paid', amount: 40, currency: 'EUR' },
        ],
      }),
    );
    expect([many.created, many.updated]).toEqual([1, 1]);
    expect(many.data[0].id).toBe(saved.data[0].id);
    expect(many.data[0]).toMatchObject({ amount: 99, currency: 'USD', created_at: '2031-06-30T12:00:00.000Z' });

    const listed = await list('from=2031-06-01&to=2031-06-30');
    expect(strip(listed.data)).toEqual([
      { day: '2031-06-01', campaign_id: campaign.id, channel: null, amount: 99, currency: 'USD' },
      { day: '2031-06-02', campaign_id: null, channel: 'paid', amount: 40, currency: 'EUR' },
    ]);
    expect(listed.next_cursor).toBeNull();
    // Pages: one entry, then the next one after the cursor.
    const page = await list('from=2031-06-01&to=2031-06-30&limit=1');
    expect(page.next_cursor).toBe(`2031-06-01:${saved.data[0].id}`);
    expect(strip((await list(`from=2031-06-01&to=2031-06-30&limit=1&cursor=${page.next_cursor}`)).data)).toEqual(strip(listed.data.slice(1)));
    // The default range is the 30 days up to today (2031-06-30).
    expect((await list('')).data).toHaveLength(2);
    expect((await list('campaign_id=' + campaign.id)).data).toHaveLength(1);

    expect((await call('DELETE', `/api/v1/spend/${many.data[1].id}`, { now })).status).toBe(204);
    expect(await errorOf(await call('DELETE', `/api/v1/spend/${many.data[1].id}`, { now }), 404)).toEqual({
      code: 'not_found',
      message: 'Spend entry not found',
    });
    expect(strip((await list('from=2031-06-01&to=2031-06-30')).data)).toHaveLength(1);
  });

  it.each([
    [{ day: '2031-05-01', channel: 'paid', amount: -1, currency: 'EUR' }, 'spend.0.amount: must not be negative'],
    [{ day: '2031-05-01', channel: 'paid', amount: 1, currency: 'EURO' }, 'spend.0.currency: must be a three-letter ISO 4217 code'],
    [{ day: '2031-05-01', channel: 'paid', amount: 1, currency: 'XYZ' }, 'spend.0.currency: is not an ISO 4217 currency code'],
    [{ day: '2031-5-1', channel: 'paid', amount: 1, currency: 'EUR' }, 'spend.0.day: must be a date YYYY-MM-DD'],
    [{ day: '2031-02-30', channel: 'paid', amount: 1, currency: 'EUR' }, 'spend.0.day: is not a calendar date'],
    [
      { day: '2031-05-01', channel: 'tv', amount: 1, currency: 'EUR' },
      'spend.0.channel: Invalid option: expected one of "offline"|"mobile"|"email"|"referral"|"social"|"search"|"paid"|"display"|"other"',
    ],
    [
      { day: '2031-05-01', channel: 'paid', campaign_id: 'cmp_X', amount: 1, currency: 'EUR' },
      'spend.0.campaign_id: give either campaign_id or channel, not both or neither',
    ],
    [{ day: '2031-05-01', amount: 1, currency: 'EUR' }, 'spend.0.campaign_id: give either campaign_id or channel, not both or neither'],
    [{ day: '2031-05-01', channel: 'paid', amount: '12', currency: 'EUR' }, 'spend.0.amount: Invalid input: expected number, received string'],
    [
      {
        spend: [
          { day: '2031-05-01', channel: 'paid', amount: 1, currency: 'EUR' },
          { day: '2031-05-01', channel: 'paid', amount: 2, currency: 'EUR' },
        ],
      },
      'spend.1: paid on 2031-05-01 is given twice (also spend.0)',
    ],
  ])('refuses %j with a 400 and stores nothing', async (body, message) => {
    expect(await errorOf(await post(body))).toEqual({ code: 'validation_error', message });
    expect((await list('from=2031-05-01&to=2031-05-31')).data).toEqual([]);
  });

  it('refuses an unknown campaign with a 404 and stores none of the list', async () => {
    const error = await errorOf(
      await post({
        spend: [
          { day: '2031-04-01', channel: 'email', amount: 5, currency: 'EUR' },
          { day: '2031-04-01', campaign_id: 'cmp_NOPE', amount: 5, currency: 'EUR' },
        ],
      }),
      404,
    );
    expect(error).toEqual({ code: 'not_found', message: 'spend.1: campaign_id: no campaign cmp_NOPE' });
    expect((await list('from=2031-04-01&to=2031-04-30')).data).toEqual([]);
  });

  it('takes links:write to write and reports:read to read', async () => {
    const reader = await makeKey(['reports:read']);
    const writer = await makeKey(['links:write']);
    const entry = { day: '2031-03-01', channel: 'social', amount: 10, currency: 'EUR' };
    expect((await post(entry, reader)).status).toBe(403);
    expect((await post(entry, writer)).status).toBe(200);
    expect((await call('GET', '/api/v1/spend?from=2031-03-01&to=2031-03-01', { key: writer, now })).status).toBe(403);
    expect((await call('GET', '/api/v1/spend?from=2031-03-01&to=2031-03-01', { key: reader, now })).status).toBe(200);
    expect((await call('GET', '/api/v1/spend', { key: null })).status).toBe(401);
  });
});

describe('POST /api/v1/spend/import', () => {
  it('stores every line of a CSV file, campaign or channel per line, with the same replace rule', async () => {
    const campaign = await makeCampaign({ name: 'Flyers 2031' });
    const text = `day,campaign_id,channel,amount,currency\r\n2031-02-01,${campaign.id},,250.00,EUR\r\n2031-02-01,,display,80.5,usd\r\n`;
    const saved = await json(await csv(text));
    expect([saved.created, saved.updated]).toEqual([2, 0]);
    // The same file with a corrected amount: both lines replace what was stored.
    const again = await json(await csv(text.replace('250.00', '260')));
    expect([again.created, again.updated]).toEqual([0, 2]);
    // One day: listed by id, and the ids of one request are minted in the same millisecond (no set order between them).
    const byTarget = (rows: any[]) => [...rows].sort((a, b) => String(a.channel).localeCompare(String(b.channel)));
    expect(byTarget(strip((await list('from=2031-02-01&to=2031-02-28')).data))).toEqual([
      { day: '2031-02-01', campaign_id: null, channel: 'display', amount: 80.5, currency: 'USD' },
      { day: '2031-02-01', campaign_id: campaign.id, channel: null, amount: 260, currency: 'EUR' },
    ]);
  });

  it('refuses the whole file when any line is wrong, naming each line, and stores nothing', async () => {
    const text = [
      'day,channel,campaign_id,amount,currency',
      '2031-01-01,paid,,10,EUR',
      '2031-01-02,paid,,-5,EUR',
      '2031-01-03,paid,,ten,EUR',
      '2031-01-04,,,1,EUR',
      '2031-01-05,paid,,1,EUR,extra',
    ].join('\n');
    expect(await errorOf(await csv(text))).toEqual({
      code: 'validation_error',
      message:
        'line 3: amount: must not be negative; line 4: amount: must be a number like 19.99; line 5: campaign_id: give either campaign_id or channel, not both or neither; line 6: has 6 fields; the header has 5',
    });
    expect(await errorOf(await csv('day,channel,amount,currency\n2031-01-01,paid,1,EUR\n2031-01-01,paid,2,EUR\n'))).toEqual({
      code: 'validation_error',
      message: 'line 3: paid on 2031-01-01 is given twice (also line 2)',
    });
    expect(await errorOf(await csv('day,campaign_id,amount,currency\n2031-01-01,cmp_NOPE,1,EUR\n'), 404)).toEqual({
      code: 'not_found',
      message: 'line 2: campaign_id: no campaign cmp_NOPE',
    });
    expect(await errorOf(await csv('day,cost,currency\n2031-01-01,1,EUR\n'))).toEqual({
      code: 'validation_error',
      message: 'Unknown column "cost"; the columns are day, amount, currency, campaign_id, channel',
    });
    expect(await errorOf(await csv('day,channel,amount,currency\n'))).toEqual({ code: 'validation_error', message: 'line 2: no spend after the header' });
    expect(await errorOf(await csv('day,channel,amount,currency\n2031-01-01,paid,1,EUR\n', 'application/json'), 415)).toMatchObject({
      code: 'unsupported_media_type',
    });
    expect((await list('from=2031-01-01&to=2031-01-31')).data).toEqual([]);
  });
});
