/** The log of code entries: every attempt with its result; recent failures feed the rate limiter. */
import { toIso } from '../lib/time';
import { chunkedInserts, runAtomically, type Db } from './client';
import type { NewCodeEntry } from './schema';

/** Stores logged entries (a retried write of the same id is skipped). */
export async function insertCodeEntries(db: Db, entries: readonly NewCodeEntry[]): Promise<void> {
  await runAtomically(
    db,
    chunkedInserts(entries, (chunk) => db.insertInto('code_entries').values(chunk).onConflict((oc) => oc.column('id').doNothing())),
  );
}

/** Times (ms) of a client's failed action-code entries since `since`, newest first, at most `limit`. */
export async function findRecentFailures(db: Db, clientHash: string, since: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('code_entries')
    .select('occurred_at')
    .where('client_hash', '=', clientHash)
    .where('occurred_at', '>', toIso(since))
    .where('result', 'not in', ['accepted', 'rate_limited'])
    .where('source', 'in', ['api', 'page'])
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => Date.parse(row.occurred_at));
}
