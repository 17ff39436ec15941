/** `/api/v1/referrals`: a customer's personal tell-a-friend link, and its stats and earned rewards. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { sumReferralOutcomes, sumReferralVisits } from '../db/referral-reports';
import { findReferralByCode, findReferralRewards } from '../db/referrals';
import { normaliseReferralCode, REFERRAL_CODE_PATTERN } from '../domain/referrals';
import { notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { createRouter } from '../lib/validation';
import { authErrors, jsonBody, jsonResponse, notFoundError } from '../schemas/common';
import { createReferral } from '../services/referrals';
import { ReferralInput, ReferralSchema, ReferralDetailSchema, CodeParam, referralJson } from '../schemas/referrals';

export const referrals = createRouter();

referrals.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['referrals'],
    ...guarded('links:write', 'conversions:write'),
    request: jsonBody(ReferralInput),
    responses: {
      201: jsonResponse(ReferralSchema, 'The new tell-a-friend link'),
      200: jsonResponse(ReferralSchema, 'The link this customer already has for the campaign'),
      ...authErrors,
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const { referral, created } = await createReferral(
      c.var.db,
      c.env,
      { campaignId: input.campaign_id, customerRef: input.customer_ref, destination: input.destination ?? null },
      c.var.now(),
    );
    return c.json(referralJson(publicOrigin(c), referral), created ? 201 : 200);
  },
);

referrals.openapi(
  createRoute({
    method: 'get',
    path: '/{code}',
    tags: ['referrals'],
    ...guarded('links:write', 'conversions:write'),
    request: { params: CodeParam },
    responses: { 200: jsonResponse(ReferralDetailSchema, 'The referral, its all-time stats and the reward codes it earned'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const code = normaliseReferralCode(c.req.valid('param').code);
    const referral = REFERRAL_CODE_PATTERN.test(code) ? await findReferralByCode(c.var.db, code) : null;
    if (!referral) throw notFound('Referral');
    const filter = { referralId: referral.id };
    const [visits, outcomes, rewards] = await Promise.all([
      sumReferralVisits(c.var.db, filter),
      sumReferralOutcomes(c.var.db, filter),
      findReferralRewards(c.var.db, referral.id),
    ]);
    const money = outcomes.filter((row) => row.currency !== null).map((row) => ({ sales: row.sales, revenue: row.revenue, currency: row.currency }));
    // revenue and currency are given for a single currency; revenue_by_currency always.
    const single = money.length <= 1 ? (money[0] ?? { revenue: 0, currency: null }) : { revenue: null, currency: null };
    const stats = {
      visits: visits[0]?.visits ?? 0,
      unique_visitors: visits[0]?.uniqueVisitors ?? 0,
      signups: outcomes.reduce((sum, row) => sum + row.signups, 0),
      sales: money.reduce((sum, row) => sum + row.sales, 0),
      revenue: single.revenue,
      currency: single.currency,
      revenue_by_currency: money,
    };
    const rewardJson = rewards.map((r) => ({
      code: r.code,
      discount: r.discount,
      min_order_value: r.minOrderValue,
      ends_at: r.endsAt,
      redeemed: r.redeemed,
      earned_at: r.earnedAt,
    }));
    return c.json({ ...referralJson(publicOrigin(c), referral), stats, rewards: rewardJson }, 200);
  },
);
