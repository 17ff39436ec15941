/** Request and response schemas of /api/v1/keys (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import type { ApiKey } from '../db/api-keys';
import { SCOPES } from '../domain/vocab';

export const KeyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  })
  .strict()
  .openapi('KeyInput');

export const KeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    key_prefix: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .openapi('ApiKey');

export const CreatedKeySchema = KeySchema.extend({ key: z.string().describe('The secret; shown only in this response') }).openapi('CreatedApiKey');

export const keyJson = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  scopes: key.scopes,
  key_prefix: key.keyPrefix,
  created_at: key.createdAt,
  last_used_at: key.lastUsedAt,
});
