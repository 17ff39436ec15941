/**
 * Reading the raw-touch archive back: the parts of a range (as recorded in
 * archive_parts of every touch shard; an object is read only once recorded, that
 * is verified), for the raw export's pages and for recomputing from archived
 * touches. One reader per request: it keeps the last parts it decompressed (plain
 * data) for the next page.
 */
import type { Db } from '../db/client';
import { onEveryShard, touchDbs } from '../db/shards';
import { partsOfDays, type ArchivedTouch } from '../db/touch-archive';
import type { ArchivePartRow } from '../db/schema';
import { touchOrder, withLaterColumns } from '../domain/archive';
import { readPartRows } from './archive-objects';

type Key = { at: string; id: string };

const after = (row: ArchivedTouch, key: Key): boolean => touchOrder(row, { occurred_at: key.at, id: key.id }) > 0;

/** A recorded part and the touch shard whose archive_parts records it (whose touches it holds). */
export type ShardPart = ArchivePartRow & { shard: number };

const firstOf = (part: ArchivePartRow) => ({ occurred_at: part.first_at, id: part.first_id });

/** Decompressed parts kept per reader and touch shard (a page rarely spans more than two of a shard), and at most in all. */
const CACHED_PARTS_PER_SHARD = 2;
const CACHED_PARTS_MAX = 8;

export class ArchiveReader {
  private readonly cache = new Map<string, { rows: ArchivedTouch[]; etag: string }>();
  private listed: { fromDay: string; toDay: string; parts: ShardPart[] } | null = null;
  private readonly cachedParts: number;

  /** `db`: the main database's client, carrying its touch shards (mainDb). */
  constructor(
    private readonly db: Db,
    readonly bucket: R2Bucket,
  ) {
    this.cachedParts = Math.min(CACHED_PARTS_PER_SHARD * touchDbs(db).length, CACHED_PARTS_MAX);
  }

  /** The touches of one recorded part; rejects when its object is gone (the archive lost data: say so, never skip it). */
  async readPart(key: string): Promise<ArchivedTouch[]> {
    return (await this.readPartVersion(key)).rows;
  }

  /** The touches of one recorded part and the object's etag (a rewrite is made only over that version). */
  async readPartVersion(key: string): Promise<{ rows: ArchivedTouch[]; etag: string }> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const read = await readPartRows<ArchivedTouch>(this.bucket, key);
    const version = { rows: read.rows.map(withLaterColumns), etag: read.etag };
    this.cache.set(key, version);
    if (this.cache.size > this.cachedParts) this.cache.delete(this.cache.keys().next().value as string);
    return version;
  }

  /**
   * Recorded parts of UTC days [fromDay, toDay] of every touch shard (listed in parallel), in (first_at, first_id)
   * order across the shards, listed once per reader and range.
   */
  async parts(fromDay: string, toDay: string): Promise<ShardPart[]> {
    if (this.listed?.fromDay !== fromDay || this.listed.toDay !== toDay) {
      const perShard = await onEveryShard(this.db, (shard) => partsOfDays(shard, fromDay, toDay));
      const parts = perShard.flatMap((list, shard) => list.map((part) => ({ ...part, shard })));
      this.listed = { fromDay, toDay, parts: perShard.length === 1 ? parts : parts.sort((a, b) => touchOrder(firstOf(a), firstOf(b))) };
    }
    return this.listed.parts;
  }

  /** Up to `limit` archived touches with occurred_at in [from, to) after `cursor`, in (occurred_at, id) order. */
  async page(range: { from: string; to: string }, cursor: Key | null, limit: number): Promise<ArchivedTouch[]> {
    const parts = (await this.parts(range.from.slice(0, 10), range.to.slice(0, 10))).filter(
      (part) =>
        part.first_at < range.to &&
        part.last_at >= range.from &&
        (!cursor || touchOrder({ occurred_at: part.last_at, id: part.last_id }, { occurred_at: cursor.at, id: cursor.id }) > 0),
    );
    let rows: ArchivedTouch[] = [];
    for (const part of parts) {
      // Parts come by their first row: once `limit` rows are held, a part starting after the last of them adds none.
      if (rows.length >= limit) {
        rows = rows.sort(touchOrder).slice(0, limit);
        if (touchOrder(firstOf(part), rows[limit - 1]) > 0) break;
      }
      const touches = await this.readPart(part.key);
      rows.push(...touches.filter((row) => row.occurred_at >= range.from && row.occurred_at < range.to && (!cursor || after(row, cursor))));
    }
    return rows.sort(touchOrder).slice(0, limit);
  }

  /**
   * Every archived touch of UTC days [fromDay, toDay] that `keep` accepts, in (occurred_at, id) order; from the parts
   * of the touch shards in `shards` only, when given (a conversion's visitors' shards).
   */
  async touchesOfDays(
    fromDay: string,
    toDay: string,
    keep: (touch: ArchivedTouch) => boolean = () => true,
    shards: ReadonlySet<number> | null = null,
  ): Promise<ArchivedTouch[]> {
    const kept: ArchivedTouch[] = [];
    for (const part of await this.parts(fromDay, toDay)) {
      if (shards && !shards.has(part.shard)) continue;
      for (const touch of await this.readPart(part.key)) if (keep(touch)) kept.push(touch);
    }
    return kept.sort(touchOrder);
  }
}

/** A request's archive reader: none without the ARCHIVE binding (then only D1 is read). */
export const archiveReaderFor = (db: Db, bucket: R2Bucket | null | undefined): ArchiveReader | null => (bucket ? new ArchiveReader(db, bucket) : null);
