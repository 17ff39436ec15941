/** PUT/GET /api/v1/loyalty/program and /api/v1/loyalty/rules: validation, storage, pagination, archive. */
import { beforeEach, describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { makeRule, PROGRAM, setProgram, resetLoyalty } from '../support/loyalty';

beforeEach(resetLoyalty);

describe('/api/v1/loyalty/program', () => {
  it('answers 404 before a program is set up, then the program as saved', async () => {
    expect((await call('GET', '/api/v1/loyalty/program')).status).toBe(404);
    const tiers = [
      { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      { name: 'Gold', min_points_12m: 1000, multiplier: 1.5 },
    ];
    const saved = await setProgram({ tiers, pending_days: 14, expiry_days: 365 });
    expect(saved).toEqual({ ...PROGRAM, tiers, pending_days: 14, expiry_days: 365, referral_campaign_id: null });
    const reader = await makeKey(['loyalty:read']);
    expect(await json(await call('GET', '/api/v1/loyalty/program', { key: reader }))).toEqual(saved);
    // Saved again: replaced as a whole.
    await setProgram({ name: 'Coffee Club' });
    expect((await json(await call('GET', '/api/v1/loyalty/program'))).name).toBe('Coffee Club');
  });

  it.each([
    [
      {
        tiers: [
          { name: 'A', min_points_12m: 100, multiplier: 1 },
          { name: 'B', min_points_12m: 100, multiplier: 2 },
        ],
      },
      'tiers.1.min_points_12m: tiers must be strictly ascending by min_points_12m',
    ],
    [{ tiers: [{ name: 'A', min_points_12m: 0, multiplier: 0.5 }] }, 'tiers.0.multiplier: must be 1 or more'],
    [
      {
        tiers: [
          { name: 'A', min_points_12m: 0, multiplier: 1 },
          { name: 'A', min_points_12m: 5, multiplier: 1 },
        ],
      },
      'tiers.1.name: tier name "A" is used twice',
    ],
    [{ currency: 'eur' }, 'currency: must be a three-letter ISO 4217 code in capitals, like EUR'],
    [{ currency: 'XYZ' }, 'currency: is not an ISO 4217 currency code'],
    [{ expiry_days: 0 }, 'expiry_days: must be 1 or more (null: points never expire)'],
    [{ pending_days: 1.5 }, 'pending_days: must be a whole number'],
    [{ enrollment: 'invite' }, 'enrollment: Invalid option: expected one of "automatic"|"signup"'],
  ])('refuses %o', async (fields, message) => {
    const response = await call('PUT', '/api/v1/loyalty/program', { body: { ...PROGRAM, ...fields } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });

  it('refuses a referral campaign that does not exist (422), takes one that does', async () => {
    const response = await call('PUT', '/api/v1/loyalty/program', { body: { ...PROGRAM, referral_campaign_id: 'cmp_none' } });
    expect(response.status).toBe(422);
    expect((await json(response)).error.message).toBe('referral_campaign_id: no campaign cmp_none');
    const campaign = await makeCampaign();
    expect((await setProgram({ referral_campaign_id: campaign.id })).referral_campaign_id).toBe(campaign.id);
  });

  it('needs admin to change the program', async () => {
    const response = await call('PUT', '/api/v1/loyalty/program', { body: PROGRAM, key: await makeKey(['loyalty:read', 'loyalty:write']) });
    expect(response.status).toBe(403);
  });
});

describe('/api/v1/loyalty/rules', () => {
  it('creates, reads, lists by page, updates and archives a rule', async () => {
    const campaign = await makeCampaign();
    const rule = await makeRule({
      name: 'Pack codes on tour',
      kind: 'code_entry',
      points: 25,
      campaign_id: campaign.id,
      channel: 'offline',
      starts_at: '2026-12-01T00:00:00+01:00',
      place: { countries: ['DE'], regions: ['Bavaria'] },
      segment: { abc: ['A'], tiers: ['Gold'] },
      cap_day: 3,
    });
    expect(rule).toMatchObject({
      kind: 'code_entry',
      event_name: null,
      points: 25,
      campaign_id: campaign.id,
      channel: 'offline',
      starts_at: '2026-11-30T23:00:00.000Z',
      ends_at: null,
      place: { countries: ['DE'], regions: ['Bavaria'] },
      segment: { abc: ['A'], tiers: ['Gold'] },
      cap_day: 3,
      cap_month: null,
      cap_total: null,
      status: 'active',
      archived_at: null,
    });
    const reader = await makeKey(['loyalty:read']);
    expect(await json(await call('GET', `/api/v1/loyalty/rules/${rule.id}`, { key: reader }))).toEqual(rule);

    const second = await makeRule({ name: 'Reviews', kind: 'review' });
    const first = await json(await call('GET', '/api/v1/loyalty/rules?limit=1', { key: reader }));
    expect(first.data.map((r: any) => r.id)).toEqual([second.id]);
    const next = await json(await call('GET', `/api/v1/loyalty/rules?limit=1&cursor=${first.next_cursor}`, { key: reader }));
    expect(next.data.map((r: any) => r.id)).toEqual([rule.id]);

    const patched = await json(await call('PATCH', `/api/v1/loyalty/rules/${rule.id}`, { body: { points: 40, place: null, cap_month: 10 } }));
    expect(patched).toMatchObject({ points: 40, place: null, cap_day: 3, cap_month: 10, channel: 'offline' });

    const archived = await call('POST', `/api/v1/loyalty/rules/${rule.id}/archive`);
    expect(archived.status).toBe(200);
    expect(await json(archived)).toMatchObject({ status: 'archived', archived_at: expect.any(String) });
    const active = await json(await call('GET', '/api/v1/loyalty/rules?status=active', { key: reader }));
    expect(active.data.map((r: any) => r.id)).toEqual([second.id]);
    expect((await call('POST', '/api/v1/loyalty/rules/lrl_none/archive')).status).toBe(404);
    expect((await call('PATCH', '/api/v1/loyalty/rules/lrl_none', { body: { points: 1 } })).status).toBe(404);
  });

  it.each([
    [{ kind: 'custom' }, 'event_name: required for a custom rule'],
    [{ kind: 'review', event_name: 'x' }, 'event_name: only a custom rule has one (this one is review)'],
    [{ kind: 'review', currency: 'EUR' }, 'currency: only a purchase rule has one'],
    [{ kind: 'signup', min_order: 5 }, 'min_order: only a purchase rule has one'],
    [{ kind: 'review', points: 0 }, 'points: must be 1 or more'],
    [{ kind: 'review', points: 2.5 }, 'points: must be a whole number'],
    [
      { kind: 'review', channel: 'telepathy' },
      'channel: Invalid option: expected one of "offline"|"mobile"|"email"|"referral"|"social"|"search"|"paid"|"display"|"other"|"direct"',
    ],
    [{ kind: 'review', cap_day: 0 }, 'cap_day: must be 1 or more (leave it out for no cap)'],
    [{ kind: 'review', place: { countries: ['de'] } }, 'place.countries.0: must be an ISO 3166-1 alpha-2 code in capitals, like DE'],
    [{ kind: 'review', segment: { abc: ['D'] } }, 'segment.abc.0: Invalid option: expected one of "A"|"B"|"C"'],
    [{ kind: 'review', starts_at: '2026-12-02T00:00:00Z', ends_at: '2026-12-01T00:00:00Z' }, 'ends_at: must be after starts_at'],
  ])('refuses %o', async (fields, message) => {
    const response = await call('POST', '/api/v1/loyalty/rules', { body: { name: 'R', points: 10, ...fields } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });

  it('refuses an update that breaks the rule as a whole, and a campaign that does not exist', async () => {
    const rule = await makeRule({ kind: 'purchase', currency: 'EUR' });
    const response = await call('PATCH', `/api/v1/loyalty/rules/${rule.id}`, { body: { kind: 'review' } });
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message: 'currency: only a purchase rule has one' } });
    const missing = await call('POST', '/api/v1/loyalty/rules', { body: { name: 'R', kind: 'review', points: 5, campaign_id: 'cmp_none' } });
    expect(missing.status).toBe(422);
  });
});
