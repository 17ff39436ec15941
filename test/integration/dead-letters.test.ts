/**
 * Touches the queue gave up on: D1 failing under the touch queue's consumer → the batch is redelivered with backoff and
 * never acknowledged → out of retries it lands in the dead-letter queue, whose consumer keeps it in R2 → an admin
 * replays it, and every touch is stored exactly once. Fault injection over the real bindings (a Proxy over D1 or R2).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import type { NewTouch } from '../../src/db/schema';
import { TOUCH_DEAD_LETTER_QUEUE_NAME } from '../../src/services/dead-letters';
import { toTouchRow } from '../../src/services/touch-recorder';
import { call, json, makeLink, MOBILE_SAFARI } from '../helpers';
import { csrfOf, signedIn, visit } from '../support/dashboard';

const bindings = env as Bindings;

/** The real D1, except that every batch (the touch insert is one) fails as a locked database does. */
const failingBatches = (d1: D1Database): D1Database =>
  new Proxy(d1, {
    get: (target, property) => (property === 'batch' ? () => Promise.reject(new Error('D1_ERROR: database is locked')) : Reflect.get(target, property)),
  });

/** The real R2 bucket, except that writes fail. */
const failingPuts = (bucket: R2Bucket): R2Bucket =>
  new Proxy(bucket, {
    get: (target, property) => (property === 'put' ? () => Promise.reject(new Error('R2 internal error')) : Reflect.get(target, property)),
  });

async function touchRows(linkId: string, campaignId: string, count: number, tag: string): Promise<NewTouch[]> {
  const rows: NewTouch[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      await toTouchRow(bindings, {
        id: `tpc_01JDEAD${tag}${String(i).padStart(18 - tag.length, '0')}`,
        type: 'click',
        occurredAt: Date.parse('2026-06-01T12:00:00Z') + i * 1000,
        campaignId,
        linkId,
        channel: 'email',
        visitorId: `v_01JDEAD${tag}${String(i).padStart(18 - tag.length, '0')}`,
        utm: {},
        facts: { method: 'GET', userAgent: MOBILE_SAFARI, referer: null, ip: '', country: null, region: null, city: null },
      }),
    );
  }
  return rows;
}

/** A queue batch of these rows as delivered for the `attempts`-th time. */
const batchOf = (queue: string, rows: NewTouch[], attempts: number) =>
  createMessageBatch<NewTouch>(
    queue,
    rows.map((body, i) => ({ id: `msg-${body.id}-${i}`, timestamp: new Date('2026-06-01T12:00:05Z'), attempts, body })),
  );

/** Delivers a batch to the Worker's queue handler; answers the harness's result and the delay the handler asked for. */
async function deliver(batch: MessageBatch<NewTouch>, bindingsUsed: Bindings) {
  let delaySeconds: number | undefined;
  const observed = new Proxy(batch, {
    get: (target, property) =>
      property === 'retryAll'
        ? (options?: QueueRetryOptions) => {
            delaySeconds = options?.delaySeconds;
            target.retryAll(options);
          }
        : Reflect.get(target, property),
  });
  const ctx = createExecutionContext();
  await worker.queue(observed, bindingsUsed);
  return { result: await getQueueResult(batch, ctx), delaySeconds };
}

const touchIds = async (linkId: string) =>
  (await env.DB.prepare('SELECT id FROM touches WHERE link_id = ? ORDER BY id').bind(linkId).all<{ id: string }>()).results.map((row) => row.id);

const deadLetterKeys = async () => (await bindings.ARCHIVE.list({ prefix: 'dead-letters/' })).objects.map((object) => object.key);

