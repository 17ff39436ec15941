/** Request and response schemas of /api/v1/code-batches (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import type { CodeBatch } from '../db/code-batches';
import { prefixProblem } from '../domain/codes';
import { CODE_BATCH_STATUSES } from '../domain/vocab';
import { isoDateTime } from './common';

export const CodeBatchInput = z
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

export const CodeBatchSchema = z
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

export const codeBatchJson = (batch: CodeBatch, progress = { minted: batch.minted, status: batch.status }) => ({
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
