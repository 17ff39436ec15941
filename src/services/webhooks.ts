/**
 * Managing webhook endpoints: creating one mints its `whsec_` secret (returned once, stored sealed), every saved
 * URL passes the SSRF guard, and every change drops the cached subscriptions. A test ping is sent at once.
 */
import type { Db } from '../db/client';
import { findDelivery, insertDeliveries } from '../db/webhook-deliveries';
import {
  deleteWebhookEndpoint,
  type EndpointPatch,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  updateWebhookEndpoint,
  type WebhookEndpoint,
} from '../db/webhook-endpoints';
import type { WebhookDelivery } from '../db/webhook-deliveries';
import type { WebhookEvent } from '../domain/vocab';
import { webhookTargetProblem } from '../domain/webhook-targets';
import { CLAIM_LEASE_MS, messageBody, PING_EVENT } from '../domain/webhooks';
import { type Bindings, secretsKey } from '../env';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { seal } from '../lib/secret-box';
import { toIso } from '../lib/time';
import { newWebhookSecret } from '../lib/webhook-signature';
import { allowsLoopback, attemptDelivery, ENDPOINT_SECRET_LABEL } from './webhook-delivery';
import { forgetSubscriptions } from './webhook-events';

export interface EndpointInput {
  url: string;
  events: WebhookEvent[];
  description?: string | null;
}

function checkTarget(env: Bindings, url: string): void {
  const problem = webhookTargetProblem(url, allowsLoopback(env));
  if (problem) throw new ApiError('validation_error', `url: the webhook URL ${problem}`);
}

/** A new endpoint and its secret (shown to the caller this once). */
export async function createEndpoint(db: Db, env: Bindings, input: EndpointInput, now: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  checkTarget(env, input.url);
  const secret = newWebhookSecret();
  const endpoint = {
    id: newId('webhookEndpoint', now),
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description ?? null,
    secretSealed: await seal(secretsKey(env), ENDPOINT_SECRET_LABEL, secret),
    createdAt: toIso(now),
    updatedAt: toIso(now),
  };
  await insertWebhookEndpoint(db, endpoint);
  forgetSubscriptions();
  return { endpoint: { ...endpoint, enabled: true, failureCount: 0, disabledReason: null }, secret };
}

/** An endpoint, or 404. */
export async function getEndpoint(db: Db, id: string): Promise<WebhookEndpoint> {
  const endpoint = await findWebhookEndpoint(db, id);
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Applies a patch (a new URL passes the guard; enabling resets the failure count). */
export async function editEndpoint(db: Db, env: Bindings, id: string, patch: EndpointPatch, now: number): Promise<WebhookEndpoint> {
  if (patch.url !== undefined) checkTarget(env, patch.url);
  const events = patch.events && [...new Set(patch.events)];
  if (!(await updateWebhookEndpoint(db, id, { ...patch, events }, toIso(now)))) throw notFound('Webhook endpoint');
  forgetSubscriptions();
  return getEndpoint(db, id);
}

/** Deletes an endpoint with its delivery log. */
export async function removeEndpoint(db: Db, id: string): Promise<void> {
  if (!(await deleteWebhookEndpoint(db, id))) throw notFound('Webhook endpoint');
  forgetSubscriptions();
}

/** Sends a `webhook.test` message to the endpoint now (one attempt, no retries) and returns its logged delivery. */
export async function pingEndpoint(db: Db, env: Bindings, id: string, now: number): Promise<WebhookDelivery> {
  const endpoint = await getEndpoint(db, id);
  checkTarget(env, endpoint.url);
  const messageId = newId('webhookMessage', now);
  const deliveryId = newId('webhookDelivery', now);
  await insertDeliveries(db, [
    {
      id: deliveryId,
      endpointId: endpoint.id,
      messageId,
      event: PING_EVENT,
      body: messageBody(PING_EVENT, toIso(now), { endpoint_id: endpoint.id, message: 'Touchpoint test ping' }),
      maxAttempts: 1,
      // Written already leased to this request (no runner takes it), and sent even to a disabled endpoint.
      nextAttemptAt: toIso(now + CLAIM_LEASE_MS),
      createdAt: toIso(now),
    },
  ]);
  const delivery = await findDelivery(db, deliveryId);
  if (!delivery) throw notFound('Webhook delivery');
  return attemptDelivery(db, env, delivery, now);
}