describe('dead-lettered touches', () => {
  it('are retried with backoff while D1 fails, kept in R2 once out of retries, and replayed into D1 once each', async () => {
    const link = await makeLink();
    const rows = await touchRows(link.id, link.campaign_id, 3, 'A');
    const down = { ...bindings, DB: failingBatches(env.DB) };

    // The touch queue's consumer: D1 fails, so nothing is acknowledged and the batch comes back later, backing off.
    for (const [attempts, expectedDelay] of [
      [1, 1],
      [2, 2],
      [5, 16],
    ]) {
      const { result, delaySeconds } = await deliver(batchOf('touchpoint-touches', rows, attempts), down);
      expect(result.retryBatch.retry).toBe(true);
      expect(result.ackAll).toBe(false);
      expect(result.explicitAcks).toEqual([]);
      expect(delaySeconds).toBe(expectedDelay);
    }
    expect(await touchIds(link.id)).toEqual([]);

    // Out of retries, the platform moves the messages to the dead-letter queue; its consumer writes them to R2, then acks.
    const dead = await deliver(batchOf(TOUCH_DEAD_LETTER_QUEUE_NAME, rows, 1), down);
    expect(dead.result.ackAll).toBe(true);
    expect(dead.result.retryBatch.retry).toBe(false);
    const keys = await deadLetterKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^dead-letters\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-msg-tpc_01JDEADA0+-0\.json$/);
    const stored = await (await bindings.ARCHIVE.get(keys[0]))!.json<{ queue: string; touches: NewTouch[]; message_ids: string[] }>();
    expect(stored.queue).toBe(TOUCH_DEAD_LETTER_QUEUE_NAME);
    expect(stored.touches).toEqual(rows);
    expect(stored.message_ids).toEqual(rows.map((row, i) => `msg-${row.id}-${i}`));
    expect(await json(await call('GET', '/api/v1/maintenance/dead-letters'))).toEqual({ objects: 1, touches: 3 });

    // A replay while D1 still fails deletes nothing and stores nothing.
    const refused = await call('POST', '/api/v1/maintenance/replay-dead-letters', { env: { DB: failingBatches(env.DB) } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('30');
    expect(await json(refused)).toEqual({
      error: {
        code: 'unavailable',
        message: `D1 refused the touches of ${keys[0]}, so it was kept; replayed before it: 0 objects; waiting: 1 object (3 touches); try again`,
      },
    });
    expect(await deadLetterKeys()).toEqual(keys);
    expect(await touchIds(link.id)).toEqual([]);

    // The same batch dead-lettered twice (an ack lost after the write), and one of its touches already stored.
    const again = await deliver(batchOf(TOUCH_DEAD_LETTER_QUEUE_NAME, rows, 2), bindings);
    expect(again.result.ackAll).toBe(true);
    await worker.queue(batchOf('touchpoint-touches', rows.slice(1, 2), 1), bindings);
    expect(await touchIds(link.id)).toEqual([rows[1].id]);
    expect(await json(await call('GET', '/api/v1/maintenance/dead-letters'))).toEqual({ objects: 2, touches: 6 });
    const admin = await signedIn();
    expect(await (await visit(admin, 'GET', '/settings/keys')).text()).toContain(
      '<p role="status" id="dead-letters">Visits the queue could not write to the database are kept in R2 (dead letters) — 2 batches with 6 visits wait.',
    );

    // D1 is back: the replay stores every touch once and deletes the objects.
    const replay = await call('POST', '/api/v1/maintenance/replay-dead-letters');
    expect(replay.status).toBe(200);
    expect(await json(replay)).toEqual({ replayed: { objects: 2, touches: 6 }, remaining: { objects: 0, touches: 0 } });
    expect(await touchIds(link.id)).toEqual(rows.map((row) => row.id));
    expect(await deadLetterKeys()).toEqual([]);
    expect(await (await visit(admin, 'GET', '/settings/keys')).text()).not.toContain('id="dead-letters"');
    const link2 = await json(await call('GET', `/api/v1/links/${link.id}`));
    expect(link2.stats).toEqual({ clicks: 3, scans: 0, unique_visitors: 3 });

    // Nothing left: a replay answers zeros.
    expect(await json(await call('POST', '/api/v1/maintenance/replay-dead-letters'))).toEqual({
      replayed: { objects: 0, touches: 0 },
      remaining: { objects: 0, touches: 0 },
    });
  });

  it('are replayed from the settings page’s button: refused while D1 fails (503, nothing lost), then stored once', async () => {
    const link = await makeLink({ slug: 'dead-letter-button' });
    const rows = await touchRows(link.id, link.campaign_id, 2, 'B');
    expect((await deliver(batchOf(TOUCH_DEAD_LETTER_QUEUE_NAME, rows, 1), bindings)).result.ackAll).toBe(true);
    const keys = await deadLetterKeys();
    expect(keys).toHaveLength(1);
    const admin = await signedIn();
    const page = await (await visit(admin, 'GET', '/settings/keys')).text();
    expect(page).toContain('<form class="notice" method="post" action="/settings/keys/replay-dead-letters">');
    expect(page).toContain('— 1 batches with 2 visits wait.');
    const form = { _csrf: csrfOf(page) };

    const refused = await visit(admin, 'POST', '/settings/keys/replay-dead-letters', form, { env: { DB: failingBatches(env.DB) } });
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain(
      'The database refused the visits of a batch, so it was kept with every later one; replayed before it: 0 batches. Try again once the database takes writes.',
    );
    expect(await deadLetterKeys()).toEqual(keys);
    expect(await touchIds(link.id)).toEqual([]);

    const replayed = await visit(admin, 'POST', '/settings/keys/replay-dead-letters', form);
    expect(replayed.status).toBe(200);
    const html = await replayed.text();
    expect(html).toContain('Replayed 1 batches with 2 visits; 0 batches wait.');
    expect(html).not.toContain('id="dead-letters"');
    expect(await touchIds(link.id)).toEqual(rows.map((row) => row.id));
    expect(await deadLetterKeys()).toEqual([]);
  });

  it('reach R2 through the real queues when D1 refuses a redirect’s touch, and a replay stores it once', async () => {
    const link = await makeLink({ slug: 'dead-letter-real' });
    // D1 refuses every touch insert (the consumer's write fails, as in an outage) until the trigger is dropped.
    await env.DB.prepare("CREATE TRIGGER test_touches_refused BEFORE INSERT ON touches BEGIN SELECT RAISE(ABORT, 'D1_ERROR: injected outage'); END").run();
    let clickId: string | null;
    try {
      // A buffer bound of 0 sends the touch to the real TOUCH_QUEUE at once.
      const response = await call('GET', '/dead-letter-real', { key: null, headers: { 'User-Agent': MOBILE_SAFARI }, env: { TOUCH_BUFFER_MAX_ROWS: '0' } });
      expect(response.status).toBe(302);
      clickId = new URL(response.headers.get('Location')!).searchParams.get('tp_click');
      // Three failed deliveries (1 s and 2 s apart), then the dead-letter queue and its consumer's R2 write.
      for (let waited = 0; (await deadLetterKeys()).length === 0 && waited < 40; waited++) await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await env.DB.prepare('DROP TRIGGER test_touches_refused').run();
    }
    expect(await json(await call('GET', '/api/v1/maintenance/dead-letters'))).toEqual({ objects: 1, touches: 1 });
    expect(await touchIds(link.id)).toEqual([]);
    expect(await json(await call('POST', '/api/v1/maintenance/replay-dead-letters'))).toEqual({
      replayed: { objects: 1, touches: 1 },
      remaining: { objects: 0, touches: 0 },
    });
    expect(await touchIds(link.id)).toEqual([clickId]);
  }, 40_000);

  it('skips (and keeps) an object that is not a dead-letter batch, replaying the others', async () => {
    const link = await makeLink();
    const rows = await touchRows(link.id, link.campaign_id, 2, 'C');
    await bindings.ARCHIVE.put('dead-letters/0000-not-a-batch.json', 'not json');
    expect((await deliver(batchOf(TOUCH_DEAD_LETTER_QUEUE_NAME, rows, 1), bindings)).result.ackAll).toBe(true);
    expect(await json(await call('POST', '/api/v1/maintenance/replay-dead-letters'))).toEqual({
      replayed: { objects: 1, touches: 2 },
      remaining: { objects: 1, touches: 0 },
    });
    expect(await touchIds(link.id)).toEqual(rows.map((row) => row.id));
    expect(await deadLetterKeys()).toEqual(['dead-letters/0000-not-a-batch.json']);
    await bindings.ARCHIVE.delete('dead-letters/0000-not-a-batch.json'); // R2 is shared by this file's tests
  });

  it('are redelivered, not acknowledged, while R2 fails in the dead-letter consumer', async () => {
    const link = await makeLink();
    const rows = await touchRows(link.id, link.campaign_id, 2, 'B');
    const { result, delaySeconds } = await deliver(batchOf(TOUCH_DEAD_LETTER_QUEUE_NAME, rows, 3), { ...bindings, ARCHIVE: failingPuts(bindings.ARCHIVE) });
    expect(result.retryBatch.retry).toBe(true);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual([]);
    expect(delaySeconds).toBe(4);
    expect(await deadLetterKeys()).toEqual([]);
    expect(await json(await call('GET', '/api/v1/maintenance/dead-letters'))).toEqual({ objects: 0, touches: 0 });
  });
});
