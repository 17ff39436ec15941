/** `POST /api/v1/conversions/:id/refund`: the shop refunds an order in full or in part (conversions:write). */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors, errorResponse, IdParam, jsonBody, jsonResponse, notFoundError } from '../schemas/common';
import { RefundInput, RefundSchema } from '../schemas/refunds';
import { refundConversion } from '../services/refunds';

export const refunds = createRouter();

refunds.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/refund',
    tags: ['conversions'],
    ...guarded('conversions:write'),
    request: { params: IdParam, ...jsonBody(RefundInput) },
    responses: {
      201: jsonResponse(RefundSchema, 'Refunded: reports count the net value, the points are reversed'),
      200: jsonResponse(RefundSchema, 'This refund_id was refunded already: the first result'),
      ...authErrors,
      ...notFoundError,
      422: errorResponse('No value, another currency, or more than is left to refund'),
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const request = { amount: input.amount ?? null, refundId: input.refund_id ?? null, currency: input.currency ?? null };
    const { result, created } = await refundConversion(c.var.db, c.req.valid('param').id, request, c.var.now(), c.env.ARCHIVE ?? null);
    return c.json(result, created ? 201 : 200);
  },
);
