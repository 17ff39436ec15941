/**
 * A raw-touch archive part as an R2 object: its encoding (gzip of NDJSON in
 * ARCHIVE_COLUMNS order, with the SHA-256 of the NDJSON), its write (over a
 * given version only, when rewriting) and the read-back check that comes before
 * any row leaves D1.
 */
import { ARCHIVE_COLUMNS, type ArchivedTouch } from '../db/touch-archive';
import { fromNdjson, toNdjson } from '../domain/archive';
import { sha256Hex } from '../lib/crypto';
import { gunzipText, gzipText } from '../lib/gzip';

/** Reads an object back and says what is wrong with it, or null when it holds exactly `rows` (content digest `digest`). */
async function verifyPart(bucket: R2Bucket, key: string, rows: readonly ArchivedTouch[], digest: string): Promise<string | null> {
  const object = await bucket.get(key);
  if (!object) return `${key}: not found after writing`;
  const text = await gunzipText(object.body).catch((error: unknown) =>
    Promise.reject(new Error(`${key}: not gzip (${error instanceof Error ? error.message : String(error)})`)),
  );
  const back = fromNdjson<ArchivedTouch>(text);
  if (back.length !== rows.length) return `${key}: ${back.length} rows read back, ${rows.length} written`;
  if (back.some((row, i) => row.id !== rows[i].id)) return `${key}: the ids read back differ`;
  if ((await sha256Hex(text)) !== digest) return `${key}: the content read back differs (digest)`;
  return null;
}

export interface EncodedPart {
  digest: string;
  body: Uint8Array;
}

/** A part's object: gzip of the NDJSON of `rows`, and the SHA-256 of that NDJSON. */
export async function encodePart(rows: readonly ArchivedTouch[]): Promise<EncodedPart> {
  const text = toNdjson(ARCHIVE_COLUMNS, rows);
  return { digest: await sha256Hex(text), body: await gzipText(text) };
}

/** Writes an encoded part as the object `key`, over version `etag` only when given; the new etag, or null when `etag` is not current. */
export async function putPart(
  bucket: R2Bucket,
  key: string,
  rows: readonly ArchivedTouch[],
  { digest, body }: EncodedPart,
  etag?: string,
): Promise<string | null> {
  const written = await bucket.put(key, body, {
    httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
    customMetadata: { rows: String(rows.length), sha256: digest },
    ...(etag ? { onlyIf: { etagMatches: etag } } : {}),
  });
  return written?.etag ?? null;
}

/** Reads the object `key` back; rejects with what is wrong when it does not hold exactly `rows`. */
export async function checkPart(bucket: R2Bucket, key: string, rows: readonly ArchivedTouch[], digest: string): Promise<void> {
  const problem = await verifyPart(bucket, key, rows, digest).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (problem) throw new Error(`archive: verification failed: ${problem}`);
}
