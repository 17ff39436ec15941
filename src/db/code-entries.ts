/** The log of code entries: every attempt with its result; recent failures feed the rate limiter. */
import { sql } from 'kysely';
import { toIso } from '../lib/time';
import { chunkedInserts, runAtomically, type Db } from './client';
import type { NewCodeEntry } from './schema';

/** Stores logged entries (a retried write of the same id is skipped). */
export async function insertCodeEntries(db: Db, entries: readonly NewCodeEntry[]): Promise<void> {
  await runAtomically(
    db,
    chunkedInserts(entries, (chunk) =>
      db
        .insertInto('code_entries')
        .values(chunk)
        .onConflict((oc) => oc.column('id').doNothing()),
    ),
  );
}

/**
 * The time (ms) of a client's `n`-th newest failed action-code entry since
 * `since`, or null when it has fewer failures. Typos (`invalid_code`) are not
 * failures here. One row, read off the partial index code_entries_guesses
 * (whose conditions are spelled as literals so SQLite can use it).
 */
export function nthRecentFailureQuery(db: Db, clientHash: string, since: number, n: number) {
  return db
    .selectFrom('code_entries')
    .select('occurred_at')
    .where('client_hash', '=', clientHash)
    .where('occurred_at', '>', toIso(since))
    .where(sql<boolean>`result NOT IN ('accepted', 'rate_limited', 'invalid_code') AND source IN ('api', 'page')`)
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .offset(n - 1);
}
