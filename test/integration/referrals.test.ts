import { describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/lib/crypto';
import { call, json, makeKey } from '../helpers';
import { at, convert, db, outcomesOf, referralDetail, referralOf, refer, rewardedCampaign, visit } from '../support/referral-fixture';

const hashOf = (ref: string) => hmacHex('test-hash-secret', ref);

describe('tell-a-friend end to end', () => {
  it('credits a friend’s first sale to the referral channel and the referrer, and mints one reward even when the sale is posted twice', async () => {
    const campaign = await rewardedCampaign();
    const created = await refer({ campaign_id: campaign.id, customer_ref: 'alice' });
    expect(created.status).toBe(201);
    const referral = await json(created);
    expect(referral.code).toMatch(/^[0-9A-Z]{10}$/);
    expect(referral).toEqual({
      code: referral.code,
      url: `https://tp.test/r/${referral.code}`,
      campaign_id: campaign.id,
      destination: null,
      created_at: '2026-03-10T12:00:00.000Z',
    });

    // Bob opens the link on his phone: a new visitor, not Alice's.
    const bob = await visit(referral.code, 1);
    expect(bob.response.status).toBe(302);
    expect(bob.response.headers.get('Cache-Control')).toBe('no-store');
    expect(bob.clickId).toMatch(/^tpc_/);
    expect(bob.response.headers.get('Location')).toBe(
      `https://shop.example/welcome?lang=de&utm_source=tell-a-friend&utm_medium=referral&utm_campaign=friends&tp_click=${bob.clickId}`,
    );
    const touch = await db()
      .selectFrom('touches')
      .select(['type', 'channel', 'campaign_id', 'link_id', 'visitor_id', 'referrer_hash', 'utm_medium'])
      .where('id', '=', bob.clickId)
      .executeTakeFirst();
    expect(touch).toEqual({
      type: 'click',
      channel: 'referral',
      campaign_id: campaign.id,
      link_id: null,
      visitor_id: bob.visitorId,
      referrer_hash: await hashOf('alice'),
      utm_medium: 'referral',
    });

    const sale = { order_id: 'o-bob-1', click_id: bob.clickId, customer_ref: 'bob', value: 50 };
    const [first, again] = await Promise.all([convert(30, sale), convert(30, sale)]);
    expect([first.status, again.status].sort()).toEqual([200, 201]);
    expect((await json(first)).attribution).toEqual([{ channel: 'referral', campaign_id: campaign.id, link_id: null, weight: 1 }]);
    expect((await convert(31, sale)).status).toBe(200);

    expect(await outcomesOf(referral.code)).toEqual([{ outcome: 'referred_sale', value: 50, reward_promo_id: expect.stringMatching(/^prm_/) }]);
    const detail = await referralDetail(referral.code);
    expect(detail.stats).toEqual({
      visits: 1,
      unique_visitors: 1,
      signups: 0,
      sales: 1,
      revenue: 50,
      currency: 'EUR',
      revenue_by_currency: [{ sales: 1, revenue: 50, currency: 'EUR' }],
    });
    expect(detail.rewards).toEqual([
      {
        code: expect.stringMatching(/^THX-[0-9A-Z]{4}-[0-9A-Z]{4}/),
        discount: '10 %',
        min_order_value: 20,
        ends_at: '2026-04-09T12:30:00.000Z',
        redeemed: false,
        earned_at: '2026-03-10T12:30:00.000Z',
      },
    ]);
    const promos = await db()
      .selectFrom('promo_codes')
      .select(['kind', 'channel', 'max_redemptions', 'count'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(promos).toEqual([{ kind: 'unique', channel: 'referral', max_redemptions: 1, count: 1 }]);

    // The earned code works at checkout.
    const validate = await call('POST', '/api/v1/promo-codes/validate', { body: { code: detail.rewards[0].code, order_value: 25 }, now: at(40) });
    expect(validate.status).toBe(200);
  });

  it('does not count the friend’s second sale as referred and mints nothing more', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const carol = await visit(referral.code, 1);
    await convert(10, { order_id: 'o-carol-1', click_id: carol.clickId, customer_ref: 'carol', value: 30 });
    // Later, same browser (stitched to carol), no click id.
    await convert(60, { order_id: 'o-carol-2', customer_ref: 'carol', value: 80 });
    expect((await outcomesOf(referral.code)).map((row) => row.outcome)).toEqual(['referred_sale', 'repeat_sale']);
    const detail = await referralDetail(referral.code);
    expect([detail.stats.sales, detail.stats.revenue, detail.rewards.length]).toEqual([1, 30, 1]);
  });

  it('finishes a reward whose minting failed after the claim when the sale is posted again', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const kate = await visit(referral.code, 1);
    const sale = { order_id: 'o-kate-1', click_id: kate.clickId, customer_ref: 'kate', value: 25 };
    await convert(5, sale);
    const [{ reward_promo_id: promoId }] = await outcomesOf(referral.code);
    // As if the mint had failed: the claim names a promotion that does not exist.
    await db().deleteFrom('promo_code_values').where('promo_code_id', '=', promoId).execute();
    await db().deleteFrom('promo_codes').where('id', '=', promoId!).execute();
    await convert(6, sale);
    const promos = await db().selectFrom('promo_codes').select('id').where('campaign_id', '=', campaign.id).execute();
    expect(promos).toEqual([{ id: promoId }]);
    expect((await referralDetail(referral.code)).rewards).toHaveLength(1);
  });

  it('does not count a customer who had bought before the referral', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    await convert(0, { order_id: 'o-dave-0', customer_ref: 'dave', value: 10 });
    const dave = await visit(referral.code, 5);
    await convert(10, { order_id: 'o-dave-1', click_id: dave.clickId, customer_ref: 'dave', value: 30 });
    expect((await outcomesOf(referral.code)).map((row) => row.outcome)).toEqual(['repeat_sale']);
  });

  it('gives nothing for a self-referral by the same customer', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const alice = await visit(referral.code, 1);
    const response = await convert(5, { order_id: 'o-self', click_id: alice.clickId, customer_ref: 'alice', value: 90 });
    expect((await json(response)).attribution[0].channel).toBe('referral');
    expect(await outcomesOf(referral.code)).toEqual([{ outcome: 'self_referral', value: 90, reward_promo_id: null }]);
    expect((await referralDetail(referral.code)).rewards).toEqual([]);
  });

  it('gives nothing when the friend’s browser is the referrer’s (second account)', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'erin');
    const erinBrowser = (await visit(referral.code, 1)).visitorId;
    await convert(2, { order_id: 'o-erin-0', visitor_id: erinBrowser, customer_ref: 'erin', value: 5 });
    const again = await visit(referral.code, 3, erinBrowser);
    await convert(4, { order_id: 'o-erin-alt', click_id: again.clickId, customer_ref: 'erin-second-account', value: 60 });
    expect((await outcomesOf(referral.code)).map((row) => row.outcome)).toEqual(['self_referral', 'self_referral']);
    // With visitor matching switched off the second account counts.
    const otherCampaign = await rewardedCampaign({ name: 'Friends 2' });
    const other = await referralOf(otherCampaign.id, 'erin');
    const third = await visit(other.code, 5, erinBrowser);
    await convert(
      6,
      { order_id: 'o-erin-alt-2', click_id: third.clickId, customer_ref: 'erin-third-account', value: 60 },
      { REFERRAL_MATCH_VISITORS: 'false' },
    );
    expect((await outcomesOf(other.code)).map((row) => row.outcome)).toEqual(['referred_sale']);
  });

  it('applies the minimum order value setting', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const frank = await visit(referral.code, 1);
    await convert(5, { order_id: 'o-frank-1', click_id: frank.clickId, customer_ref: 'frank', value: 39.99 }, { REFERRAL_MIN_ORDER_VALUE: '40' });
    const gina = await visit(referral.code, 6);
    await convert(7, { order_id: 'o-gina-1', click_id: gina.clickId, customer_ref: 'gina', value: 40 }, { REFERRAL_MIN_ORDER_VALUE: '40' });
    expect((await outcomesOf(referral.code)).map((row) => [row.outcome, row.reward_promo_id !== null])).toEqual([
      ['below_minimum', false],
      ['referred_sale', true],
    ]);
  });

  it('logs a friend’s lead as a signup, and a sale without customer_ref as anonymous', async () => {
    const campaign = await rewardedCampaign({ referral_reward: null });
    const referral = await referralOf(campaign.id, 'alice');
    const hank = await visit(referral.code, 1);
    await convert(2, { type: 'lead', click_id: hank.clickId, customer_ref: 'hank', currency: undefined });
    await convert(3, { order_id: 'o-anon', click_id: hank.clickId, value: 20 });
    await convert(4, { order_id: 'o-hank', click_id: hank.clickId, customer_ref: 'hank', value: 20 });
    expect(await outcomesOf(referral.code)).toEqual([
      { outcome: 'signup', value: null, reward_promo_id: null },
      { outcome: 'anonymous', value: 20, reward_promo_id: null },
      { outcome: 'referred_sale', value: 20, reward_promo_id: null },
    ]);
  });
});

