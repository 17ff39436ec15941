/**
 * Raw touches and conversions for a warehouse export: keyset pages in
 * (occurred_at, id) order over a half-open time range, so an export of any
 * size reads one bounded page per statement and never skips or repeats a row.
 */
import type { Db } from './client';
import { onEveryConversionShard, onEveryShard } from './shards';
import type { Selectable } from 'kysely';
import type { TouchTable } from './schema';
import type { ConversionTable } from './conversion-schema';

/**
 * A touch's exported columns, in their documented order: every stored column
 * but `visitor_hll` (a sketch slot derived from visitor_id for the reports).
 * `rid_hash` and `referrer_hash` are keyed hashes and stay hashed.
 */
export const TOUCH_EXPORT_COLUMNS = [
  'id',
  'occurred_at',
  'type',
  'campaign_id',
  'link_id',
  'channel',
  'visitor_id',
  'visitor_kind',
  'device_class',
  'os',
  'browser',
  'is_bot',
  'bot_reason',
  'user_agent',
  'country',
  'region',
  'city',
  'referrer_host',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'rid_hash',
  'referrer_hash',
  'rule',
  'variant',
  'after_cap',
] as const satisfies readonly (keyof TouchTable)[];

/**
 * A conversion's exported columns, in their documented order: every stored
 * column but `day` (the UTC date of occurred_at). `customer_hash` is the keyed
 * hash of the shop's customer_ref and stays hashed; `refunded` is what refunds
 * took back of `value` (same currency).
 */
export const CONVERSION_EXPORT_COLUMNS = [
  'id',
  'occurred_at',
  'type',
  'order_id',
  'click_id',
  'visitor_id',
  'customer_hash',
  'promo_code',
  'promo_touch_id',
  'value',
  'refunded',
  'currency',
  'lookback_days',
  'created_at',
] as const satisfies readonly (keyof ConversionTable)[];

export type TouchExportRow = Pick<Selectable<TouchTable>, (typeof TOUCH_EXPORT_COLUMNS)[number]>;
export type ConversionExportRow = Pick<ConversionTable, Exclude<(typeof CONVERSION_EXPORT_COLUMNS)[number], 'refunded'>> & { refunded: number };

/** Rows with occurred_at in [from, to), both normalised ISO-8601 UTC (`…Z`, milliseconds). */
export interface ExportRange {
  from: string;
  to: string;
}

/** Where a page starts: after this (occurred_at, id); null for the first page. */
export type ExportCursor = { at: string; id: string } | null;

/**
 * Up to `limit` touches of the range after `cursor`, in (occurred_at, id) order (index touches_time).
 * With several touch shards each gives its next `limit` and the merge keeps the first `limit` of them:
 * a row left out comes after the page's last, so the next page (its cursor) reads it again.
 */
export async function pageTouchesForExport(db: Db, range: ExportRange, cursor: ExportCursor, limit: number): Promise<TouchExportRow[]> {
  return firstOfPages(await onEveryShard(db, (shard) => pageShardTouches(shard, range, cursor, limit)), limit);
}

/**
 * The first `limit` rows, in (occurred_at, id) order, of every database's next page: a row left out comes after the
 * page's last, so the next page (its cursor) reads it again. One database: its page as read.
 */
function firstOfPages<R extends { occurred_at: string; id: string }>(pages: readonly R[][], limit: number): R[] {
  if (pages.length === 1) return pages[0];
  const before = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return pages
    .flat()
    .sort((a, b) => before(a.occurred_at, b.occurred_at) || before(a.id, b.id))
    .slice(0, limit);
}

async function pageShardTouches(db: Db, range: ExportRange, cursor: ExportCursor, limit: number): Promise<TouchExportRow[]> {
  let query = db
    .selectFrom('touches')
    .select(TOUCH_EXPORT_COLUMNS)
    .where('occurred_at', '>=', cursor ? cursor.at : range.from)
    .where('occurred_at', '<', range.to);
  if (cursor) query = query.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '>', eb.tuple(cursor.at, cursor.id)));
  return query.orderBy('occurred_at').orderBy('id').limit(limit).execute();
}

/**
 * Up to `limit` conversions of the range after `cursor`, in (occurred_at, id)
 * order. Conversions are indexed by `day` (the date of occurred_at), so the
 * range is read through that index and only one day's rows are sorted at a time.
 */
export async function pageConversionsForExport(db: Db, range: ExportRange, cursor: ExportCursor, limit: number): Promise<ConversionExportRow[]> {
  // Each conversion shard's next page, merged as the touch pages are (one database unless conversions are sharded).
  return firstOfPages(await onEveryConversionShard(db, (shard) => pageShardConversions(shard, range, cursor, limit)), limit);
}

async function pageShardConversions(db: Db, range: ExportRange, cursor: ExportCursor, limit: number): Promise<ConversionExportRow[]> {
  const start = cursor ? cursor.at : range.from;
  let query = db
    .selectFrom('conversions')
    .select(CONVERSION_EXPORT_COLUMNS)
    .where('day', '>=', start.slice(0, 10))
    .where('day', '<=', range.to.slice(0, 10))
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', range.to);
  if (cursor) query = query.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '>', eb.tuple(cursor.at, cursor.id)));
  return query.orderBy('day').orderBy('occurred_at').orderBy('id').limit(limit).execute();
}
