import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/lib/crypto';
import { call, json, makeKey } from '../helpers';
import { at, convert, referralOf, refer, rewardedCampaign, visit } from '../support/referral-fixture';

describe('referral routes: security and input', () => {
  it('POST /api/v1/referrals answers 401, 403, 400 and 422', async () => {
    const campaign = await rewardedCampaign();
    const body = { campaign_id: campaign.id, customer_ref: 'sec-1' };
    expect((await refer(body, null)).status).toBe(401);
    expect((await refer(body, 'tp_nonsense')).status).toBe(401);
    const forbidden = await refer(body, await makeKey(['reports:read']));
    expect(await json(forbidden)).toEqual({ error: { code: 'forbidden', message: 'This route needs a key with scope "links:write" or "conversions:write"' } });
    expect(forbidden.status).toBe(403);
    const missing = await refer({ campaign_id: campaign.id });
    expect([missing.status, (await json(missing)).error.code]).toEqual([400, 'validation_error']);
    expect((await refer({ ...body, extra: 1 })).status).toBe(400);
    expect((await refer({ ...body, destination: 'javascript:alert(1)' })).status).toBe(400);
    expect((await refer({ ...body, customer_ref: '   ' })).status).toBe(400);
    expect((await call('POST', '/api/v1/referrals', { rawBody: '{', now: at(0) })).status).toBe(400);
    const unknown = await refer({ ...body, campaign_id: 'cmp_NOPE' });
    expect([unknown.status, (await json(unknown)).error.code]).toEqual([422, 'unprocessable']);
    const bare = await rewardedCampaign({ name: 'No landing', landing_url: null });
    const noDestination = await refer({ campaign_id: bare.id, customer_ref: 'sec-1' });
    expect(await json(noDestination)).toEqual({ error: { code: 'unprocessable', message: 'destination: required, the campaign has no landing_url' } });
    expect((await refer(body, await makeKey(['links:write']))).status).toBe(201);
  });

  it('GET /api/v1/referrals/:code answers 401, 403, 400 and 404', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'sec-2');
    const get = (code: string, key?: string | null) => call('GET', `/api/v1/referrals/${code}`, { key, now: at(1) });
    expect((await get(referral.code, null)).status).toBe(401);
    expect((await get(referral.code, await makeKey(['reports:read']))).status).toBe(403);
    expect((await get('X'.repeat(40))).status).toBe(400);
    const missing = await get('ZZZZZZZZZZ');
    expect(await json(missing)).toEqual({ error: { code: 'not_found', message: 'Referral not found' } });
    const found = await get(referral.code.toLowerCase(), await makeKey(['conversions:write']));
    expect(found.status).toBe(200);
    expect(await json(found)).toEqual({
      ...referral,
      stats: { visits: 0, unique_visitors: 0, signups: 0, sales: 0, revenue: 0, currency: null, revenue_by_currency: [] },
      rewards: [],
    });
  });

  it('GET /r/:code answers 404 for an unknown code and 410 once the campaign is archived, never caching', async () => {
    for (const code of ['ZZZZZZZZZZ', 'not-a-code']) {
      const response = await call('GET', `/r/${code}`, { key: null, now: at(0) });
      expect(response.status).toBe(404);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(await response.text()).toContain('Link not found');
    }
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'sec-3');
    await call('POST', `/api/v1/campaigns/${campaign.id}/archive`, { now: at(1) });
    const gone = await call('GET', `/r/${referral.code}`, { key: null, now: at(2) });
    expect([gone.status, gone.headers.get('Cache-Control')]).toEqual([410, 'no-store']);
  });

  it('validates the campaign referral_reward template', async () => {
    const bad = await call('POST', '/api/v1/campaigns', { body: { name: 'R', referral_reward: { discount: '5 EUR', prefix: 'OIL' } } });
    expect(bad.status).toBe(400);
    expect((await call('POST', '/api/v1/campaigns', { body: { name: 'R', referral_reward: { prefix: 'THX' } } })).status).toBe(400);
    const campaign = await rewardedCampaign();
    expect(campaign.referral_reward).toEqual({ discount: '10 %', prefix: 'THX', min_order_value: 20, valid_days: 30 });
    const cleared = await call('PATCH', `/api/v1/campaigns/${campaign.id}`, { body: { referral_reward: null } });
    expect((await json(cleared)).referral_reward).toBeNull();
  });
});

describe('erasing a referrer and a referred friend', () => {
  it('leaves neither hash in the referral tables, keeps the report, and the link keeps counting', async () => {
    const campaign = await rewardedCampaign({ name: 'Erase' });
    const referral = await referralOf(campaign.id, 'erase-referrer');
    const friend = await visit(referral.code, 1);
    await convert(2, { order_id: 'o-erase-1', click_id: friend.clickId, customer_ref: 'erase-friend', value: 40 });
    const reportOf = async () =>
      (await json(await call('GET', `/api/v1/reports/referrals?from=2026-03-10&to=2026-03-10&campaign_id=${campaign.id}`, { now: at(5) }))).rows;
    const before = await reportOf();
    expect(before).toEqual([
      { referrer: referral.code, campaign_id: campaign.id, visits: 1, unique_visitors: 1, signups: 0, sales: 1, revenue: 40, currency: 'EUR', unconverted: [] },
    ]);

    for (const ref of ['erase-referrer', 'erase-friend']) expect((await call('DELETE', `/api/v1/customers/${ref}`, { now: at(3) })).status).toBe(200);
    for (const [table, column, ref] of [
      ['referrals', 'referrer_hash', 'erase-referrer'],
      ['touches', 'referrer_hash', 'erase-referrer'],
      ['referral_conversions', 'customer_hash', 'erase-friend'],
    ]) {
      const hash = await hmacHex('test-hash-secret', ref);
      const found = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).bind(hash).first<{ n: number }>();
      expect([table, found!.n]).toEqual([table, 0]);
    }
    expect(await reportOf()).toEqual(before);
    // The same customer asking again gets a new link; the old one still brings visits to its row.
    expect((await referralOf(campaign.id, 'erase-referrer')).code).not.toBe(referral.code);
  });
});