describe('POST /api/v1/referrals', () => {
  it('gives the same customer and campaign the same link, and another campaign another one', async () => {
    const campaign = await rewardedCampaign();
    const key = await makeKey(['conversions:write']);
    const first = await json(await refer({ campaign_id: campaign.id, customer_ref: 'ivy' }, key));
    const again = await refer({ campaign_id: campaign.id, customer_ref: ' ivy ', destination: 'https://shop.example/other' }, key);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    const other = await referralOf((await rewardedCampaign({ name: 'Other' })).id, 'ivy', 'https://shop.example/x');
    expect(other.code).not.toBe(first.code);
    expect(other.destination).toBe('https://shop.example/x');
    const stored = await db().selectFrom('referrals').select('referrer_hash').where('code', '=', first.code).executeTakeFirst();
    expect(stored).toEqual({ referrer_hash: await hashOf('ivy') });
  });

  it('sends friends to the referral’s own destination', async () => {
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'jo', 'https://shop.example/invite#top');
    const friend = await visit(referral.code.toLowerCase(), 1);
    expect(friend.response.headers.get('Location')).toBe(
      `https://shop.example/invite?utm_source=tell-a-friend&utm_medium=referral&utm_campaign=friends&tp_click=${friend.clickId}#top`,
    );
  });
});
