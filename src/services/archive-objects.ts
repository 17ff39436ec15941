/**
 * The R2 side every archive of this project shares (raw touches, schema/0021; conversion credits, schema/0029):
 * a part is gzip-compressed NDJSON of rows in a fixed column order, written, then read back and checked (row
 * count, row keys and the SHA-256 of the content) before D1 gives up its rows. `storeVerifiedPart` is the one
 * order of those steps: reserve the part in D1, write, check, complete — a failed write or check drops the
 * object and the reservation and deletes nothing from D1.
 */
import { fromNdjson, toNdjson } from '../domain/archive';
import { sha256Hex } from '../lib/crypto';
import { gunzipText, gzipText } from '../lib/gzip';

export interface EncodedPart {
  digest: string;
  body: Uint8Array;
}

/** A part's object: gzip of the NDJSON of `rows` (keys in `columns` order), and the SHA-256 of that NDJSON. */
export async function encodePart(columns: readonly string[], rows: ReadonlyArray<object>): Promise<EncodedPart> {
  const text = toNdjson(columns, rows as ReadonlyArray<Record<string, unknown>>);
  return { digest: await sha256Hex(text), body: await gzipText(text) };
}

/** Writes an encoded part of `rows` rows as the object `key`, over version `etag` only when given; the new etag, or null when `etag` is not current. */
export async function putPart(bucket: R2Bucket, key: string, rows: number, { digest, body }: EncodedPart, etag?: string): Promise<string | null> {
  const written = await bucket.put(key, body, {
    httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
    customMetadata: { rows: String(rows), sha256: digest },
    ...(etag ? { onlyIf: { etagMatches: etag } } : {}),
  });
  return written?.etag ?? null;
}

/** The rows of part object `key`; rejects when it is missing (the archive lost data: say so, never skip it). */
export async function readPartRows<T>(bucket: R2Bucket, key: string): Promise<{ rows: T[]; etag: string }> {
  const object = await bucket.get(key);
  if (!object) throw new Error(`archive: ${key} is recorded but missing from the bucket`);
  return { rows: fromNdjson<T>(await gunzipText(object.body)), etag: object.etag };
}

/** Reads an object back and says what is wrong with it, or null when it holds exactly `rows` (by `keyOf`, content digest `digest`). */
async function verifyPart<T>(bucket: R2Bucket, key: string, rows: readonly T[], digest: string, keyOf: (row: T) => string): Promise<string | null> {
  const object = await bucket.get(key);
  if (!object) return `${key}: not found after writing`;
  const text = await gunzipText(object.body).catch((error: unknown) =>
    Promise.reject(new Error(`${key}: not gzip (${error instanceof Error ? error.message : String(error)})`)),
  );
  const back = fromNdjson<T>(text);
  if (back.length !== rows.length) return `${key}: ${back.length} rows read back, ${rows.length} written`;
  if (back.some((row, i) => keyOf(row) !== keyOf(rows[i]))) return `${key}: the ids read back differ`;
  if ((await sha256Hex(text)) !== digest) return `${key}: the content read back differs (digest)`;
  return null;
}

/** Reads the object `key` back; rejects with what is wrong when it does not hold exactly `rows`. */
export async function checkPart<T>(bucket: R2Bucket, key: string, rows: readonly T[], digest: string, keyOf: (row: T) => string): Promise<void> {
  const problem = await verifyPart(bucket, key, rows, digest, keyOf).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (problem) throw new Error(`archive: verification failed: ${problem}`);
}

/** The columns every archive records of part `part` of `day`, stored as `key` from `rows` rows encoded as `encoded`. */
export const partRecord = (day: string, part: number, key: string, rows: number, encoded: EncodedPart, now: string) => ({
  day,
  part,
  key,
  rows,
  digest: encoded.digest,
  bytes: encoded.body.byteLength,
  archived_at: now,
});

/** D1's record of one part while it is stored: taken first, dropped on failure, completed (rows deleted) last. */
export interface PartLedger {
  reserve(): Promise<void>;
  drop(): Promise<void>;
  /** One batch: marks the part archived and deletes its rows from D1; rejects when it changed nothing. */
  complete(): Promise<unknown>;
  /** The part's recorded state, or null when it is not recorded. */
  state(): Promise<string | null>;
}

/**
 * Reserves part `key` in D1, writes `rows` (encoded as `encoded`) to R2, reads it back and checks it, then completes
 * it. A failed write or check drops the object and the reservation: nothing is deleted from D1.
 */
export async function storeVerifiedPart<T>(
  bucket: R2Bucket,
  key: string,
  rows: readonly T[],
  encoded: EncodedPart,
  keyOf: (row: T) => string,
  ledger: PartLedger,
): Promise<void> {
  // Taking the number first: a concurrent run fails here and never overwrites an object another run recorded.
  await ledger.reserve();
  try {
    await putPart(bucket, key, rows.length, encoded);
    await checkPart(bucket, key, rows, encoded.digest, keyOf);
  } catch (error) {
    await bucket.delete(key).catch(() => undefined);
    await ledger.drop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}; nothing deleted`);
  }
  try {
    await ledger.complete();
  } catch (error) {
    // A batch whose answer was lost may have committed: only a reservation still 'writing' is dropped with its object.
    if ((await ledger.state()) === 'writing') {
      await bucket.delete(key).catch(() => undefined);
      await ledger.drop();
    }
    throw error;
  }
}
