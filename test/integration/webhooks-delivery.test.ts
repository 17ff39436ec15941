/** Outgoing webhooks, delivered over real HTTP to a receiver that verifies the Standard Webhooks signature. */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../src/db/client';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from '../../src/domain/webhooks';
import { signWebhook } from '../../src/lib/webhook-signature';
import { attemptIfDue, deliverDue, deliverIds } from '../../src/services/webhook-delivery';
import { call, json, makeCampaign } from '../helpers';
import { clearWebhooks, deliveriesOf, expectedSignature, LOOPBACK, loopbackEnv, makeEndpoint, receiver } from '../support/webhooks';

const T0 = Date.parse('2026-05-04T10:00:00.000Z');
const at = (ms: number) => () => ms;
const db = () => createDb(env.DB);

async function createLink(now: number): Promise<any> {
  const campaign = await makeCampaign();
  const response = await call('POST', '/api/v1/links', {
    body: { campaign_id: campaign.id, destination: 'https://shop.example/spring', slug: `s${crypto.randomUUID().slice(0, 8)}` },
    env: LOOPBACK,
    now: at(now),
  });
  expect(response.status).toBe(201);
  return json(response);
}

afterEach(clearWebhooks);

describe('Standard Webhooks signatures', () => {
  it('matches the specification’s published test vector', async () => {
    // libraries/javascript/src/webhook.test.ts "sign function works" in standard-webhooks/standard-webhooks.
    expect(await signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
});

describe('outgoing webhook delivery', () => {
  it('retries 500, 500 then 200: three attempts with one webhook-id, each signed for its own timestamp, one logged success', async () => {
    const hook = await receiver([500, 500, 200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    const link = await createLink(T0);

    // The first attempt went out right after the response; the retry is due 5 s later, not before.
    expect(await deliverDue(db(), loopbackEnv(), T0 + 4_999)).toBe(0);
    expect(await deliverDue(db(), loopbackEnv(), T0 + 5_000)).toBe(1);
    expect(await deliverDue(db(), loopbackEnv(), T0 + 5_000 + 299_999)).toBe(0);
    expect(await deliverDue(db(), loopbackEnv(), T0 + 305_000)).toBe(1);
    expect(await deliverDue(db(), loopbackEnv(), T0 + 400_000_000)).toBe(0);

    const requests = await hook.requests();
    expect(requests).toHaveLength(3);
    const ids = new Set(requests.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^msg_[0-9A-Z]{26}$/);
    expect(requests.map((request) => request.headers['webhook-timestamp'])).toEqual([T0, T0 + 5_000, T0 + 305_000].map((t) => String(t / 1000)));
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-signature']).toBe(await expectedSignature(endpoint.secret, request));
    }
    const { short_url: _s, qr_url: _q, ...linkData } = link;
    expect(JSON.parse(requests[0].body)).toEqual({ type: 'link.created', timestamp: new Date(T0).toISOString(), data: linkData });
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);

    const [delivery, ...others] = await deliveriesOf(endpoint.id);
    expect(others).toEqual([]);
    expect(delivery).toEqual({
      id: expect.stringMatching(/^whd_/),
      endpoint_id: endpoint.id,
      event: 'link.created',
      webhook_id: requests[0].headers['webhook-id'],
      state: 'succeeded',
      attempts: 3,
      max_attempts: MAX_ATTEMPTS,
      last_status: 200,
      last_error: null,
      response_ms: expect.any(Number),
      response_excerpt: 'attempt 3: 200',
      last_attempt_at: new Date(T0 + 305_000).toISOString(),
      next_attempt_at: null,
      created_at: new Date(T0).toISOString(),
    });
  });

  it('follows the back-off schedule exactly and gives up after the last attempt', async () => {
    const hook = await receiver([503]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    let due = T0;
    const dueTimes: string[] = [];
    for (const delay of RETRY_DELAYS_SECONDS) {
      const [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery.state).toBe('pending');
      due += delay * 1000;
      expect(delivery.next_attempt_at).toBe(new Date(due).toISOString());
      dueTimes.push(delivery.next_attempt_at);
      expect(await deliverDue(db(), loopbackEnv(), due - 1)).toBe(0);
      expect(await deliverDue(db(), loopbackEnv(), due)).toBe(1);
    }
    expect(RETRY_DELAYS_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ state: 'failed', attempts: 8, last_status: 503, last_error: 'HTTP 503', next_attempt_at: null });
    expect((await hook.requests()).length).toBe(8);
    expect(await deliverDue(db(), loopbackEnv(), due + 86_400_000)).toBe(0);
    const after = await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`));
    expect(after).toMatchObject({ enabled: true, failure_count: 1 });
  });

  it('sends nothing to a disabled endpoint from a queued retry, and resumes on the schedule once it is enabled again', async () => {
    const hook = await receiver([500, 200]);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { enabled: false } })).toHaveProperty('status', 200);

    // The queue consumer's path (attemptIfDue for a message naming the delivery) must respect the disabling too.
    expect(await attemptIfDue(db(), loopbackEnv(), delivery.id, T0 + 5_000)).toBeNull();
    expect(await deliverDue(db(), loopbackEnv(), T0 + 5_000)).toBe(0);
    expect(await hook.requests()).toHaveLength(1);

    expect(await call('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { enabled: true } })).toHaveProperty('status', 200);
    expect(await deliverDue(db(), loopbackEnv(), T0 + 5_000)).toBe(1);
    expect(await hook.requests()).toHaveLength(2);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ state: 'succeeded', attempts: 2, last_status: 200 });
  });
});

describe('the claim of a busy runner', () => {
  it('leases an attempt from when it starts, not from when the runner took its clock', async () => {
    const hook = await receiver([500, 200], 1_500);
    const endpoint = await makeEndpoint(hook.url, ['link.created']);
    await createLink(T0);
    const [delivery] = await deliveriesOf(endpoint.id);
    // The runner took `now` (T0 + 5 s) 100 s ago: its attempt must still be leased for 60 s from its start.
    const real = Date.now();
    const clock = vi
      .spyOn(Date, 'now')
      .mockReturnValueOnce(real)
      .mockReturnValue(real + 100_000);
    try {
      const running = deliverIds(db(), loopbackEnv(), [delivery.id], T0 + 5_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const row = await env.DB.prepare('SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?').bind(delivery.id).first<{ next_attempt_at: string }>();
      expect(row?.next_attempt_at).toBe(new Date(T0 + 5_000 + 100_000 + 60_000).toISOString());
      await running;
    } finally {
      clock.mockRestore();
    }
    expect(await hook.requests()).toHaveLength(2);
  });
});
