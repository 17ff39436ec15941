/** `/api/v1/loyalty/challenges`: game elements — a goal of events in a period that pays a bonus once per member. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { RECORD_STATUSES } from '../domain/vocab';
import { archiveChallenge, findChallenge, listChallenges } from '../db/loyalty-challenges';
import { notFound } from '../lib/errors';
import { toIso } from '../lib/time';
import { createRouter } from '../lib/validation';
import { createChallenge } from '../services/loyalty-challenges';
import { authErrors, errorResponse, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { ChallengeInput, ChallengeSchema, challengeJson, challengeResponse } from '../schemas/loyalty-challenges';

export const loyaltyChallenges = createRouter();

loyaltyChallenges.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: jsonBody(ChallengeInput),
    responses: { 201: challengeResponse('The new challenge'), ...authErrors, 422: errorResponse('unprocessable: campaign_id names no active campaign') },
  }),
  async (c) => {
    const challenge = await createChallenge(c.var.db, c.req.valid('json'), c.var.now());
    return c.json(challengeJson(challenge), 201);
  },
);

loyaltyChallenges.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { query: PageQuery.extend({ status: z.enum(RECORD_STATUSES).optional() }) },
    responses: { 200: jsonResponse(listOf(ChallengeSchema), 'Challenges, newest first'), ...authErrors },
  }),
  async (c) => {
    const page = await listChallenges(c.var.db, c.req.valid('query'));
    return c.json({ data: page.items.map(challengeJson), next_cursor: page.nextCursor }, 200);
  },
);

loyaltyChallenges.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { params: IdParam },
    responses: { 200: challengeResponse('The challenge'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const challenge = await findChallenge(c.var.db, c.req.valid('param').id);
    if (!challenge) throw notFound('Challenge');
    return c.json(challengeJson(challenge), 200);
  },
);

loyaltyChallenges.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/archive',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: { params: IdParam },
    responses: { 200: challengeResponse('The archived challenge; it pays no more bonuses, those paid stay'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const archived = await archiveChallenge(c.var.db, c.req.valid('param').id, toIso(c.var.now()));
    if (!archived) throw notFound('Challenge');
    return c.json(challengeJson(archived), 200);
  },
);
