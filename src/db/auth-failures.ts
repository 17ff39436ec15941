/** Failed sign-ins and bearer-key checks per client: what the authentication throttle counts. */
import type { AuthFailureKind } from '../domain/vocab';
import { toIso } from '../lib/time';
import { runAtomically, type Db } from './client';

export interface AuthFailure {
  id: string;
  kind: AuthFailureKind;
  clientHash: string;
  occurredAt: number;
}

/**
 * Stores `failure` and, in the same D1 batch, reads the time (ms) of the
 * client's `n`-th newest failure of that kind since `since` not counting this
 * one (null when it has fewer). One round trip; concurrent calls each see
 * every row stored before them, so a burst cannot slip past the count.
 */
export async function countAuthFailure(db: Db, failure: AuthFailure, since: number, n: number): Promise<number | null> {
  const at = toIso(failure.occurredAt);
  const [, read] = await runAtomically(db, [
    db.insertInto('auth_failures').values({ id: failure.id, kind: failure.kind, client_hash: failure.clientHash, occurred_at: at }),
    db
      .selectFrom('auth_failures')
      .select('occurred_at')
      .where('client_hash', '=', failure.clientHash)
      .where('kind', '=', failure.kind)
      .where('occurred_at', '>', toIso(since))
      .where('id', '!=', failure.id)
      .orderBy('occurred_at', 'desc')
      .limit(1)
      .offset(n - 1),
  ]);
  const row = (read.results as { occurred_at: string }[])[0];
  return row ? Date.parse(row.occurred_at) : null;
}

/** Takes back a stored failure (the attempt turned out not to be one, or was refused unchecked). */
export async function deleteAuthFailure(db: Db, id: string): Promise<void> {
  await db.deleteFrom('auth_failures').where('id', '=', id).execute();
}

/** Deletes failures older than `beforeIso` (no limiter window reaches back that far); how many. */
export async function deleteOldAuthFailures(db: Db, beforeIso: string): Promise<number> {
  const result = await db.deleteFrom('auth_failures').where('occurred_at', '<', beforeIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
