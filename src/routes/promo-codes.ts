/** `/api/v1/promo-codes`: marketers manage promotions (links:write); shops validate and redeem (conversions:write). */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findPromoCodeById, listPromoCodes, updatePromoCode } from '../db/promo-codes';
import { notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { redeemPromoCode, redemptionJson, validatePromoCode } from '../services/promo-codes';
import { checkPromoWindow, createPromotion, promoCsvResponse } from '../services/promotions';
import {
  PromoCodeSchema,
  PromoRedemptionSchema,
  PromoValidSchema,
  promoJson,
  PromoInput,
  PromoPatch,
  ValidateInput,
  RedeemInput,
} from '../schemas/promo-codes';

export const promoCodes = createRouter();

promoCodes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['promo-codes'],
    ...guarded('links:write'),
    request: jsonBody(PromoInput),
    responses: { 201: jsonResponse(PromoCodeSchema, 'The promotion, with its codes'), ...authErrors },
  }),
  async (c) => c.json(await createPromotion(c.var.db, c.req.valid('json'), c.var.now()), 201),
);

promoCodes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['promo-codes'],
    ...guarded('links:write', 'reports:read'),
    request: { query: PageQuery.extend({ campaign_id: z.string().max(64).optional() }) },
    responses: { 200: jsonResponse(listOf(PromoCodeSchema), 'Promotions, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listPromoCodes(c.var.db, { campaignId: query.campaign_id, limit: query.limit, cursor: query.cursor });
    return c.json({ data: page.items.map(promoJson), next_cursor: page.nextCursor }, 200);
  },
);

promoCodes.openapi(
  createRoute({
    method: 'post',
    path: '/validate',
    tags: ['promo-codes'],
    ...guarded('conversions:write'),
    request: jsonBody(ValidateInput),
    responses: { 200: jsonResponse(PromoValidSchema, 'The code may be used'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const { promo, code } = await validatePromoCode(
      c.var.db,
      c.env,
      { code: input.code, customerRef: input.customer_ref ?? null, orderValue: input.order_value ?? null },
      c.var.now(),
    );
    const remaining = promo.maxRedemptions === null ? null : promo.maxRedemptions - promo.redemptions;
    return c.json(
      {
        valid: true as const,
        code,
        promo_code_id: promo.id,
        campaign_id: promo.campaignId,
        discount: promo.discount,
        min_order_value: promo.minOrderValue,
        remaining,
      },
      200,
    );
  },
);

promoCodes.openapi(
  createRoute({
    method: 'post',
    path: '/redeem',
    tags: ['promo-codes'],
    ...guarded('conversions:write'),
    request: jsonBody(RedeemInput),
    responses: {
      201: jsonResponse(PromoRedemptionSchema, 'Redeemed for this order'),
      200: jsonResponse(PromoRedemptionSchema, 'This order had already redeemed the code: the first redemption'),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const redemption = await redeemPromoCode(
      c.var.db,
      c.env,
      { code: input.code, orderId: input.order_id, customerRef: input.customer_ref ?? null, orderValue: input.order_value ?? null },
      c.var.now(),
    );
    return c.json(redemptionJson(redemption), redemption.replayed ? 200 : 201);
  },
);

promoCodes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['promo-codes'],
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(PromoCodeSchema, 'The promotion'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const promo = await findPromoCodeById(c.var.db, c.req.valid('param').id);
    if (!promo) throw notFound('Promo code');
    return c.json(promoJson(promo), 200);
  },
);

promoCodes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['promo-codes'],
    ...guarded('links:write'),
    request: { params: IdParam, ...jsonBody(PromoPatch) },
    responses: { 200: jsonResponse(PromoCodeSchema, 'The updated promotion'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const current = await findPromoCodeById(c.var.db, id);
    if (!current) throw notFound('Promo code');
    checkPromoWindow(input.starts_at === undefined ? current.startsAt : input.starts_at, input.ends_at === undefined ? current.endsAt : input.ends_at);
    const fields = {
      startsAt: input.starts_at,
      endsAt: input.ends_at,
      maxRedemptions: input.max_redemptions,
      maxPerCustomer: input.max_per_customer,
      minOrderValue: input.min_order_value,
      discount: input.discount,
      channel: input.channel,
      status: input.status,
    };
    const updated = await updatePromoCode(c.var.db, id, fields, c.var.now());
    return c.json(promoJson(updated!), 200);
  },
);

promoCodes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/codes.csv',
    tags: ['promo-codes'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: {
      200: { content: { 'text/csv': { schema: z.string() } }, description: 'code,promo_code_id,campaign_id,redemptions' },
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => (await promoCsvResponse(c.var.db, c.req.valid('param').id)) as never,
);
