/** `/api/v1/loyalty/rewards`: the marketer's rewards (admin), read by loyalty:read; the shop redeems them for a member (loyalty:write). */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findReward, listRewards } from '../db/loyalty-rewards';
import { customerHashOf } from '../lib/customer';
import { notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, errorResponse, IdParam, jsonBody, jsonResponse, listOf, notFoundError } from '../schemas/common';
import { RedeemedSchema, RedeemRewardInput, RewardInput, RewardListQuery, RewardPatch, RewardSchema, rewardJson } from '../schemas/loyalty-rewards';
import { createReward, editReward, redeemRewardFor, withdrawReward } from '../services/loyalty-rewards';

export const loyaltyRewards = createRouter();

loyaltyRewards.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: jsonBody(RewardInput),
    responses: { 201: jsonResponse(RewardSchema, 'The new reward'), ...authErrors, 422: errorResponse('The campaign is unknown or archived') },
  }),
  async (c) => c.json(rewardJson(await createReward(c.var.db, c.req.valid('json'), c.var.now())), 201),
);

loyaltyRewards.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { query: RewardListQuery },
    responses: { 200: jsonResponse(listOf(RewardSchema), 'Rewards, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listRewards(c.var.db, { includeArchived: query.include_archived === 'true', limit: query.limit, cursor: query.cursor });
    return c.json({ data: page.items.map(rewardJson), next_cursor: page.nextCursor }, 200);
  },
);

loyaltyRewards.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(RewardSchema, 'The reward'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const reward = await findReward(c.var.db, c.req.valid('param').id);
    if (!reward) throw notFound('Reward');
    return c.json(rewardJson(reward), 200);
  },
);

loyaltyRewards.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: { params: IdParam, ...jsonBody(RewardPatch) },
    responses: { 200: jsonResponse(RewardSchema, 'The updated reward'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(rewardJson(await editReward(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.now())), 200),
);

loyaltyRewards.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/archive',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(RewardSchema, 'The archived reward: it can no longer be redeemed'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(rewardJson(await withdrawReward(c.var.db, c.req.valid('param').id, c.var.now())), 200),
);

loyaltyRewards.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/redeem',
    tags: ['loyalty'],
    ...guarded('loyalty:write'),
    request: { params: IdParam, ...jsonBody(RedeemRewardInput) },
    responses: {
      201: jsonResponse(RedeemedSchema, 'Redeemed: the points are spent'),
      ...authErrors,
      ...notFoundError,
      410: errorResponse('out_of_stock, or gone: the reward is archived'),
      422: errorResponse('insufficient_points or member_limit_reached'),
    },
  }),
  async (c) => {
    const customerHash = await customerHashOf(c.env, c.req.valid('json').customer_ref);
    const redeemed = await redeemRewardFor(c.var.db, { customerHash }, c.req.valid('param').id, c.var.now());
    return c.json(
      {
        reward_id: redeemed.rewardId,
        redemption_id: redeemed.redemptionId,
        ...(redeemed.promoCode ? { promo_code: redeemed.promoCode } : {}),
        balance: redeemed.balance,
      },
      201,
    );
  },
);
