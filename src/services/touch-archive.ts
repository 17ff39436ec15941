/**
 * The cron's move of raw touches past the hot window to R2 (ARCHIVE binding):
 * on every touch shard independently (each records its own parts in its own
 * archive_parts), the oldest due day first, a part of at most ARCHIVE_PART_ROWS
 * rows at a time, a bounded number of parts per shard and run. A part's number is
 * reserved on its shard, its object written, read back, decompressed and checked
 * (row count, ids, SHA-256 of the content), and only then one batch on that shard
 * marks it archived and deletes its rows. A failed write or check deletes nothing.
 */
import type { Db } from '../db/client';
import { touchDbs } from '../db/shards';
import {
  ARCHIVE_COLUMNS,
  completePart,
  dropReservation,
  forgetParts,
  nextPartNumber,
  oldestTouchDayBefore,
  partState,
  partsBefore,
  partsWithReferrer,
  renamePartReferrer,
  reservePart,
  staleReservations,
  touchesOfDay,
  updatePartContent,
  type ArchivedTouch,
} from '../db/touch-archive';
import { ARCHIVE_PART_ROWS, archiveKey, firstHotDay, fromNdjson } from '../domain/archive';
import { ApiError } from '../lib/errors';
import { gunzipText } from '../lib/gzip';
import { toIso } from '../lib/time';
import { checkPart, encodePart, partRecord, putPart, storeVerifiedPart } from './archive-objects';

export interface ArchivedPart {
  key: string;
  rows: number;
}

export interface ArchiveRun {
  parts: ArchivedPart[];
  /** Why the run stopped early (a failed write or check), or null. */
  failure: string | null;
}

/** Parts one cron run writes per shard at most (about 25,000 touches): the run stays well inside the cron's time. */
export const PARTS_PER_RUN = 5;

/** Shards archived at the same time: each holds one part (a few MB) in memory while it writes, so this bounds memory. */
const SHARDS_AT_ONCE = 4;

/** A part's object of touches: every stored column, in the archive's order. */
const encodeTouches = (rows: readonly ArchivedTouch[]) => encodePart(ARCHIVE_COLUMNS, rows);
const touchKey = (row: ArchivedTouch): string => row.id;

/** How long a reservation may stay 'writing' before a later run takes it for abandoned (a run lasts seconds). */
const STALE_RESERVATION_MS = 15 * 60_000;

/**
 * Reserves, writes, checks and completes the next part of `day` (its rows then leave D1); null when the day has none
 * left. A failed write or check drops the reservation and the object: nothing is deleted from D1.
 */
async function archiveNextPart(db: Db, shard: number, bucket: R2Bucket, day: string, now: number): Promise<ArchivedPart | null> {
  const rows = await touchesOfDay(db, day, ARCHIVE_PART_ROWS);
  if (rows.length === 0) return null;
  const part = await nextPartNumber(db, day);
  const key = archiveKey(day, part, shard);
  const encoded = await encodeTouches(rows);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const referrers = [...new Set(rows.flatMap((row) => (row.referrer_hash === null ? [] : [row.referrer_hash])))];
  await storeVerifiedPart(bucket, key, rows, encoded, touchKey, {
    reserve: () =>
      reservePart(db, {
        ...partRecord(day, part, key, rows.length, encoded, toIso(now)),
        first_at: first.occurred_at,
        first_id: first.id,
        last_at: last.occurred_at,
        last_id: last.id,
      }),
    drop: () => dropReservation(db, key),
    complete: () =>
      completePart(
        db,
        key,
        rows.map((row) => row.id),
        referrers,
      ),
    state: () => partState(db, key),
  });
  return { key, rows: rows.length };
}

/** Drops reservations a run left half-way (it stopped): their objects go, their rows are still in D1 for a new part. */
async function dropStaleReservations(db: Db, bucket: R2Bucket, now: number): Promise<void> {
  for (const key of await staleReservations(db, toIso(now - STALE_RESERVATION_MS))) {
    await bucket.delete(key);
    await dropReservation(db, key);
  }
}

/** Moves the touches of shard `shard` (client `db`) of days before `beforeDay` to the archive, oldest day first, at most `maxParts` parts. */
async function archiveShard(db: Db, shard: number, bucket: R2Bucket, beforeDay: string, now: number, maxParts: number): Promise<ArchiveRun> {
  const parts: ArchivedPart[] = [];
  try {
    await dropStaleReservations(db, bucket, now);
    while (parts.length < maxParts) {
      const day = await oldestTouchDayBefore(db, beforeDay);
      if (!day) break;
      const part = await archiveNextPart(db, shard, bucket, day, now);
      if (!part) break;
      parts.push(part);
    }
  } catch (error) {
    console.error(`archive: the run on shard ${shard} stopped`, error);
    return { parts, failure: error instanceof Error ? error.message : String(error) };
  }
  return { parts, failure: null };
}

