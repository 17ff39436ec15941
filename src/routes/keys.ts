/** `/api/v1/keys`: mint, list and revoke API keys (admin only). The secret is shown once. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { listApiKeys } from '../db/api-keys';
import { revokeKey } from '../services/auth';
import { notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { mintApiKey } from '../services/api-keys';
import { KeyInput, KeySchema, CreatedKeySchema, keyJson } from '../schemas/keys';

export const keys = createRouter();

keys.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['keys'],
    ...guarded('admin'),
    request: jsonBody(KeyInput),
    responses: { 201: jsonResponse(CreatedKeySchema, 'The new key, with its secret'), ...authErrors },
  }),
  async (c) => {
    const { key, secret } = await mintApiKey(c.var.db, c.req.valid('json'), c.var.now());
    return c.json({ ...keyJson(key), key: secret }, 201);
  },
);

keys.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['keys'],
    ...guarded('admin'),
    request: { query: PageQuery },
    responses: { 200: jsonResponse(listOf(KeySchema), 'Live keys, newest first'), ...authErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listApiKeys(c.var.db, limit, cursor);
    return c.json({ data: page.items.map(keyJson), next_cursor: page.nextCursor }, 200);
  },
);

keys.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['keys'],
    ...guarded('admin'),
    request: { params: IdParam },
    responses: { 204: { description: 'Revoked' }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await revokeKey(c.var.db, id, c.var.now()))) throw notFound('API key');
    return c.body(null, 204);
  },
);
