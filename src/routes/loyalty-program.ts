/** `/api/v1/loyalty/program`: the one bonus program's settings and tiers. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { ApiError } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { findProgram, setUpProgram } from '../services/loyalty-program';
import { authErrors, errorResponse, jsonBody, notFoundError } from '../schemas/common';
import { ProgramInput, programJson, programResponse } from '../schemas/loyalty-program';

export const loyaltyProgram = createRouter();

loyaltyProgram.openapi(
  createRoute({
    method: 'put',
    path: '/',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: jsonBody(ProgramInput),
    responses: {
      200: programResponse('The program as saved (created, or replaced as a whole)'),
      ...authErrors,
      422: errorResponse('unprocessable: referral_campaign_id names no active campaign'),
    },
  }),
  async (c) => {
    const program = await setUpProgram(c.var.db, c.req.valid('json'), c.var.now());
    return c.json(programJson(program), 200);
  },
);

loyaltyProgram.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    responses: { 200: programResponse('The program'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const program = await findProgram(c.var.db);
    if (!program) throw new ApiError('not_found', 'There is no loyalty program yet: set it up with PUT /api/v1/loyalty/program');
    return c.json(programJson(program), 200);
  },
);
