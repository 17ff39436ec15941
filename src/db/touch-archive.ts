/**
 * D1's side of the raw-touch archive (schema/0021_touch_archive.sql): the
 * touches due for it a day at a time, the parts recorded, and the one batch
 * that records a verified part and deletes its rows.
 */
import type { Db } from './client';
import { TOUCH_EXPORT_COLUMNS } from './exports';
import type { ArchivePartRow, TouchRow } from './schema';

/** Every stored column of a touch, in the archive's order: the export's columns, then the sketch slot. */
export const ARCHIVE_COLUMNS = [...TOUCH_EXPORT_COLUMNS, 'visitor_hll'] as const satisfies readonly (keyof TouchRow)[];

export type ArchivedTouch = TouchRow;

/** Ids per DELETE: one bound JSON parameter each (D1 allows 100 parameters per statement). */
const IDS_PER_DELETE = 500;

/** The UTC day of the oldest touch before `beforeDay`, or null when none is (index touches_time). */
export async function oldestTouchDayBefore(db: Db, beforeDay: string): Promise<string | null> {
  const row = await db.d1
    .prepare('SELECT substr(occurred_at, 1, 10) AS day FROM touches WHERE occurred_at < ?1 ORDER BY occurred_at LIMIT 1')
    .bind(beforeDay)
    .first<{ day: string }>();
  return row?.day ?? null;
}