/** `work` on every touch shard of `db` (index, client), at most SHARDS_AT_ONCE at a time; the results in shard order. */
async function onShardsInTurn<T>(db: Db, work: (shard: number, shardDb: Db) => Promise<T>): Promise<T[]> {
  const shards = touchDbs(db);
  const results: T[] = [];
  for (let first = 0; first < shards.length; first += SHARDS_AT_ONCE) {
    results.push(...(await Promise.all(shards.slice(first, first + SHARDS_AT_ONCE).map((shardDb, i) => work(first + i, shardDb)))));
  }
  return results;
}

/**
 * Moves touches of days before the hot window to the archive, on every touch shard of `db` independently (a shard
 * whose write or check fails stops alone): oldest day first, at most `maxParts` parts per shard. The parts of shard 0
 * come first; a failure names its shard when there are several.
 */
export async function archiveDueTouches(db: Db, bucket: R2Bucket, hotDays: number, now: number, maxParts = PARTS_PER_RUN): Promise<ArchiveRun> {
  const beforeDay = firstHotDay(now, hotDays);
  const runs = await onShardsInTurn(db, (shard, shardDb) => archiveShard(shardDb, shard, bucket, beforeDay, now, maxParts));
  const failures = runs.flatMap((run, shard) => (run.failure === null ? [] : [runs.length === 1 ? run.failure : `shard ${shard}: ${run.failure}`]));
  return { parts: runs.flatMap((run) => run.parts), failure: failures.length === 0 ? null : failures.join('; ') };
}

/** Deletes archived parts of days before `beforeDay` (RETENTION_DAYS) on every touch shard: the objects first, then their records. */
export async function deleteExpiredParts(db: Db, bucket: R2Bucket, beforeDay: string, limit = 500): Promise<number> {
  const deleted = await onShardsInTurn(db, async (_shard, shardDb) => {
    const parts = await partsBefore(shardDb, beforeDay, limit);
    if (parts.length === 0) return 0;
    const keys = parts.map((part) => part.key);
    await bucket.delete(keys);
    await forgetParts(shardDb, keys);
    return keys.length;
  });
  return deleted.reduce((sum, count) => sum + count, 0);
}

/**
 * Replaces the content of a recorded part (the same touches, changed) and its record's digest, only over the version
 * `etag` that `before` was read from (a concurrent rewrite makes this one fail, changing nothing). When the new object
 * does not read back intact, `before` is written back and the error rethrown.
 */
export async function rewritePart(
  db: Db,
  bucket: R2Bucket,
  key: string,
  before: { rows: readonly ArchivedTouch[]; etag: string },
  after: readonly ArchivedTouch[],
): Promise<void> {
  const encoded = await encodeTouches(after);
  const written = await putPart(bucket, key, after.length, encoded, before.etag);
  if (!written) throw new ApiError('conflict', `archive: ${key} changed since it was read (a concurrent recompute or erasure); nothing rewritten, try again`);
  try {
    await checkPart(bucket, key, after, encoded.digest, touchKey);
    await updatePartContent(db, key, encoded.digest, encoded.body.byteLength);
  } catch (error) {
    // Written but not intact, or not recorded: the old content goes back, over what this call wrote only.
    await putPart(bucket, key, before.rows.length, await encodeTouches(before.rows), written).catch(() => null);
    throw error;
  }
}

/**
 * Erasing a customer from the archive: every archived tell-a-friend visit of
 * `referrerHash` gets `pseudonym` instead (as in D1), part by part, on every touch
 * shard in turn (each lists its own parts); resolves to the touches changed.
 */
export async function eraseReferrerFromArchive(db: Db, bucket: R2Bucket, referrerHash: string, pseudonym: string): Promise<number> {
  let changed = 0;
  for (const shardDb of touchDbs(db)) {
    for (const key of await partsWithReferrer(shardDb, referrerHash)) {
      const object = await bucket.get(key);
      if (!object) throw new Error(`archive: ${key} is recorded but missing from the bucket`);
      const before = fromNdjson<ArchivedTouch>(await gunzipText(object.body));
      const after = before.map((touch) => (touch.referrer_hash === referrerHash ? { ...touch, referrer_hash: pseudonym } : touch));
      changed += after.filter((touch, i) => touch !== before[i]).length;
      await rewritePart(shardDb, bucket, key, { rows: before, etag: object.etag }, after);
      await renamePartReferrer(shardDb, key, referrerHash, pseudonym);
    }
  }
  return changed;
}
