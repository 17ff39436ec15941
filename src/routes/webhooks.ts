/** `/api/v1/webhooks`: outgoing webhook endpoints (Standard Webhooks), their test ping, delivery log and replays. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { listDeliveries } from '../db/webhook-deliveries';
import { listWebhookEndpoints } from '../db/webhook-endpoints';
import { notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { CreatedWebhookSchema, DeliverySchema, deliveryJson, WebhookInput, WebhookPatch, WebhookSchema, webhookJson } from '../schemas/webhooks';
import { replayDelivery } from '../services/webhook-delivery';
import { createEndpoint, editEndpoint, getEndpoint, pingEndpoint, removeEndpoint } from '../services/webhooks';

export const webhooks = createRouter();

webhooks.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: jsonBody(WebhookInput),
    responses: { 201: jsonResponse(CreatedWebhookSchema, 'The new endpoint, with its signing secret (shown this once)'), ...authErrors },
  }),
  async (c) => {
    const { endpoint, secret } = await createEndpoint(c.var.db, c.env, c.req.valid('json'), c.var.now());
    return c.json({ ...webhookJson(endpoint), secret }, 201);
  },
);

webhooks.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { query: PageQuery },
    responses: { 200: jsonResponse(listOf(WebhookSchema), 'Endpoints, newest first'), ...authErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listWebhookEndpoints(c.var.db, limit, cursor);
    return c.json({ data: page.items.map(webhookJson), next_cursor: page.nextCursor }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(WebhookSchema, 'The endpoint (never its secret)'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(webhookJson(await getEndpoint(c.var.db, c.req.valid('param').id)), 200),
);

webhooks.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: IdParam, ...jsonBody(WebhookPatch) },
    responses: { 200: jsonResponse(WebhookSchema, 'The updated endpoint'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(webhookJson(await editEndpoint(c.var.db, c.env, c.req.valid('param').id, c.req.valid('json'), c.var.now())), 200),
);

webhooks.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted, with its delivery log' }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    await removeEndpoint(c.var.db, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

webhooks.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/test',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(DeliverySchema, 'The webhook.test delivery, attempted once just now'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(deliveryJson(await pingEndpoint(c.var.db, c.env, c.req.valid('param').id, c.var.now())), 200),
);

webhooks.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/deliveries',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: IdParam, query: PageQuery },
    responses: { 200: jsonResponse(listOf(DeliverySchema), 'The delivery log, newest first'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    await getEndpoint(c.var.db, id);
    const page = await listDeliveries(c.var.db, id, limit, cursor);
    return c.json({ data: page.items.map(deliveryJson), next_cursor: page.nextCursor }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: 'post',
    path: '/deliveries/{id}/replay',
    tags: ['webhooks'],
    ...guarded('integrations:write'),
    request: { params: z.object({ id: IdParam.shape.id }) },
    responses: { 200: jsonResponse(DeliverySchema, 'The delivery after one more attempt just now, with the same webhook-id'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const delivery = await replayDelivery(c.var.db, c.env, c.req.valid('param').id, c.var.now());
    if (!delivery) throw notFound('Webhook delivery');
    return c.json(deliveryJson(delivery), 200);
  },
);
