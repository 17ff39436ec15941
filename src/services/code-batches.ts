/** Opening a code batch (minted in the request or in the background) and its CSV export: shared by the API and the dashboard. */
import { findCodeBatchById, pageBatchCodes, type CodeBatch } from '../db/code-batches';
import type { Db } from '../db/client';
import { formatCode, normalisePrefix } from '../domain/codes';
import type { Bindings } from '../env';
import { csvResponse, csvStream } from '../lib/csv';
import { findActiveCampaign } from './campaigns';
import { ApiError, notFound } from '../lib/errors';
import type { Clock } from '../lib/time';
import { createCodeBatch, IN_REQUEST_LIMIT, mintBudgetMs, mintMissingCodes, type MintProgress } from './mint-codes';

export const CSV_HEADER = ['code', 'redeem_url', 'batch_id', 'campaign_id', 'max_redemptions', 'redemptions'] as const;
const EXPORT_PAGE = 2_000;

export interface NewCodeBatch {
  campaign_id: string;
  count: number;
  prefix?: string;
  max_redemptions_per_code: number;
  starts_at?: string;
  expires_at?: string;
  reward?: string;
}

export const logMintFailure = (error: unknown) => console.error('minting codes failed', error);

/**
 * Creates a batch of an active campaign. Up to IN_REQUEST_LIMIT codes are
 * minted now (progress returned); larger batches go to `background` (progress null).
 */
export async function openCodeBatch(
  db: Db,
  input: NewCodeBatch,
  clock: Clock,
  env: Pick<Bindings, 'CODE_MINT_BUDGET_MS'>,
  background: (work: Promise<unknown>) => void,
): Promise<{ batch: CodeBatch; progress: MintProgress | null }> {
  if (input.starts_at && input.expires_at && input.expires_at <= input.starts_at) {
    throw new ApiError('validation_error', 'expires_at: must be after starts_at');
  }
  const campaign = await findActiveCampaign(db, input.campaign_id);
  const batch = await createCodeBatch(
    db,
    {
      campaignId: campaign.id,
      prefix: input.prefix ? normalisePrefix(input.prefix) : null,
      count: input.count,
      maxRedemptionsPerCode: input.max_redemptions_per_code,
      startsAt: input.starts_at ?? null,
      expiresAt: input.expires_at ?? null,
      reward: input.reward ?? null,
    },
    clock(),
  );
  if (batch.count <= IN_REQUEST_LIMIT) return { batch, progress: await mintMissingCodes(db, batch, clock, null) };
  background(mintMissingCodes(db, batch, clock, mintBudgetMs(env)).catch(logMintFailure));
  return { batch, progress: null };
}

/** The printer's CSV of a ready batch, streamed a page at a time. */
export async function batchCsvResponse(db: Db, origin: string, id: string): Promise<Response> {
  const batch = await findCodeBatchById(db, id);
  if (!batch) throw notFound('Code batch');
  if (batch.status !== 'ready')
    throw new ApiError('conflict', `The batch is still being minted (${batch.minted} of ${batch.count}); try again when its status is ready`);
  const redeemBase = `${origin}/redeem?c=`;
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
  return csvResponse(`${batch.id}.csv`, stream, { 'Cache-Control': 'no-store' });
}
