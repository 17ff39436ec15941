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
 * Records a verified part (and the referrers of its tell-a-friend visits) and deletes its rows from D1, all in one batch: both
 * happen or neither (a part already recorded under this day and number, by a
 * concurrent run, fails the batch). Resolves to the rows deleted.
 */
export async function recordPartAndDeleteRows(db: Db, part: ArchivePartRow, ids: readonly string[], referrers: readonly string[]): Promise<number> {
  const record = db.insertInto('archive_parts').values(part).compile();
  const statements = [db.d1.prepare(record.sql).bind(...(record.parameters as unknown[]))];
  if (referrers.length > 0) {
    statements.push(
      db.d1
        .prepare('INSERT OR IGNORE INTO archive_part_referrers (referrer_hash, key) SELECT value, ?2 FROM json_each(?1)')
        .bind(JSON.stringify(referrers), part.key),
    );
  }
  const deletesFrom = statements.length;
  for (let i = 0; i < ids.length; i += IDS_PER_DELETE) {
    statements.push(
      db.d1.prepare('DELETE FROM touches WHERE id IN (SELECT value FROM json_each(?1)) RETURNING 1').bind(JSON.stringify(ids.slice(i, i + IDS_PER_DELETE))),
    );
  }
  const results = await db.d1.batch(statements);
  return results.slice(deletesFrom).reduce((sum, result) => sum + result.results.length, 0);
}

/** The parts of UTC days [fromDay, toDay], in (first_at, first_id) order. */
export async function partsOfDays(db: Db, fromDay: string, toDay: string): Promise<ArchivePartRow[]> {
  return db.selectFrom('archive_parts').selectAll().where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('first_at').orderBy('first_id').execute();
}

/**
 * Parts holding touches in [from, to) after (at, id) (every part of the range
 * when `after` is null), in (first_at, first_id) order.
 */
export async function partsAfter(db: Db, range: { from: string; to: string }, after: { at: string; id: string } | null): Promise<ArchivePartRow[]> {
  let query = db
    .selectFrom('archive_parts')
    .selectAll()
    .where('day', '>=', (after?.at ?? range.from).slice(0, 10))
    .where('day', '<=', range.to.slice(0, 10))
    .where('first_at', '<', range.to)
    .where('last_at', '>=', range.from);
  if (after) query = query.where((eb) => eb(eb.refTuple('last_at', 'last_id'), '>', eb.tuple(after.at, after.id)));
  return query.orderBy('first_at').orderBy('first_id').execute();
}

/** The latest UTC day with an archived part, or null when nothing is archived. */
export async function lastArchivedDay(db: Db): Promise<string | null> {
  const row = await db.d1.prepare('SELECT MAX(day) AS day FROM archive_parts').first<{ day: string | null }>();
  return row?.day ?? null;
}

/** Up to `limit` parts of days before `beforeDay`, oldest first (for retention). */
export async function partsBefore(db: Db, beforeDay: string, limit: number): Promise<ArchivePartRow[]> {
  return db.selectFrom('archive_parts').selectAll().where('day', '<', beforeDay).orderBy('day').orderBy('part').limit(limit).execute();
}

/** Forgets parts whose objects were deleted. */
export async function forgetParts(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.d1.prepare('DELETE FROM archive_parts WHERE key IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(keys)).run();
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
