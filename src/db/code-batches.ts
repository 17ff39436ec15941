/** Code batches and their action codes: bulk inserts, minting progress, keyset pages for the export. */
import { sql, type Compilable } from 'kysely';
import type { CodeBatchStatus } from '../domain/vocab';
import { toIso } from '../lib/time';
import { runAtomically, type Db } from './client';
import { pageOf, type Page } from './pagination';
import type { CodeBatchRow } from './schema';

export interface CodeBatch {
  id: string;
  campaignId: string;
  prefix: string | null;
  count: number;
  minted: number;
  maxRedemptionsPerCode: number;
  startsAt: string | null;
  expiresAt: string | null;
  reward: string | null;
  status: CodeBatchStatus;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CodeBatchFields = Pick<CodeBatch, 'campaignId' | 'prefix' | 'count' | 'maxRedemptionsPerCode' | 'startsAt' | 'expiresAt' | 'reward'>;

const toCodeBatch = (row: CodeBatchRow): CodeBatch => ({
  id: row.id,
  campaignId: row.campaign_id,
  prefix: row.prefix,
  count: row.count,
  minted: row.minted,
  maxRedemptionsPerCode: row.max_redemptions_per_code,
  startsAt: row.starts_at,
  expiresAt: row.expires_at,
  reward: row.reward,
  status: row.status,
  leaseUntil: row.lease_until,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Codes per INSERT: the codes travel as one JSON parameter (3 bound parameters per statement). */
export const CODES_PER_STATEMENT = 10_000;

/** Inserts a batch in status `minting`, leased to the caller until `leaseUntil`. */
export async function insertCodeBatch(db: Db, id: string, fields: CodeBatchFields, now: number, leaseUntil: number): Promise<CodeBatch> {
  const row = await db
    .insertInto('code_batches')
    .values({
      id,
      campaign_id: fields.campaignId,
      prefix: fields.prefix,
      count: fields.count,
      max_redemptions_per_code: fields.maxRedemptionsPerCode,
      starts_at: fields.startsAt,
      expires_at: fields.expiresAt,
      reward: fields.reward,
      lease_until: toIso(leaseUntil),
      created_at: toIso(now),
      updated_at: toIso(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCodeBatch(row);
}

/** One batch by id. */
export async function findCodeBatchById(db: Db, id: string): Promise<CodeBatch | null> {
  const row = await db.selectFrom('code_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCodeBatch(row) : null;
}

/** Batches newest first, optionally of one campaign. */
export async function listCodeBatches(db: Db, filter: { campaignId?: string; limit: number; cursor?: string }): Promise<Page<CodeBatch>> {
  let query = db.selectFrom('code_batches').selectAll();
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toCodeBatch), filter.limit);
}

/** Takes the minting lease of a batch still minting whose lease has run out; null when someone else holds it. */
export async function leaseCodeBatch(db: Db, id: string, now: number, leaseUntil: number): Promise<CodeBatch | null> {
  const row = await db
    .updateTable('code_batches')
    .set({ lease_until: toIso(leaseUntil) })
    .where('id', '=', id)
    .where('status', '=', 'minting')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', toIso(now))]))
    .returningAll()
    .executeTakeFirst();
  return row ? toCodeBatch(row) : null;
}

/** Gives the lease back so the next GET or cron run continues at once. */
export async function releaseCodeBatch(db: Db, id: string): Promise<void> {
  await db.updateTable('code_batches').set({ lease_until: null }).where('id', '=', id).execute();
}

/** Ids of batches still minting with no live lease (for the cron continuation). */
export async function findStalledCodeBatches(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('code_batches')
    .select('id')
    .where('status', '=', 'minting')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', toIso(now))]))
    .limit(10)
    .execute();
  return rows.map((row) => row.id);
}

const compiled = (db: Db, query: ReturnType<typeof sql>): Compilable => ({ compile: () => query.compile(db) });

/**
 * Stores codes (duplicates are skipped by the UNIQUE index) and, in the same
 * D1 batch, sets `minted` to the codes actually stored, marks the batch ready
 * when complete and renews the lease. Resolves to the new minted count.
 */
export async function storeCodes(
  db: Db,
  batch: CodeBatch,
  codes: readonly string[],
  now: number,
  leaseUntil: number,
): Promise<{ minted: number; status: CodeBatchStatus }> {
  const queries: Compilable[] = [];
  for (let i = 0; i < codes.length; i += CODES_PER_STATEMENT) {
    const json = JSON.stringify(codes.slice(i, i + CODES_PER_STATEMENT));
    queries.push(
      compiled(
        db,
        sql`INSERT OR IGNORE INTO action_codes (code, batch_id, max_redemptions) SELECT value, ${batch.id}, ${batch.maxRedemptionsPerCode} FROM json_each(${json})`,
      ),
    );
  }
  queries.push(
    compiled(
      db,
      sql`UPDATE code_batches SET minted = (SELECT count(*) FROM action_codes WHERE batch_id = ${batch.id}), lease_until = ${toIso(leaseUntil)}, updated_at = ${toIso(now)} WHERE id = ${batch.id}`,
    ),
    compiled(db, sql`UPDATE code_batches SET status = 'ready', lease_until = NULL WHERE id = ${batch.id} AND minted >= count`),
    compiled(db, sql`SELECT minted, status FROM code_batches WHERE id = ${batch.id}`),
  );
  const results = await runAtomically(db, queries);
  const state = results[results.length - 1].results[0] as { minted: number; status: CodeBatchStatus };
  return state;
}

export interface ExportedCode {
  id: number;
  code: string;
  maxRedemptions: number;
  redemptions: number;
}

/** Codes of a batch after `afterId`, in insertion order (keyset pagination over the rowid). */
export async function pageBatchCodes(db: Db, batchId: string, afterId: number, limit: number): Promise<ExportedCode[]> {
  const rows = await db
    .selectFrom('action_codes')
    .select(['id', 'code', 'max_redemptions', 'redemptions'])
    .where('batch_id', '=', batchId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, code: row.code, maxRedemptions: row.max_redemptions, redemptions: row.redemptions }));
}