/** Up to `limit` touches of UTC day `day` in (occurred_at, id) order, every column. */
export async function touchesOfDay(db: Db, day: string, limit: number): Promise<ArchivedTouch[]> {
  return db
    .selectFrom('touches')
    .select(ARCHIVE_COLUMNS)
    .where('occurred_at', '>=', day)
    .where('occurred_at', '<', `${day}T24`)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The number the day's next part gets (parts count from 1). */
export async function nextPartNumber(db: Db, day: string): Promise<number> {
  const row = await db.d1.prepare('SELECT coalesce(MAX(part), 0) + 1 AS part FROM archive_parts WHERE day = ?1').bind(day).first<{ part: number }>();
  return Number(row?.part ?? 1);
}

/**
 * Reserves part `part.day`/`part.part` ('writing'): its number is taken, so no other run writes its key. Rejects
 * when a concurrent run took the number first.
 */
export async function reservePart(db: Db, part: Omit<ArchivePartRow, 'state'>): Promise<void> {
  await db
    .insertInto('archive_parts')
    .values({ ...part, state: 'writing' })
    .execute();
}

/** Forgets a reservation whose object could not be written or checked. */
export async function dropReservation(db: Db, key: string): Promise<void> {
  await db.d1.prepare("DELETE FROM archive_parts WHERE key = ?1 AND state = 'writing'").bind(key).run();
}

/**
 * Marks a reserved part, whose object was written and checked, 'archived', notes the referrers of its tell-a-friend
 * visits and deletes its rows from D1, all in one batch, only while every row of the part is still in D1 and the
 * reservation stands (else nothing changes and this rejects). Resolves to the rows deleted.
 */
export async function completePart(db: Db, key: string, ids: readonly string[], referrers: readonly string[]): Promise<number> {
  // Every row of the part must still be in D1: a run that read the same rows and completed first (under another number)
  // has moved them, and this part would repeat them.
  const statements = [
    db.d1
      .prepare(
        "UPDATE archive_parts SET state = 'archived' WHERE key = ?1 AND state = 'writing' AND (SELECT COUNT(*) FROM touches WHERE id IN (SELECT value FROM json_each(?2))) = ?3",
      )
      .bind(key, JSON.stringify(ids), ids.length),
  ];
  if (referrers.length > 0) {
    statements.push(
      db.d1
        .prepare('INSERT OR IGNORE INTO archive_part_referrers (referrer_hash, key) SELECT value, ?2 FROM json_each(?1)')
        .bind(JSON.stringify(referrers), key),
    );
  }
  const deletesFrom = statements.length;
  for (let i = 0; i < ids.length; i += IDS_PER_DELETE) {
    statements.push(
      db.d1
        .prepare(
          "DELETE FROM touches WHERE id IN (SELECT value FROM json_each(?1)) AND EXISTS (SELECT 1 FROM archive_parts WHERE key = ?2 AND state = 'archived') RETURNING 1",
        )
        .bind(JSON.stringify(ids.slice(i, i + IDS_PER_DELETE)), key),
    );
  }
  const results = await db.d1.batch(statements);
  if ((results[0].meta.changes ?? 0) === 0)
    throw new Error(`archive: ${key} was not completed (its reservation is gone, or a concurrent run moved its rows); nothing deleted`);
  return results.slice(deletesFrom).reduce((sum, result) => sum + result.results.length, 0);
}

/** The state of part `key`, or null when no part has that key. */
export async function partState(db: Db, key: string): Promise<ArchivePartRow['state'] | null> {
  const row = await db.d1.prepare('SELECT state FROM archive_parts WHERE key = ?1').bind(key).first<{ state: ArchivePartRow['state'] }>();
  return row?.state ?? null;
}

/** Reservations older than `beforeIso` (a run that stopped half-way): their objects may exist, their rows are still in D1. */
export async function staleReservations(db: Db, beforeIso: string): Promise<string[]> {
  const { results } = await db.d1
    .prepare("SELECT key FROM archive_parts WHERE state = 'writing' AND archived_at < ?1 ORDER BY archived_at LIMIT 100")
    .bind(beforeIso)
    .all<{ key: string }>();
  return results.map((row) => row.key);
}

/** The parts of UTC days [fromDay, toDay], in (first_at, first_id) order. */
export async function partsOfDays(db: Db, fromDay: string, toDay: string): Promise<ArchivePartRow[]> {
  return db
    .selectFrom('archive_parts')
    .selectAll()
    .where('state', '=', 'archived')
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('first_at')
    .orderBy('first_id')
    .execute();
}

/** Up to `limit` parts of days before `beforeDay`, oldest first (for retention). */
export async function partsBefore(db: Db, beforeDay: string, limit: number): Promise<ArchivePartRow[]> {
  return db.selectFrom('archive_parts').selectAll().where('day', '<', beforeDay).orderBy('day').orderBy('part').limit(limit).execute();
}

/** Forgets parts whose objects were deleted (with the referrers noted for them). */
export async function forgetParts(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const list = JSON.stringify(keys);
  await db.d1.batch([
    db.d1.prepare('DELETE FROM archive_part_referrers WHERE key IN (SELECT value FROM json_each(?1))').bind(list),
    db.d1.prepare('DELETE FROM archive_parts WHERE key IN (SELECT value FROM json_each(?1))').bind(list),
  ]);
}

/** Sets a rewritten part's digest and size (its rows and their order stay). */
export async function updatePartContent(db: Db, key: string, digest: string, bytes: number): Promise<void> {
  await db.updateTable('archive_parts').set({ digest, bytes }).where('key', '=', key).execute();
}

/** Keys of the parts holding tell-a-friend visits of `referrerHash`. */
export async function partsWithReferrer(db: Db, referrerHash: string): Promise<string[]> {
  const { results } = await db.d1
    .prepare('SELECT key FROM archive_part_referrers WHERE referrer_hash = ?1 ORDER BY key')
    .bind(referrerHash)
    .all<{ key: string }>();
  return results.map((row) => row.key);
}

/** Notes that part `key` holds `pseudonym` where it held `referrerHash` (after an erasure rewrote it). */
export async function renamePartReferrer(db: Db, key: string, referrerHash: string, pseudonym: string): Promise<void> {
  await db.d1.batch([
    db.d1.prepare('INSERT OR IGNORE INTO archive_part_referrers (referrer_hash, key) VALUES (?1, ?2)').bind(pseudonym, key),
    db.d1.prepare('DELETE FROM archive_part_referrers WHERE referrer_hash = ?1 AND key = ?2').bind(referrerHash, key),
  ]);
}
