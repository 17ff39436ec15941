/** Redeeming action codes: one conditional UPDATE, and the read that explains a refusal. */
import { sql } from 'kysely';
import { toIso } from '../lib/time';
import type { Db } from './client';

export interface RedeemedCode {
  batchId: string;
  campaignId: string;
  reward: string | null;
  redemptions: number;
  maxRedemptions: number;
}

/**
 * Counts one redemption if the code exists, has redemptions left, its batch
 * is within its window and its campaign is not archived, all in one statement: of two concurrent entries of a
 * single-use code exactly one gets a row back. Null when nothing was counted.
 */
export async function redeemActionCode(db: Db, code: string, now: number): Promise<RedeemedCode | null> {
  const at = toIso(now);
  const result = await sql<{ batch_id: string; campaign_id: string; reward: string | null; redemptions: number; max_redemptions: number }>`
    UPDATE action_codes SET redemptions = redemptions + 1
    WHERE code = ${code}
      AND redemptions < max_redemptions
      AND EXISTS (
        SELECT 1 FROM code_batches b JOIN campaigns c ON c.id = b.campaign_id
        WHERE b.id = action_codes.batch_id AND c.status = 'active'
          AND (b.starts_at IS NULL OR b.starts_at <= ${at})
          AND (b.expires_at IS NULL OR b.expires_at > ${at}))
    RETURNING batch_id, redemptions, max_redemptions,
      (SELECT campaign_id FROM code_batches WHERE id = action_codes.batch_id) AS campaign_id,
      (SELECT reward FROM code_batches WHERE id = action_codes.batch_id) AS reward`.execute(db);
  const row = result.rows[0];
  return row
    ? { batchId: row.batch_id, campaignId: row.campaign_id, reward: row.reward, redemptions: row.redemptions, maxRedemptions: row.max_redemptions }
    : null;
}

export interface CodeState {
  batchId: string;
  campaignId: string;
  redemptions: number;
  maxRedemptions: number;
  startsAt: string | null;
  expiresAt: string | null;
  /** Its campaign is archived: the code answers as expired until the campaign is restored. */
  campaignArchived: boolean;
}

/** A code with its batch's window and campaign status, to tell why a redemption was refused. */
export async function findCodeState(db: Db, code: string): Promise<CodeState | null> {
  const row = await db
    .selectFrom('action_codes as c')
    .innerJoin('code_batches as b', 'b.id', 'c.batch_id')
    .innerJoin('campaigns as k', 'k.id', 'b.campaign_id')
    .select(['c.batch_id', 'b.campaign_id', 'c.redemptions', 'c.max_redemptions', 'b.starts_at', 'b.expires_at', 'k.status as campaign_status'])
    .where('c.code', '=', code)
    .executeTakeFirst();
  return row
    ? {
        batchId: row.batch_id,
        campaignId: row.campaign_id,
        redemptions: row.redemptions,
        maxRedemptions: row.max_redemptions,
        startsAt: row.starts_at,
        expiresAt: row.expires_at,
        campaignArchived: row.campaign_status === 'archived',
      }
    : null;
}
