/** `/api/v1/campaigns`: create, list, get, update, archive. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findCampaignById, listCampaigns, type Campaign } from '../db/campaigns';
import { RECORD_STATUSES } from '../domain/vocab';
import { notFound } from '../lib/errors';
import { archiveCampaign, createCampaign, editCampaign } from '../services/campaigns';
import {
  authErrors,
  createRouter,
  IdParam,
  isoDateTime,
  jsonBody,
  jsonResponse,
  listOf,
  notFoundError,
  PageQuery,
} from '../lib/validation';
import { destinationUrl, utmValue } from './link-schemas';
import { ReferralRewardInput } from './referral-reward-schema';

const CampaignFieldsInput = z.object({
  name: z.string().trim().min(1).max(200),
  utm_campaign: utmValue.optional(),
  landing_url: destinationUrl.nullable().optional(),
  referral_reward: ReferralRewardInput.nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
  starts_at: isoDateTime.nullable().optional(),
  ends_at: isoDateTime.nullable().optional(),
});

export const CampaignInput = CampaignFieldsInput.strict().openapi('CampaignInput');
export const CampaignPatch = CampaignFieldsInput.partial().strict().openapi('CampaignPatch');

const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    utm_campaign: z.string(),
    landing_url: z.string().nullable(),
    referral_reward: ReferralRewardInput.nullable(),
    description: z.string().nullable(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    status: z.enum(RECORD_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Campaign');

const toJson = (campaign: Campaign) => ({
  id: campaign.id,
  name: campaign.name,
  utm_campaign: campaign.utmCampaign,
  landing_url: campaign.landingUrl,
  referral_reward: campaign.referralReward,
  description: campaign.description,
  starts_at: campaign.startsAt,
  ends_at: campaign.endsAt,
  status: campaign.status,
  created_at: campaign.createdAt,
  updated_at: campaign.updatedAt,
});


const campaignResponse = (description: string) => jsonResponse(CampaignSchema, description);

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
    return c.json(toJson(campaign), 201);
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
    return c.json({ data: page.items.map(toJson), next_cursor: page.nextCursor }, 200);
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
    return c.json(toJson(campaign), 200);
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
    return c.json(toJson(updated), 200);
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
    return c.json(toJson(archived), 200);
  },
);
