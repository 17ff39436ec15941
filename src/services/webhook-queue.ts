/**
 * The webhook queue's consumer (WEBHOOK_QUEUE, optional): each message names a delivery; it is attempted if
 * still due, and a failed attempt with attempts left is queued again with the schedule's delay. The cron sends
 * whatever is due as well, so a lost message only delays a delivery; the claim keeps the two from sending one
 * attempt twice.
 */
import { createDb } from '../db/client';
import type { Bindings } from '../env';
import { attemptIfDue } from './webhook-delivery';

/** The name the webhook queue must have (wrangler.toml); the Worker's queue handler sends any other queue's batches to the touch writer. */
export const WEBHOOK_QUEUE_NAME = 'touchpoint-webhooks';

export interface WebhookMessage {
  deliveryId: string;
}

/** The longest delay a queue message may have (Cloudflare Queues: 12 hours). */
const MAX_QUEUE_DELAY_SECONDS = 43_200;

/** Attempts the batch's deliveries and queues the retries of those that failed. */
export async function consumeWebhookBatch(batch: MessageBatch<WebhookMessage>, env: Bindings, now: number): Promise<void> {
  const db = createDb(env.DB);
  const started = Date.now();
  for (const message of batch.messages) {
    try {
      const delivery = await attemptIfDue(db, env, message.body.deliveryId, now, now + Math.max(0, Date.now() - started));
      if (delivery?.state === 'pending' && delivery.nextAttemptAt && env.WEBHOOK_QUEUE) {
        const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(delivery.nextAttemptAt) - now) / 1000)));
        await env.WEBHOOK_QUEUE.send({ deliveryId: delivery.id }, { delaySeconds });
      }
      message.ack();
    } catch (error) {
      console.error(`webhooks: delivery ${message.body.deliveryId} could not be attempted; retrying`, error);
      message.retry({ delaySeconds: 30 });
    }
  }
}
