/** The Worker's entry: HTTP, the consumers of the touch queue, its dead-letter queue and the webhook queue, and the minute cron. */
import { createApp } from './app';
import type { NewTouch } from './db/schema';
import type { Bindings } from './env';
import { directToD1, queueRetryDelaySeconds, writeTouches } from './services/touch-recorder';
import { createDb } from './db/client';
import { conversionDbs, mainDb } from './db/shards';
import { deleteExpiredEvents } from './db/retention';
import { deleteExpiredEndedSessions } from './db/sessions';
import { deleteOldAuthFailures } from './db/auth-failures';
import { MAX_WINDOW_SECONDS } from './domain/rate-limit';
import { toIso } from './lib/time';
import { resumeStalledMinting } from './services/mint-codes';
import { carryPendingRows } from './services/pending-rows';
import { rebuildStaleSketches } from './services/visitor-sketches';
import { runMarkovCron } from './services/markov-store';
import { reattributeQueued } from './services/late-touches';
import { runLoyaltyCron } from './services/loyalty-cron';
import { runWebhookCron } from './services/webhook-delivery';
import { archiveDeadLetters, batchAttempts, TOUCH_DEAD_LETTER_QUEUE_NAME } from './services/dead-letters';
import { archiveDueTouches, deleteExpiredParts } from './services/touch-archive';
import { archiveDueCredits, CREDIT_PARTS_PER_RUN } from './services/credit-archive';
import { hotDaysSetting } from './services/window-settings';
import { firstHotDay } from './domain/archive';
import { consumeWebhookBatch, WEBHOOK_QUEUE_NAME, type WebhookMessage } from './services/webhook-queue';

const app = createApp();

/** The touch queue's consumer: writes the batch to D1, and acknowledges it only once it is stored. */
async function writeQueuedTouches(batch: MessageBatch<NewTouch>, env: Bindings): Promise<void> {
  try {
    await writeTouches(
      directToD1(env),
      batch.messages.map((message) => message.body),
    );
    batch.ackAll();
  } catch (error) {
    // D1 is failing: nothing is acknowledged; redeliver later, backing off (1 s, 2 s, 4 s … 60 s) instead of burning the
    // retries at once. A batch out of retries goes to the dead-letter queue (wrangler.toml), which keeps it in R2.
    const attempts = batchAttempts(batch);
    console.error(`queue: writing ${batch.messages.length} touches failed (attempt ${attempts}); retrying`, error);
    batch.retryAll({ delaySeconds: queueRetryDelaySeconds(attempts) });
  }
}

/** Moves every touch shard's touches and the conversion credits past the hot window to R2, then deletes archived days past RETENTION_DAYS (one after the other). */
async function runArchive(env: Bindings, bucket: R2Bucket, retentionDays: number, now: number): Promise<void> {
  await archiveDueTouches(mainDb(env), bucket, hotDaysSetting(env), now);
  // Each conversion database's credits on its own (the main database alone unless conversions are sharded).
  const conversionShards = conversionDbs(mainDb(env));
  for (const [shard, db] of conversionShards.entries()) await archiveDueCredits(db, bucket, hotDaysSetting(env), now, CREDIT_PARTS_PER_RUN, shard);
  if (retentionDays > 0) {
    await deleteExpiredParts(mainDb(env), bucket, firstHotDay(now, retentionDays)).catch((error) => console.error('archive: retention failed', error));
  }
}

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<NewTouch | WebhookMessage>, env: Bindings): Promise<void> {
    if (batch.queue === WEBHOOK_QUEUE_NAME) return consumeWebhookBatch(batch as MessageBatch<WebhookMessage>, env, Date.now());
    if (batch.queue === TOUCH_DEAD_LETTER_QUEUE_NAME) return archiveDeadLetters(batch as MessageBatch<NewTouch>, env, Date.now());
    return writeQueuedTouches(batch as MessageBatch<NewTouch>, env);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(runWebhookCron(createDb(env.DB), env, Date.now()));
    ctx.waitUntil(carryPendingRows(env));
    ctx.waitUntil(resumeStalledMinting(env));
    ctx.waitUntil(reattributeQueued(mainDb(env), env, Date.now()).then(() => undefined));
    ctx.waitUntil(runLoyaltyCron(mainDb(env), Date.now()).then(() => undefined));
    ctx.waitUntil(rebuildStaleSketches(mainDb(env), Date.now()).then(() => undefined));
    ctx.waitUntil(
      runMarkovCron(mainDb(env), Date.now(), env.ARCHIVE ?? null).then(
        () => undefined,
        (error) => console.error('markov: refit failed', error),
      ),
    );
    ctx.waitUntil(deleteExpiredEndedSessions(createDb(env.DB), toIso(Date.now())).then(() => undefined));
    ctx.waitUntil(deleteOldAuthFailures(createDb(env.DB), toIso(Date.now() - MAX_WINDOW_SECONDS * 1000)).then(() => undefined));
    const retentionDays = Number(env.RETENTION_DAYS ?? 0);
    if (retentionDays > 0) ctx.waitUntil(deleteExpiredEvents(mainDb(env), toIso(Date.now() - retentionDays * 86_400_000)).then(() => undefined));
    if (env.ARCHIVE) ctx.waitUntil(runArchive(env, env.ARCHIVE, retentionDays, Date.now()));
  },
} satisfies ExportedHandler<Bindings, NewTouch | WebhookMessage>;
