import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import { queueRetryDelaySeconds, toTouchRow } from '../../src/services/touch-recorder';
import { makeLink, MOBILE_SAFARI } from '../helpers';

describe('touch queue consumer', () => {
  it('writes queued touches to D1, once even when a message is delivered twice', async () => {
    const link = await makeLink();
    const row = await toTouchRow(env as Bindings, {
      id: 'tpc_01JQUEUE0000000000000000AA',
      type: 'click',
      occurredAt: Date.parse('2026-06-01T12:00:00Z'),
      campaignId: link.campaign_id,
      linkId: link.id,
      channel: 'email',
      visitorId: 'v_01JQUEUE0000000000000000AB',
      utm: { utm_campaign: 'spring-sale' },
      facts: { method: 'GET', userAgent: MOBILE_SAFARI, referer: null, ip: '', country: 'DE', region: 'Berlin', city: 'Berlin' },
    });
    const batch = createMessageBatch('touches', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: row },
      { id: 'm2', timestamp: new Date(), attempts: 2, body: row },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as Bindings);
    await getQueueResult(batch, ctx);
    const stored = await env.DB.prepare('SELECT id, channel, device_class, country FROM touches WHERE link_id = ?').bind(link.id).all();
    expect(stored.results).toEqual([{ id: 'tpc_01JQUEUE0000000000000000AA', channel: 'email', device_class: 'mobile', country: 'DE' }]);
  });

  it('asks for redelivery with backoff while D1 fails, instead of dropping the batch', async () => {
    const link = await makeLink();
    const row = await toTouchRow(env as Bindings, {
      id: 'tpc_01JQUEUE0000000000000000AC',
      type: 'click',
      occurredAt: Date.parse('2026-06-01T12:00:00Z'),
      campaignId: link.campaign_id,
      linkId: link.id,
      channel: 'email',
      visitorId: 'v_01JQUEUE0000000000000000AD',
      utm: {},
      facts: { method: 'GET', userAgent: MOBILE_SAFARI, referer: null, ip: '', country: null, region: null, city: null },
    });
    const locked = new Proxy(env.DB, {
      get: (target, property) => (property === 'batch' ? () => Promise.reject(new Error('D1_ERROR: database is locked')) : Reflect.get(target, property)),
    });
    const batch = createMessageBatch('touches', [{ id: 'm3', timestamp: new Date(), attempts: 3, body: row }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...(env as Bindings), DB: locked });
    const result = await getQueueResult(batch, ctx);
    // (the test harness reports the retry, not its delay: the delay rule is checked on its own)
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
    expect([1, 2, 3, 4, 7, 8, 20].map(queueRetryDelaySeconds)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });
});
