/**
 * Dead-lettered touches. A batch of the touch queue that exhausts its retries (D1 refused it for as long as the queue
 * retried) lands in the dead-letter queue; its consumer stores the batch as one R2 object (ARCHIVE, under
 * `dead-letters/`) and acknowledges the messages only once the object is written. An admin replays the objects into
 * D1 (`POST /api/v1/maintenance/replay-dead-letters`): an object is deleted only after its touches are stored, and the
 * insert skips touch ids already stored, so a touch that reaches D1 twice (replayed twice, or also written by the
 * queue) counts once.
 */
import type { NewTouch } from '../db/schema';
import type { Bindings } from '../env';
import { toIso } from '../lib/time';
import { directToD1, queueRetryDelaySeconds, writeTouches } from './touch-recorder';

/** The name the touch queue's dead-letter queue must have (wrangler.toml `dead_letter_queue`). */
export const TOUCH_DEAD_LETTER_QUEUE_NAME = 'touchpoint-touches-dlq';

/** Where dead-lettered batches live in the ARCHIVE bucket (archived raw touches live under `touches/`). */
export const DEAD_LETTER_PREFIX = 'dead-letters/';

/** Objects one replay call works through (each is a read, a D1 batch and a delete: well within a request's subrequests). */
export const REPLAY_OBJECTS_PER_CALL = 50;

/** One stored dead-letter batch. */
interface DeadLetterFile {
  queue: string;
  stored_at: string;
  message_ids: string[];
  touches: NewTouch[];
}

/** The highest attempt count of a batch's messages (the backoff follows it). */
export const batchAttempts = (batch: MessageBatch<unknown>): number => Math.max(1, ...batch.messages.map((message) => message.attempts));

/**
 * The dead-letter queue's consumer: one R2 object per batch, then the acknowledgement; while R2 fails, the batch is
 * redelivered with the touch queue's backoff and nothing is acknowledged.
 */
export async function archiveDeadLetters(batch: MessageBatch<NewTouch>, env: Bindings, now: number): Promise<void> {
  if (batch.messages.length === 0) return;
  const file: DeadLetterFile = {
    queue: batch.queue,
    stored_at: toIso(now),
    message_ids: batch.messages.map((message) => message.id),
    touches: batch.messages.map((message) => message.body),
  };
  const key = `${DEAD_LETTER_PREFIX}${file.stored_at}-${file.message_ids[0]}.json`;
  try {
    await env.ARCHIVE.put(key, JSON.stringify(file), {
      httpMetadata: { contentType: 'application/json' },
      customMetadata: { touches: String(file.touches.length) },
    });
  } catch (error) {
    const attempts = batchAttempts(batch);
    console.error(`dead letters: storing ${file.touches.length} touches in R2 failed (attempt ${attempts}); retrying`, error);
    batch.retryAll({ delaySeconds: queueRetryDelaySeconds(attempts) });
    return;
  }
  batch.ackAll();
}

export interface DeadLetterCounts {
  objects: number;
  touches: number;
}

/** How many dead-letter objects (and touches in them) wait for a replay: a listing of their metadata, no object read. */
export async function countDeadLetters(bucket: R2Bucket): Promise<DeadLetterCounts> {
  const counts = { objects: 0, touches: 0 };
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: DEAD_LETTER_PREFIX, cursor, include: ['customMetadata'] });
    for (const object of page.objects) {
      counts.objects += 1;
      counts.touches += Number(object.customMetadata?.touches ?? 0);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return counts;
}

export interface ReplayOutcome {
  replayed: DeadLetterCounts;
  remaining: DeadLetterCounts;
  /** The object whose touches D1 refused (it is kept, as is every later one); null when the call went through. */
  failedKey: string | null;
}

/**
 * Replays up to REPLAY_OBJECTS_PER_CALL dead-letter objects, oldest first: writes each one's touches to D1 as the
 * queue's consumer does, then deletes it. Stops at the first object D1 refuses, deleting nothing of it.
 */
export async function replayDeadLetters(env: Bindings): Promise<ReplayOutcome> {
  const replayed = { objects: 0, touches: 0 };
  let failedKey: string | null = null;
  const listing = await env.ARCHIVE.list({ prefix: DEAD_LETTER_PREFIX, limit: REPLAY_OBJECTS_PER_CALL });
  for (const listed of listing.objects) {
    const object = await env.ARCHIVE.get(listed.key);
    if (!object) continue; // a parallel replay took it
    const file = await object.json<DeadLetterFile>().catch(() => null);
    if (!Array.isArray(file?.touches)) {
      console.error(`dead letters: ${listed.key} is not a dead-letter batch; kept, skipped`);
      continue;
    }
    try {
      await writeTouches(directToD1(env), file.touches);
    } catch (error) {
      console.error(`dead letters: replaying ${listed.key} failed; kept for the next replay`, error);
      failedKey = listed.key;
      break;
    }
    await env.ARCHIVE.delete(listed.key);
    replayed.objects += 1;
    replayed.touches += file.touches.length;
  }
  return { replayed, remaining: await countDeadLetters(env.ARCHIVE), failedKey };
}
