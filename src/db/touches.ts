/** Touches and orphan visits: written in coalesced multi-row batches. */
import { chunkedInserts, runAtomically, type Db } from './client';
import type { NewOrphanVisit, NewTouch } from './schema';

/** Inserts touches as one D1 batch of multi-row inserts; a touch already stored (same id) is skipped. */
export async function insertTouches(db: Db, touches: readonly NewTouch[]): Promise<void> {
  await runAtomically(
    db,
    chunkedInserts(touches, (chunk) => db.insertInto('touches').values(chunk).onConflict((oc) => oc.column('id').doNothing())),
  );
}

/** Inserts orphan visits (requests for unknown slugs). */
export async function insertOrphanVisits(db: Db, visits: readonly NewOrphanVisit[]): Promise<void> {
  await runAtomically(db, chunkedInserts(visits, (chunk) => db.insertInto('orphan_visits').values(chunk)));
}
