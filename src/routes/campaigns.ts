/** `/api/v1/campaigns`: create, list, get, update, archive, restore. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findCampaignById, listCampaigns } from '../db/campaigns';
import { RECORD_STATUSES } from '../domain/vocab';
import { notFound } from '../lib/errors';
import { archiveCampaign, createCampaign, editCampaign, restoreCampaign } from '../services/campaigns';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { CampaignInput, CampaignPatch, CampaignSchema, campaignJson, campaignResponse } from '../schemas/campaigns';

export const campaigns = createRouter();

campaigns.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['campaigns'],
    ...guarded('links:write'),
    request: jsonBody(CampaignInput),
    responses: { 201: campaignResponse('The new campaign'), ...authErrors },
  }),
  async (c) => {
    const campaign = await createCampaign(c.var.db, c.req.valid('json'), c.var.now());
    return c.json(campaignJson(campaign), 201);
  },
);

campaigns.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['campaigns'],
    ...guarded('links:write', 'reports:read'),
    request: { query: PageQuery.extend({ status: z.enum(RECORD_STATUSES).optional() }) },
    responses: { 200: jsonResponse(listOf(CampaignSchema), 'Campaigns, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listCampaigns(c.var.db, query);
    return c.json({ data: page.items.map(campaignJson), next_cursor: page.nextCursor }, 200);
  },
);

campaigns.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['campaigns'],
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: campaignResponse('The campaign'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const campaign = await findCampaignById(c.var.db, c.req.valid('param').id);
    if (!campaign) throw notFound('Campaign');
    return c.json(campaignJson(campaign), 200);
  },
);

campaigns.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['campaigns'],
    ...guarded('links:write'),
    request: { params: IdParam, ...jsonBody(CampaignPatch) },
    responses: { 200: campaignResponse('The updated campaign'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const updated = await editCampaign(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.now());
    return c.json(campaignJson(updated), 200);
  },
);

campaigns.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/archive',
    tags: ['campaigns'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: { 200: campaignResponse('The archived campaign; its links answer 410 from now on'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const archived = await archiveCampaign(c.var.db, id, c.var.now());
    return c.json(campaignJson(archived), 200);
  },
);

campaigns.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/restore',
    tags: ['campaigns'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: {
      200: campaignResponse('The restored campaign; its links redirect again (links archived one by one stay archived)'),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const restored = await restoreCampaign(c.var.db, c.req.valid('param').id, c.var.now());
    return c.json(campaignJson(restored), 200);
  },
);
