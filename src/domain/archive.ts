/**
 * The raw-touch archive's rules, without I/O: how long touches stay hot in D1,
 * which UTC days are due, where a part lives in the bucket, and its format.
 */

/** The bucket prefix this project owns for raw touches (dead-lettered queue messages live under dead-letters/). */
export const ARCHIVE_PREFIX = 'touches/';

/** Rows per part at most: about 2-3 MB of NDJSON, 10-20 % of that gzipped; one part is read into memory at a time. */
export const ARCHIVE_PART_ROWS = 5000;

/** Days raw touches stay in D1: the longest attribution lookback plus the margin. */
export const hotWindowDays = (longestLookbackDays: number, marginDays: number): number => longestLookbackDays + marginDays;

/** The first UTC day that stays hot at `now`: every touch of an earlier day is due for the archive. */
export function firstHotDay(now: number, hotDays: number): string {
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return new Date(today - hotDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The object key of part `part` (from 1) of UTC day `day` of touch shard `shard`: shard 0 (the main database, the
 * whole installation with one shard) keeps the unsharded key touches/day=YYYY-MM-DD/part-0001.ndjson.gz, shard n ≥ 1
 * writes touches/shard=n/day=YYYY-MM-DD/part-0001.ndjson.gz — so no two shards ever write one key, and every key
 * written before touches were sharded stays what it was. Readers take keys from archive_parts, never from this rule.
 */
export const archiveKey = (day: string, part: number, shard = 0): string =>
  `${ARCHIVE_PREFIX}${shard === 0 ? '' : `shard=${shard}/`}day=${day}/part-${String(part).padStart(4, '0')}.ndjson.gz`;

/** NDJSON of `rows`, every row's keys in `columns` order (so the same rows always give the same bytes and digest). */
export function toNdjson(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  return rows.map((row) => `${JSON.stringify(Object.fromEntries(columns.map((column) => [column, row[column] ?? null])))}\n`).join('');
}

/**
 * Touch columns added after parts were first written (0027: the rule, variant and after-cap mark of a routed link),
 * with the value every older touch had: a reader fills them into an older part's rows, so an archived day reads the
 * same whichever release wrote it.
 */
export const LATER_TOUCH_COLUMNS = { rule: null, variant: null, after_cap: 0 } as const;

/** `row` with the later columns an older part lacks filled in. */
export const withLaterColumns = <T extends object>(row: T): T => ({ ...LATER_TOUCH_COLUMNS, ...row });

/** The rows of NDJSON text (blank lines ignored). */
export function fromNdjson<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

/** (occurred_at, id) of `a` before that of `b`: the archive's and the export's order. */
export const touchOrder = (a: { occurred_at: string; id: string }, b: { occurred_at: string; id: string }): number =>
  a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
