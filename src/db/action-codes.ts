/**
 * Redeeming action codes: one D1 batch (one round trip, one transaction) reads the client's failures for the rate
 * limiter, counts the redemption with a conditional UPDATE guarded by that same limit, and reads the code's state
 * that explains a refusal.
 */
import { sql } from 'kysely';
import { toIso } from '../lib/time';
import { runAtomically, type Db } from './client';
import { nthRecentFailureQuery } from './code-entries';

export interface RedeemedCode {
  batchId: string;
  campaignId: string;
  reward: string | null;
  redemptions: number;
  maxRedemptions: number;
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

/** The rate limiter's question: the client's `maxFailures`-th newest failure since `since` (ms). */
export interface FailureLimit {
  clientHash: string;
  since: number;
  maxFailures: number;
}

export interface RedemptionAttempt {
  /** The time (ms) of the client's `maxFailures`-th newest failure in the window; when set, nothing was counted. */
  nthFailureAt: number | null;
  /** The counted redemption, or null when nothing was counted. */
  redeemed: RedeemedCode | null;
  /** The code with its batch's window and campaign status after the attempt (null: no such code). */
  state: CodeState | null;
}

/**
 * Counts one redemption if the client is within its failure limit, the code exists, has redemptions left, its
 * batch is within its window and its campaign is not archived — all in one conditional UPDATE: of two concurrent
 * entries of a single-use code exactly one gets a row back.
 */
function redeemQuery(db: Db, code: string, at: string, limit: FailureLimit) {
  return db
    .updateTable('action_codes')
    .set((eb) => ({ redemptions: eb('redemptions', '+', 1) }))
    .where('code', '=', code)
    .where(sql<boolean>`redemptions < max_redemptions`)
    .where(
      sql<boolean>`EXISTS (
        SELECT 1 FROM code_batches b JOIN campaigns c ON c.id = b.campaign_id
        WHERE b.id = action_codes.batch_id AND c.status = 'active'
          AND (b.starts_at IS NULL OR b.starts_at <= ${at})
          AND (b.expires_at IS NULL OR b.expires_at > ${at}))`,
    )
    .where((eb) => eb.not(eb.exists(nthRecentFailureQuery(db, limit.clientHash, limit.since, limit.maxFailures))))
    .returning([
      'batch_id',
      'redemptions',
      'max_redemptions',
      sql<string>`(SELECT campaign_id FROM code_batches WHERE id = action_codes.batch_id)`.as('campaign_id'),
      sql<string | null>`(SELECT reward FROM code_batches WHERE id = action_codes.batch_id)`.as('reward'),
    ]);
}

function codeStateQuery(db: Db, code: string) {
  return db
    .selectFrom('action_codes as c')
    .innerJoin('code_batches as b', 'b.id', 'c.batch_id')
    .innerJoin('campaigns as k', 'k.id', 'b.campaign_id')
    .select(['c.batch_id', 'b.campaign_id', 'c.redemptions', 'c.max_redemptions', 'b.starts_at', 'b.expires_at', 'k.status as campaign_status'])
    .where('c.code', '=', code);
}

type Row<Q extends { compile: unknown }> = Q extends { execute(): Promise<(infer R)[]> } ? R : never;

/** One entry's whole decision in one D1 batch: the limiter's read, the guarded UPDATE, the state read. */
export async function attemptRedemption(db: Db, code: string, now: number, limit: FailureLimit): Promise<RedemptionAttempt> {
  const [failures, updated, states] = await runAtomically(db, [
    nthRecentFailureQuery(db, limit.clientHash, limit.since, limit.maxFailures),
    redeemQuery(db, code, toIso(now), limit),
    codeStateQuery(db, code),
  ]);
  const failure = failures.results[0] as { occurred_at: string } | undefined;
  const row = updated.results[0] as Row<ReturnType<typeof redeemQuery>> | undefined;
  const state = states.results[0] as Row<ReturnType<typeof codeStateQuery>> | undefined;
  return {
    nthFailureAt: failure ? Date.parse(failure.occurred_at) : null,
    redeemed: row
      ? { batchId: row.batch_id, campaignId: row.campaign_id, reward: row.reward, redemptions: row.redemptions, maxRedemptions: row.max_redemptions }
      : null,
    state: state
      ? {
          batchId: state.batch_id,
          campaignId: state.campaign_id,
          redemptions: state.redemptions,
          maxRedemptions: state.max_redemptions,
          startsAt: state.starts_at,
          expiresAt: state.expires_at,
          campaignArchived: state.campaign_status === 'archived',
        }
      : null,
  };
}
