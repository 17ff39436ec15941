/** `/api/v1/links`: create (single and bulk), list, get with stats, update, archive, restore. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findLinkById, listLinks } from '../db/links';
import { linkStats } from '../db/link-stats';
import { CHANNELS, LINK_KINDS, RECORD_STATUSES } from '../domain/vocab';
import { notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { createRouter } from '../lib/validation';
import { authErrors, conflictError, errorResponse, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { createLinks } from '../services/create-links';
import { exactVisitorsLimitSetting } from '../services/report-metrics';
import { archiveLink, editLink, restoreLink } from '../services/edit-link';
import { LinkRoutingReportSchema } from '../schemas/link-routing';
import { linkRoutingReport } from '../services/link-routing-report';
import { BulkLinkInput, LinkInput, LinkPatch, LinkSchema, LinkStatsSchema, linkJson } from '../schemas/links';

export const links = createRouter();

links.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['links'],
    ...guarded('links:write'),
    request: jsonBody(LinkInput),
    responses: { 201: jsonResponse(LinkSchema, 'The new link'), ...authErrors, ...conflictError },
  }),
  async (c) => {
    const [link] = await createLinks(c.var.db, [c.req.valid('json')], c.var.now(), false);
    return c.json(linkJson(link, publicOrigin(c)), 201);
  },
);

links.openapi(
  createRoute({
    method: 'post',
    path: '/bulk',
    tags: ['links'],
    ...guarded('links:write'),
    request: jsonBody(BulkLinkInput),
    responses: { 201: jsonResponse(z.object({ data: z.array(LinkSchema) }), 'The new links, in request order'), ...authErrors, ...conflictError },
  }),
  async (c) => {
    const created = await createLinks(c.var.db, c.req.valid('json').links, c.var.now(), true);
    const origin = publicOrigin(c);
    return c.json({ data: created.map((link) => linkJson(link, origin)) }, 201);
  },
);

links.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['links'],
    ...guarded('links:write', 'reports:read'),
    request: {
      query: PageQuery.extend({
        campaign_id: z.string().max(64).optional(),
        kind: z.enum(LINK_KINDS).optional(),
        channel: z.enum(CHANNELS).optional(),
        status: z.enum(RECORD_STATUSES).optional(),
      }),
    },
    responses: { 200: jsonResponse(listOf(LinkSchema), 'Links, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listLinks(c.var.db, { ...query, campaignId: query.campaign_id });
    const origin = publicOrigin(c);
    return c.json({ data: page.items.map((link) => linkJson(link, origin)), next_cursor: page.nextCursor }, 200);
  },
);

links.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['links'],
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(LinkSchema.extend({ stats: LinkStatsSchema }), 'The link with its stats (bots excluded)'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const link = await findLinkById(c.var.db, id);
    if (!link) throw notFound('Link');
    return c.json({ ...linkJson(link, publicOrigin(c)), stats: await linkStats(c.var.db, id, exactVisitorsLimitSetting(c.env)) }, 200);
  },
);

links.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['links'],
    ...guarded('links:write'),
    request: { params: IdParam, ...jsonBody(LinkPatch) },
    responses: { 200: jsonResponse(LinkSchema, 'The updated link'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const link = await editLink(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.now());
    return c.json(linkJson(link, publicOrigin(c)), 200);
  },
);

links.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/archive',
    tags: ['links'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(LinkSchema, 'The archived link; its short URL answers 410 from now on'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const link = await archiveLink(c.var.db, c.req.valid('param').id, c.var.now());
    return c.json(linkJson(link, publicOrigin(c)), 200);
  },
);

links.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/restore',
    tags: ['links'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: {
      200: jsonResponse(LinkSchema, 'The restored link; its short URL redirects again'),
      ...authErrors,
      ...notFoundError,
      422: errorResponse('unprocessable: its campaign is archived (restore the campaign first)'),
    },
  }),
  async (c) => {
    const link = await restoreLink(c.var.db, c.req.valid('param').id, c.var.now());
    return c.json(linkJson(link, publicOrigin(c)), 200);
  },
);

links.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/routing',
    tags: ['links'],
    ...guarded('reports:read'),
    request: { params: IdParam },
    responses: {
      200: jsonResponse(
        LinkRoutingReportSchema,
        'Human visits and last-touch conversions per rule and variant (of the raw touches kept), and each A/B split with its verdict',
      ),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const link = await findLinkById(c.var.db, c.req.valid('param').id);
    if (!link) throw notFound('Link');
    return c.json(await linkRoutingReport(c.var.db, link), 200);
  },
);
