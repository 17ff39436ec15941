/** `/api/v1/loyalty/rules`: earning rules as data — create, list, get, update, archive. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { RECORD_STATUSES } from '../domain/vocab';
import { archiveRule, findRule, listRules } from '../db/loyalty-rules';
import { notFound } from '../lib/errors';
import { toIso } from '../lib/time';
import { createRouter } from '../lib/validation';
import { createRule, editRule } from '../services/loyalty-rules';
import { authErrors, errorResponse, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { RuleInput, RulePatch, RuleSchema, ruleJson, ruleResponse } from '../schemas/loyalty-rules';

export const loyaltyRules = createRouter();

const campaignRefused = { 422: errorResponse('unprocessable: campaign_id names no active campaign') };

loyaltyRules.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: jsonBody(RuleInput),
    responses: { 201: ruleResponse('The new rule'), ...authErrors, ...campaignRefused },
  }),
  async (c) => c.json(ruleJson(await createRule(c.var.db, c.req.valid('json'), c.var.now())), 201),
);

loyaltyRules.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { query: PageQuery.extend({ status: z.enum(RECORD_STATUSES).optional() }) },
    responses: { 200: jsonResponse(listOf(RuleSchema), 'Rules, newest first'), ...authErrors },
  }),
  async (c) => {
    const page = await listRules(c.var.db, c.req.valid('query'));
    return c.json({ data: page.items.map(ruleJson), next_cursor: page.nextCursor }, 200);
  },
);

loyaltyRules.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { params: IdParam },
    responses: { 200: ruleResponse('The rule'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const rule = await findRule(c.var.db, c.req.valid('param').id);
    if (!rule) throw notFound('Rule');
    return c.json(ruleJson(rule), 200);
  },
);

loyaltyRules.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: { params: IdParam, ...jsonBody(RulePatch) },
    responses: { 200: ruleResponse('The updated rule; it applies to events from now on'), ...authErrors, ...notFoundError, ...campaignRefused },
  }),
  async (c) => c.json(ruleJson(await editRule(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.now())), 200),
);

loyaltyRules.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/archive',
    tags: ['loyalty'],
    ...guarded('admin'),
    request: { params: IdParam },
    responses: { 200: ruleResponse('The archived rule; it pays nothing from now on, what it paid stays'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const archived = await archiveRule(c.var.db, c.req.valid('param').id, toIso(c.var.now()));
    if (!archived) throw notFound('Rule');
    return c.json(ruleJson(archived), 200);
  },
);
