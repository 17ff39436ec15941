/** Request and response schemas of /api/v1/webhooks: outgoing webhook endpoints and their delivery log. */
import { z } from '@hono/zod-openapi';
import type { WebhookDelivery } from '../db/webhook-deliveries';
import type { WebhookEndpoint } from '../db/webhook-endpoints';
import { WEBHOOK_EVENTS } from '../domain/vocab';
import { DELIVERY_STATES } from '../domain/webhooks';

const Url = z.string().trim().min(1).max(2000).describe('https URL of a public host (http and loopback only where WEBHOOK_ALLOW_LOOPBACK is "true")');
const Events = z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length);
const Description = z.string().trim().max(500);

export const WebhookInput = z.object({ url: Url, events: Events, description: Description.optional() }).strict().openapi('WebhookEndpointInput');

export const WebhookPatch = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: Description.nullable().optional(),
    enabled: z.boolean().optional().describe('true re-enables a disabled endpoint and resets its failure count'),
  })
  .strict()
  .openapi('WebhookEndpointPatch');

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    description: z.string().nullable(),
    enabled: z.boolean(),
    failure_count: z.number().int().describe('Deliveries in a row that failed every attempt'),
    disabled_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('WebhookEndpoint');

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().describe('The whsec_ signing secret; shown only in this response'),
}).openapi('CreatedWebhookEndpoint');

export const DeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event: z.string(),
    webhook_id: z.string().describe('The webhook-id header: the same on every attempt and replay'),
    state: z.enum(DELIVERY_STATES),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    response_ms: z.number().int().nullable(),
    response_excerpt: z.string().nullable().describe('The first 1 KB of the last response body'),
    last_attempt_at: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('WebhookDelivery');

export const webhookJson = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  enabled: endpoint.enabled,
  failure_count: endpoint.failureCount,
  disabled_reason: endpoint.disabledReason,
  created_at: endpoint.createdAt,
  updated_at: endpoint.updatedAt,
});

export const deliveryJson = (delivery: WebhookDelivery) => ({
  id: delivery.id,
  endpoint_id: delivery.endpointId,
  event: delivery.event,
  webhook_id: delivery.messageId,
  state: delivery.state,
  attempts: delivery.attempts,
  max_attempts: delivery.maxAttempts,
  last_status: delivery.lastStatus,
  last_error: delivery.lastError,
  response_ms: delivery.responseMs,
  response_excerpt: delivery.responseExcerpt,
  last_attempt_at: delivery.lastAttemptAt,
  // A pending delivery's due time; while an attempt is in flight, the end of its lease.
  next_attempt_at: delivery.state === 'pending' ? delivery.nextAttemptAt : null,
  created_at: delivery.createdAt,
});
