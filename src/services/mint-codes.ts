/**
 * Minting action codes. Up to IN_REQUEST_LIMIT codes are minted in the request;
 * larger batches in the background, in rounds. A run holds a lease on the batch
 * (so two runs never mint the same batch at once) and stops after its time
 * budget, handing over to the next GET of the batch or the cron trigger: the
 * batch row's `minted` count is the progress, so minting resumes where it stopped.
 */
import {
  findStalledCodeBatches,
  insertCodeBatch,
  leaseCodeBatch,
  releaseCodeBatch,
  storeCodes,
  type CodeBatch,
  type CodeBatchFields,
} from '../db/code-batches';
import { createDb, type Db } from '../db/client';
import { generateCodes } from '../domain/codes';
import type { Bindings } from '../env';
import { newId } from '../lib/ids';
import type { Clock } from '../lib/time';

export const IN_REQUEST_LIMIT = 100_000;
/** Codes generated and stored per round trip (one D1 batch). */
export const CODES_PER_ROUND = 20_000;
const LEASE_MS = 60_000;
const MAX_FRUITLESS_ROUNDS = 5;

export type CodeGenerator = (count: number, prefix: string) => string[];

export interface MintProgress {
  minted: number;
  status: CodeBatch['status'];
}

/** The background budget per run (CODE_MINT_BUDGET_MS, default 20 s: well inside waitUntil's limit). */
export const mintBudgetMs = (env: Pick<Bindings, 'CODE_MINT_BUDGET_MS'>): number => {
  const value = Number(env.CODE_MINT_BUDGET_MS);
  return Number.isFinite(value) && value > 0 ? value : 20_000;
};

/**
 * Mints the missing codes of a batch whose lease the caller holds, until the
 * batch is ready or `budgetMs` is spent. Collisions (the UNIQUE index skips
 * them) are topped up in the next round.
 */
export async function mintMissingCodes(
  db: Db,
  batch: CodeBatch,
  clock: Clock,
  budgetMs: number | null,
  generate: CodeGenerator = generateCodes,
): Promise<MintProgress> {
  const started = clock();
  let progress: MintProgress = { minted: batch.minted, status: batch.status };
  let fruitless = 0;
  try {
    while (progress.status === 'minting') {
      if (budgetMs !== null && clock() - started >= budgetMs) {
        await releaseCodeBatch(db, batch.id);
        break;
      }
      // In the background, yield between rounds so the response and other requests go first.
      if (budgetMs !== null) await new Promise((resolve) => setTimeout(resolve, 1));
      const wanted = Math.min(batch.count - progress.minted, CODES_PER_ROUND);
      const before = progress.minted;
      progress = await storeCodes(db, batch, generate(wanted, batch.prefix ?? ''), clock(), clock() + LEASE_MS);
      fruitless = progress.minted === before ? fruitless + 1 : 0;
      if (fruitless >= MAX_FRUITLESS_ROUNDS) throw new Error(`minting ${batch.id}: ${fruitless} rounds without a new code`);
    }
  } catch (error) {
    await releaseCodeBatch(db, batch.id).catch(() => undefined);
    throw error;
  }
  return progress;
}

/** Creates a batch holding its own minting lease; the caller mints it (now or in the background). */
export async function createCodeBatch(db: Db, fields: CodeBatchFields, now: number): Promise<CodeBatch> {
  return insertCodeBatch(db, newId('codeBatch', now), fields, now, now + LEASE_MS);
}

/** Continues a stalled batch if its lease is free; null when it is done or another run is minting it. */
export async function continueMinting(db: Db, batchId: string, clock: Clock, budgetMs: number): Promise<MintProgress | null> {
  const now = clock();
  const batch = await leaseCodeBatch(db, batchId, now, now + LEASE_MS);
  return batch ? mintMissingCodes(db, batch, clock, budgetMs) : null;
}

/** Cron: continues every batch whose minting stalled (one after another, each within the budget). */
export async function resumeStalledMinting(env: Bindings, clock: Clock = Date.now): Promise<void> {
  const db = createDb(env.DB);
  for (const id of await findStalledCodeBatches(db, clock())) {
    await continueMinting(db, id, clock, mintBudgetMs(env)).catch((error) => console.error(`resuming ${id} failed`, error));
  }
}
