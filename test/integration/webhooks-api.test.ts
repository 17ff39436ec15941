/** /api/v1/webhooks: endpoints, the secret shown once, test pings, replays, disabling after failure, the queue consumer. */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { RETRY_DELAYS_SECONDS } from '../../src/domain/webhooks';
import worker from '../../src/index';
import { deliverDue } from '../../src/services/webhook-delivery';
import { call, columnsHolding, json, makeCampaign, makeKey } from '../helpers';
import { clearWebhooks, deliveriesOf, expectedSignature, LOOPBACK, loopbackEnv, makeEndpoint, receiver } from '../support/webhooks';

const T0 = Date.parse('2026-05-04T10:00:00.000Z');
const db = () => createDb(env.DB);

async function createLink(now = T0): Promise<void> {
  const campaign = await makeCampaign();
  const response = await call('POST', '/api/v1/links', {
    body: { campaign_id: campaign.id, destination: 'https://shop.example/a' },
    env: LOOPBACK,
    now: () => now,
  });
  expect(response.status).toBe(201);
}

/** Runs the cron's delivery pass at every retry time of a delivery created at `start` (all 7 retries). */
async function runAllRetries(start: number): Promise<number> {
  let due = start;
  for (const delay of RETRY_DELAYS_SECONDS) {
    due += delay * 1000;
    await deliverDue(db(), loopbackEnv(), due);
  }
  return due;
}

