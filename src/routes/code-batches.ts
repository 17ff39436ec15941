/** `/api/v1/code-batches`: mint action codes for a packaging run, follow progress, export them as CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { findCampaignById } from '../db/campaigns';
import { findCodeBatchById, listCodeBatches, pageBatchCodes, type CodeBatch } from '../db/code-batches';
import { formatCode, normalisePrefix, prefixProblem } from '../domain/codes';
import { CODE_BATCH_STATUSES } from '../domain/vocab';
import { requireScope } from '../lib/auth';
import { csvStream } from '../lib/csv';
import { ApiError, notFound } from '../lib/errors';
import { publicOrigin } from '../lib/origin';
import { authErrors, createRouter, IdParam, isoDateTime, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../lib/validation';
import { continueMinting, createCodeBatch, IN_REQUEST_LIMIT, mintBudgetMs, mintMissingCodes } from '../services/mint-codes';

const CodeBatchInput = z
  .object({
    campaign_id: z.string().min(1).max(64),
    count: z.number().int().min(1).max(1_000_000),
    prefix: z
      .string()
      .max(20)
      .refine((value) => prefixProblem(value) === null, { error: (issue) => prefixProblem(String(issue.input)) ?? 'invalid prefix' })
      .optional(),
    max_redemptions_per_code: z.number().int().min(1).max(1_000_000).default(1),
    starts_at: isoDateTime.optional(),
    expires_at: isoDateTime.optional(),
    reward: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .openapi('CodeBatchInput');

const CodeBatchSchema = z
  .object({
    id: z.string(),
    campaign_id: z.string(),
    count: z.number(),
    minted: z.number(),
    status: z.enum(CODE_BATCH_STATUSES),
    prefix: z.string().nullable(),
    max_redemptions_per_code: z.number(),
    starts_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    reward: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    csv_url: z.string(),
  })
  .openapi('CodeBatch');

export const CSV_HEADER = ['code', 'redeem_url', 'batch_id', 'campaign_id', 'max_redemptions', 'redemptions'] as const;
const EXPORT_PAGE = 2_000;

const toJson = (batch: CodeBatch, progress = { minted: batch.minted, status: batch.status }) => ({
  id: batch.id,
  campaign_id: batch.campaignId,
  count: batch.count,
  minted: progress.minted,
  status: progress.status,
  prefix: batch.prefix,
  max_redemptions_per_code: batch.maxRedemptionsPerCode,
  starts_at: batch.startsAt,
  expires_at: batch.expiresAt,
  reward: batch.reward,
  created_at: batch.createdAt,
  updated_at: batch.updatedAt,
  csv_url: `/api/v1/code-batches/${batch.id}/codes.csv`,
});

const security = [{ bearer: [] }];
const logFailure = (error: unknown) => console.error('minting codes failed', error);

export const codeBatches = createRouter();

codeBatches.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['codes'],
    security,
    middleware: requireScope('links:write'),
    request: jsonBody(CodeBatchInput),
    responses: {
      201: jsonResponse(CodeBatchSchema, `The batch, minted (up to ${IN_REQUEST_LIMIT} codes)`),
      202: jsonResponse(CodeBatchSchema, 'The batch, being minted in the background'),
      ...authErrors,
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    if (input.starts_at && input.expires_at && input.expires_at <= input.starts_at) {
      throw new ApiError('validation_error', 'expires_at: must be after starts_at');
    }
    const campaign = await findCampaignById(c.var.db, input.campaign_id);
    if (!campaign) throw new ApiError('unprocessable', `campaign_id: no campaign ${input.campaign_id}`);
    if (campaign.status === 'archived') throw new ApiError('unprocessable', `campaign_id: campaign ${input.campaign_id} is archived`);
    const batch = await createCodeBatch(
      c.var.db,
      {
        campaignId: campaign.id,
        prefix: input.prefix ? normalisePrefix(input.prefix) : null,
        count: input.count,
        maxRedemptionsPerCode: input.max_redemptions_per_code,
        startsAt: input.starts_at ?? null,
        expiresAt: input.expires_at ?? null,
        reward: input.reward ?? null,
      },
      c.var.now(),
    );
    if (batch.count <= IN_REQUEST_LIMIT) {
      const progress = await mintMissingCodes(c.var.db, batch, c.var.now, null);
      return c.json(toJson(batch, progress), 201);
    }
    c.executionCtx.waitUntil(mintMissingCodes(c.var.db, batch, c.var.now, mintBudgetMs(c.env)).catch(logFailure));
    return c.json(toJson(batch), 202);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['codes'],
    security,
    middleware: requireScope('links:write', 'reports:read'),
    request: { query: PageQuery.extend({ campaign_id: z.string().max(64).optional() }) },
    responses: { 200: jsonResponse(listOf(CodeBatchSchema), 'Code batches, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const page = await listCodeBatches(c.var.db, { campaignId: query.campaign_id, limit: query.limit, cursor: query.cursor });
    return c.json({ data: page.items.map((batch) => toJson(batch)), next_cursor: page.nextCursor }, 200);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['codes'],
    security,
    middleware: requireScope('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(CodeBatchSchema, 'The batch and its minting progress'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const batch = await findCodeBatchById(c.var.db, c.req.valid('param').id);
    if (!batch) throw notFound('Code batch');
    if (batch.status === 'minting' && (!batch.leaseUntil || batch.leaseUntil < new Date(c.var.now()).toISOString())) {
      // The last run stopped (budget spent or cut off): pick up where it left off.
      c.executionCtx.waitUntil(continueMinting(c.var.db, batch.id, c.var.now, mintBudgetMs(c.env)).catch(logFailure));
    }
    return c.json(toJson(batch), 200);
  },
);

codeBatches.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/codes.csv',
    tags: ['codes'],
    security,
    middleware: requireScope('links:write'),
    request: { params: IdParam },
    responses: {
      200: { content: { 'text/csv': { schema: z.string() } }, description: `CSV for the printer: ${CSV_HEADER.join(',')}` },
      ...authErrors,
      ...notFoundError,
      409: jsonResponse(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The batch is still being minted'),
    },
  }),
  async (c) => {
    const batch = await findCodeBatchById(c.var.db, c.req.valid('param').id);
    if (!batch) throw notFound('Code batch');
    if (batch.status !== 'ready') throw new ApiError('conflict', `The batch is still being minted (${batch.minted} of ${batch.count}); try again when its status is ready`);
    const redeemBase = `${publicOrigin(c)}/redeem?c=`;
    const db = c.var.db;
    const stream = csvStream(CSV_HEADER, 0, async (afterId: number) => {
      const codes = await pageBatchCodes(db, batch.id, afterId, EXPORT_PAGE);
      return {
        rows: codes.map((code) => {
          const shown = formatCode(code.code);
          return [shown, redeemBase + shown, batch.id, batch.campaignId, code.maxRedemptions, code.redemptions];
        }),
        next: codes.length === EXPORT_PAGE ? codes[codes.length - 1].id : null,
      };
    });
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${batch.id}.csv"`,
      'Cache-Control': 'no-store',
    });
  },
);
