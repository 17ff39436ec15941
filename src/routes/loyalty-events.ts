/** `POST /api/v1/loyalty/events`: the shop posts an earning occasion (a review, a survey, a sign-up, a custom event …). */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { ApiError } from '../lib/errors';
import { customerHashOf } from '../lib/customer';
import { createRouter } from '../lib/validation';
import { earnPoints } from '../services/loyalty-earn';
import { authErrors, errorResponse, jsonBody, jsonResponse } from '../schemas/common';
import { EventInput, EventResultSchema, eventResultJson } from '../schemas/loyalty-events';

export const loyaltyEvents = createRouter();

loyaltyEvents.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['loyalty'],
    ...guarded('loyalty:write'),
    request: jsonBody(EventInput),
    responses: {
      201: jsonResponse(EventResultSchema, 'The event is booked with the points its rules paid'),
      200: jsonResponse(EventResultSchema, 'The idempotency_key was booked before: its first result, nothing booked now (or: not enrolled, id null)'),
      ...authErrors,
      422: errorResponse('unprocessable: the bonus program is not set up yet'),
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const now = c.var.now();
    const result = await earnPoints(
      c.var.db,
      {
        type: input.type,
        customerHash: await customerHashOf(c.env, input.customer_ref),
        idempotencyKey: input.idempotency_key,
        name: input.name ?? null,
        value: input.value ?? null,
        currency: input.currency ?? null,
        campaignId: input.campaign_id ?? null,
        occurredAt: now,
      },
      now,
    );
    if (!result) throw new ApiError('unprocessable', 'The bonus program is not set up yet (PUT /api/v1/loyalty/program)');
    return c.json(eventResultJson(result), result.created ? 201 : 200);
  },
);