afterEach(clearWebhooks);

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its whsec_ secret once; it is stored only sealed', async () => {
    const key = await makeKey(['integrations:write']);
    const response = await call('POST', '/api/v1/webhooks', {
      key,
      body: { url: 'https://crm.example/hooks/touchpoint', events: ['conversion.created', 'code.redeemed', 'conversion.created'], description: 'CRM' },
      now: () => T0,
    });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toEqual({
      id: expect.stringMatching(/^whe_/),
      url: 'https://crm.example/hooks/touchpoint',
      events: ['conversion.created', 'code.redeemed'],
      description: 'CRM',
      enabled: true,
      failure_count: 0,
      disabled_reason: null,
      created_at: '2026-05-04T10:00:00.000Z',
      updated_at: '2026-05-04T10:00:00.000Z',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    expect(atob(created.secret.slice(6)).length).toBe(24);
    const { secret, ...shown } = created;
    expect(await json(await call('GET', `/api/v1/webhooks/${created.id}`, { key }))).toEqual(shown);
    expect(await json(await call('GET', '/api/v1/webhooks', { key }))).toEqual({ data: [shown], next_cursor: null });
    expect(await columnsHolding(secret.slice(6), 'contains')).toEqual([]);
  });

  it('updates url, events and description, and deletes an endpoint with its log', async () => {
    const endpoint = await makeEndpoint('https://a.example/h', ['link.created']);
    const patched = await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, {
      body: { url: 'https://b.example/h', events: ['draw.completed'], description: null },
      now: () => T0,
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({
      url: 'https://b.example/h',
      events: ['draw.completed'],
      description: null,
      updated_at: '2026-05-04T10:00:00.000Z',
    });
    expect((await call('DELETE', `/api/v1/webhooks/${endpoint.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/webhooks/${endpoint.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it('answers a test ping with its delivery, signed like any other', async () => {
    const hook = await receiver([204]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    const response = await call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { env: LOOPBACK, now: () => T0 });
    expect(response.status).toBe(200);
    const delivery = await json(response);
    expect(delivery).toMatchObject({ event: 'webhook.test', state: 'succeeded', attempts: 1, max_attempts: 1, last_status: 204, response_excerpt: '' });
    const [request] = await hook.requests();
    expect(request.headers['webhook-id']).toBe(delivery.webhook_id);
    expect(request.headers['webhook-signature']).toBe(await expectedSignature(endpoint.secret, request));
    expect(JSON.parse(request.body)).toEqual({
      type: 'webhook.test',
      timestamp: '2026-05-04T10:00:00.000Z',
      data: { endpoint_id: endpoint.id, message: 'Touchpoint test ping' },
    });
  });

  it('logs a failed ping once, without retries and without counting it against the endpoint', async () => {
    const hook = await receiver([500]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    const delivery = await json(await call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { env: LOOPBACK, now: () => T0 }));
    expect(delivery).toMatchObject({ state: 'failed', attempts: 1, last_status: 500, last_error: 'HTTP 500', next_attempt_at: null });
    expect(await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).toMatchObject({ enabled: true, failure_count: 0 });
  });

  it('pings a disabled endpoint too (to check the receiver before enabling it again), leaving it disabled', async () => {
    const hook = await receiver([200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { enabled: false } });
    const response = await call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { env: LOOPBACK, now: () => T0 });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ event: 'webhook.test', state: 'succeeded', attempts: 1, last_status: 200, next_attempt_at: null });
    expect(await hook.requests()).toHaveLength(1);
    expect(await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).toMatchObject({ enabled: false });
  });

  it('replays a delivery now with the same webhook-id and a fresh timestamp and signature', async () => {
    const hook = await receiver([200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    const [first] = await deliveriesOf(endpoint.id);
    expect(first.state).toBe('succeeded');
    const replayed = await call('POST', `/api/v1/webhooks/deliveries/${first.id}/replay`, { env: LOOPBACK, now: () => T0 + 3_600_000 });
    expect(replayed.status).toBe(200);
    expect(await json(replayed)).toMatchObject({ id: first.id, webhook_id: first.webhook_id, state: 'succeeded', attempts: 2 });
    const requests = await hook.requests();
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([first.webhook_id, first.webhook_id]);
    expect(requests.map((r) => r.headers['webhook-timestamp'])).toEqual([String(T0 / 1000), String(T0 / 1000 + 3600)]);
    expect(requests[1].body).toBe(requests[0].body);
    expect(requests[1].headers['webhook-signature']).toBe(await expectedSignature(endpoint.secret, requests[1]));
    expect((await call('POST', '/api/v1/webhooks/deliveries/whd_nope/replay')).status).toBe(404);
  });

  it('disables an endpoint after 5 deliveries in a row failed every attempt, and PATCH enabled: true re-enables it', async () => {
    const hook = await receiver([500]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    for (let i = 0; i < 5; i++) {
      const start = T0 + i * 200_000_000;
      await createLink(start);
      await runAllRetries(start);
      const state = await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`));
      expect([state.enabled, state.failure_count]).toEqual([i < 4, i + 1]);
    }
    const disabled = await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`));
    expect(disabled.disabled_reason).toBe('5 deliveries in a row failed every attempt');
    expect((await hook.requests()).length).toBe(40);

    // Disabled: new facts are not queued for it.
    await createLink(T0 + 1_000_000_000);
    expect((await deliveriesOf(endpoint.id)).length).toBe(5);

    const enabled = await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { enabled: true } });
    expect(await json(enabled)).toMatchObject({ enabled: true, failure_count: 0, disabled_reason: null });
    await createLink(T0 + 1_100_000_000);
    expect((await deliveriesOf(endpoint.id)).length).toBe(6);
  });

  it('disables an endpoint at once when its receiver answers 410 Gone', async () => {
    const hook = await receiver([410]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    expect(await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).toMatchObject({
      enabled: false,
      disabled_reason: 'the receiver answered 410 Gone',
    });
    // Its pending retry is not sent while it is disabled.
    await deliverDue(db(), loopbackEnv(), T0 + 5_000);
    expect(await deliveriesOf(endpoint.id)).toMatchObject([{ state: 'pending', attempts: 1, last_status: 410 }]);
    expect((await hook.requests()).length).toBe(1);
  });

  it('counts a receiver that does not answer within the timeout as a failure', async () => {
    const hook = await receiver([200], 10_500);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, last_status: null, last_error: 'no response within 10 s' });
  }, 30_000);

  it('refuses to send to a loopback URL at delivery time when loopback is not allowed; the queue consumer sends it once allowed', async () => {
    const hook = await receiver([200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await call('POST', '/api/v1/links', { body: { campaign_id: (await makeCampaign()).id, destination: 'https://shop.example/q' }, now: () => T0 });
    const [refused] = await deliveriesOf(endpoint.id);
    expect(refused).toMatchObject({ state: 'pending', attempts: 1, last_status: null, last_error: 'refused: the URL must use https' });
    expect(await hook.requests()).toEqual([]);

    // A message on the webhook queue (told apart from touches by the queue's name) names the delivery, now due.
    const batch = createMessageBatch('touchpoint-webhooks', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { deliveryId: refused.id } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, loopbackEnv());
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    expect(await deliveriesOf(endpoint.id)).toMatchObject([{ id: refused.id, state: 'succeeded', attempts: 2, last_status: 200 }]);
    expect((await hook.requests()).map((r) => r.headers['webhook-id'])).toEqual([refused.webhook_id]);
  });
});

describe('the minute cron', () => {
  it('sends due retries and deletes finished deliveries older than 30 days', async () => {
    const hook = await receiver([200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    // Long ago (by the real clock the cron runs on): one delivery refused at first (no loopback allowance), one done.
    await call('POST', '/api/v1/links', { body: { campaign_id: (await makeCampaign()).id, destination: 'https://shop.example/c' }, now: () => T0 });
    await createLink(T0 + 1000);
    const before = await deliveriesOf(endpoint.id);
    expect(before.map((d: any) => d.state)).toEqual(['succeeded', 'pending']);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), loopbackEnv(), ctx);
    await waitOnExecutionContext(ctx);
    // The retry was sent (and succeeded); both are older than 30 days and finished, so the log lets them go.
    expect((await hook.requests()).length).toBe(2);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });
});

describe('webhook endpoint URLs', () => {
  it.each([
    ['http://127.0.0.1:8793/hook', 'url: the webhook URL must use https'],
    ['https://127.0.0.1/hook', 'url: the webhook URL must not point at a loopback host (127.0.0.1)'],
    ['https://169.254.169.254/latest', 'url: the webhook URL must not point at a private, internal or reserved host (169.254.169.254)'],
    ['https://[::ffff:192.168.0.1]/', 'url: the webhook URL must not point at a private, internal or reserved host ([::ffff:c0a8:1])'],
    ['https://metadata.google.internal/', 'url: the webhook URL must not point at a private, internal or reserved host (metadata.google.internal)'],
  ])('refuses %s at create and at update with 400', async (url, message) => {
    const created = await call('POST', '/api/v1/webhooks', { body: { url, events: ['link.created'] } });
    expect(created.status).toBe(400);
    expect(await json(created)).toEqual({ error: { code: 'validation_error', message } });
    const endpoint = await makeEndpoint('https://ok.example/hook', ['link.created']);
    const patched = await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { url } });
    expect(patched.status).toBe(400);
    expect(await json(patched)).toEqual({ error: { code: 'validation_error', message } });
    expect((await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).url).toBe('https://ok.example/hook');
  });
});
