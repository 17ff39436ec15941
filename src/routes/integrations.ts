/** `/api/v1/integrations`: connect a Shopify store, WooCommerce site or Stripe account (integrations:write). The secret is taken, never answered. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { deleteIntegration, findIntegrationById, listIntegrations } from '../db/integrations';
import { notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { IntegrationInput, IntegrationSchema, integrationJson, RotateInput } from '../schemas/integrations';
import { createIntegration, rotateIntegrationSecret } from '../services/integrations';

export const integrations = createRouter();

integrations.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['integrations'],
    ...guarded('integrations:write'),
    request: jsonBody(IntegrationInput),
    responses: { 201: jsonResponse(IntegrationSchema, 'Connected: paste webhook_url into the platform'), ...authErrors },
  }),
  async (c) => {
    const integration = await createIntegration(c.var.db, c.env, c.req.valid('json'), c.var.now());
    return c.json(integrationJson(integration, publicOrigin(c)), 201);
  },
);

integrations.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['integrations'],
    ...guarded('integrations:write'),
    request: { query: PageQuery },
    responses: { 200: jsonResponse(listOf(IntegrationSchema), 'Integrations, newest first'), ...authErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listIntegrations(c.var.db, limit, cursor);
    const origin = publicOrigin(c);
    return c.json({ data: page.items.map((integration) => integrationJson(integration, origin)), next_cursor: page.nextCursor }, 200);
  },
);

integrations.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['integrations'],
    ...guarded('integrations:write'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(IntegrationSchema, 'The integration'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const integration = await findIntegrationById(c.var.db, c.req.valid('param').id);
    if (!integration) throw notFound('Integration');
    return c.json(integrationJson(integration, publicOrigin(c)), 200);
  },
);

integrations.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/rotate',
    tags: ['integrations'],
    ...guarded('integrations:write'),
    request: { params: IdParam, ...jsonBody(RotateInput) },
    responses: { 200: jsonResponse(IntegrationSchema, 'The new secret verifies from now on; the old one no longer does'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const rotated = await rotateIntegrationSecret(c.var.db, c.env, c.req.valid('param').id, c.req.valid('json').secret, c.var.now());
    if (!rotated) throw notFound('Integration');
    return c.json(integrationJson(rotated, publicOrigin(c)), 200);
  },
);

integrations.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['integrations'],
    ...guarded('integrations:write'),
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted with its secret: its webhook URL answers 404 from now on' }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    if (!(await deleteIntegration(c.var.db, c.req.valid('param').id))) throw notFound('Integration');
    return c.body(null, 204);
  },
);
