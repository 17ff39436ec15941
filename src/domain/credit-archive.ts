/**
 * The credit archive's rules, without I/O (schema/0029): where a part of a conversion day's credits lives in the
 * bucket, and how many conversions a part holds.
 */

/** The bucket prefix of archived credits (raw touches live under touches/, dead letters under dead-letters/). */
export const CREDIT_ARCHIVE_PREFIX = 'credits/';

/** Conversions per part at most: about 4 credit rows each, some 400 KB of NDJSON, 10-20 % of that gzipped. */
export const CREDIT_PART_CONVERSIONS = 1000;

/**
 * The object key of part `part` (from 1) of conversion day `day` of conversion shard `shard`:
 * credits/day=YYYY-MM-DD/part-0001.ndjson.gz for the main database, credits/shard=n/day=… for shard n ≥ 1 (sharded
 * conversions), so no two databases ever write one key. Readers take the key from the part's record on its database.
 */
export const creditArchiveKey = (day: string, part: number, shard = 0): string =>
  `${CREDIT_ARCHIVE_PREFIX}${shard === 0 ? '' : `shard=${shard}/`}day=${day}/part-${String(part).padStart(4, '0')}.ndjson.gz`;
