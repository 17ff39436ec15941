/** `/api/v1/keys`: mint, list and revoke API keys (admin only). The secret is shown once. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { listApiKeys, type ApiKey } from '../db/api-keys';
import { SCOPES } from '../domain/vocab';
import { revokeKey } from '../lib/auth';
import { notFound } from '../lib/errors';
import { authErrors, createRouter, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../lib/validation';
import { mintApiKey } from '../services/api-keys';

export const KeyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  })
  .strict()
  .openapi('KeyInput');

const KeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    key_prefix: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const CreatedKeySchema = KeySchema.extend({ key: z.string().describe('The secret; shown only in this response') }).openapi('CreatedApiKey');

const toJson = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  scopes: key.scopes,
  key_prefix: key.keyPrefix,
  created_at: key.createdAt,
  last_used_at: key.lastUsedAt,
});


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
    return c.json({ ...toJson(key), key: secret }, 201);
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
    return c.json({ data: page.items.map(toJson), next_cursor: page.nextCursor }, 200);
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
