/** `/api/v1/code-batches`: mint action codes for a packaging run, follow progress, export them as CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { findCodeBatchById, listCodeBatches } from '../db/code-batches';
import { notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { batchCsvResponse, CSV_HEADER, logMintFailure, openCodeBatch } from '../services/code-batches';
import { continueMinting, IN_REQUEST_LIMIT, mintBudgetMs } from '../services/mint-codes';
import { CodeBatchInput, CodeBatchSchema, codeBatchJson } from '../schemas/code-batches';

export const codeBatches = createRouter();

codeBatches.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['codes'],
    ...guarded('links:write'),
    request: jsonBody(CodeBatchInput),
    responses: {
      201: jsonResponse(CodeBatchSchema, `The batch, minted (up to ${IN_REQUEST_LIMIT} codes)`),
      202: jsonResponse(CodeBatchSchema, 'The batch, being minted in the background'),
      ...authErrors,
    },
  }),
  async (c) => {
    const { batch, progress } = await openCodeBatch(c.var.db, c.req.valid('json'), c.var.now, c.env, (work) => c.executionCtx.waitUntil(work));
    return progress ? c.json(codeBatchJson(batch, progress), 201) : c.json(codeBatchJson(batch), 202);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['codes'],
    ...guarded('links:write', 'reports:read'),
    request: { query: PageQuery.extend({ campaign_id: z.string().max(64).optional() }) },
    responses: { 200: jsonResponse(listOf(CodeBatchSchema), 'Code batches, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listCodeBatches(c.var.db, { campaignId: query.campaign_id, limit: query.limit, cursor: query.cursor });
    return c.json({ data: page.items.map((batch) => codeBatchJson(batch)), next_cursor: page.nextCursor }, 200);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['codes'],
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(CodeBatchSchema, 'The batch and its minting progress'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const batch = await findCodeBatchById(c.var.db, c.req.valid('param').id);
    if (!batch) throw notFound('Code batch');
    if (batch.status === 'minting' && (!batch.leaseUntil || batch.leaseUntil < new Date(c.var.now()).toISOString())) {
      // The last run stopped (budget spent or cut off): pick up where it left off.
      c.executionCtx.waitUntil(continueMinting(c.var.db, batch.id, c.var.now, mintBudgetMs(c.env)).catch(logMintFailure));
    }
    return c.json(codeBatchJson(batch), 200);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/codes.csv',
    tags: ['codes'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: {
      200: { content: { 'text/csv': { schema: z.string() } }, description: `CSV for the printer: ${CSV_HEADER.join(',')}` },
      ...authErrors,
      ...notFoundError,
      409: jsonResponse(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The batch is still being minted'),
    },
  }),
  async (c) => batchCsvResponse(c.var.db, publicOrigin(c), c.req.valid('param').id) as never,
);
