/** `DELETE /api/v1/customers/:customer_ref`: erase what links a person to their data (admin only). */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { eraseCustomerHash } from '../db/customers';
import { randomString } from '../lib/ids';
import { createRouter } from '../lib/validation';
import { authErrors, jsonResponse } from '../schemas/common';
import { customerHashOf } from '../lib/customer';
import { referralCache } from '../services/link-cache';
import { eraseReferrerFromArchive } from '../services/touch-archive';

const ErasedSchema = z.object({ erased: z.literal(true), rows: z.record(z.string(), z.number()) }).openapi('CustomerErasure');

export const customers = createRouter();

customers.openapi(
  createRoute({
    method: 'delete',
    path: '/{customer_ref}',
    tags: ['customers'],
    ...guarded('admin'),
    request: { params: z.object({ customer_ref: z.string().min(1).max(200) }) },
    responses: { 200: jsonResponse(ErasedSchema, 'Rows changed per table; reports keep their counts under an anonymous pseudonym'), ...authErrors },
  }),
  async (c) => {
    const hash = await customerHashOf(c.env, c.req.valid('param').customer_ref);
    const pseudonym = `erased_${randomString(26)}`;
    // The archive first: should rewriting it fail, nothing is erased yet and the request can simply be repeated.
    const archived = c.env.ARCHIVE ? await eraseReferrerFromArchive(c.var.db, c.env.ARCHIVE, hash, pseudonym) : 0;
    const rows = { ...(await eraseCustomerHash(c.var.db, hash, pseudonym)), archived_touches: archived };
    // Cached referral targets carry the old hash; erasures are rare, so this isolate forgets them all.
    referralCache.clear();
    return c.json({ erased: true as const, rows }, 200);
  },
);
