/**
 * The outgoing webhook events as the OpenAPI document describes them (its
 * `webhooks` section): one entry per name in WEBHOOK_EVENTS, each a POST of
 * `{type, timestamp, data}` signed as the Standard Webhooks specification says.
 * This only describes the deliveries; they are made elsewhere.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../domain/vocab';

/** When each event is sent (a new event in the vocabulary needs its line here). */
const WHEN: Record<WebhookEvent, string> = {
  'conversion.created': 'A conversion (lead, sale or a custom type) was recorded: through the API, a shop integration or an import',
  'conversion.refunded': 'A refund (or a cancellation) took back part or all of a conversion’s value',
  'code.redeemed': 'An action code from a pack was accepted',
  'promo.redeemed': 'A promo code was redeemed at checkout',
  'referral.rewarded': 'A referred friend’s first qualifying sale earned the referrer their reward',
  'loyalty.points_earned': 'A member earned points',
  'loyalty.reward_redeemed': 'A member redeemed points for a reward',
  'loyalty.tier_changed': 'A member moved to another tier',
  'draw.completed': 'A prize draw was drawn',
  'link.created': 'A tracked link was created',
};

export const WebhookPayloadSchema = z
  .object({
    type: z.enum(WEBHOOK_EVENTS).openapi({ description: 'The event name' }),
    timestamp: z.string().openapi({ format: 'date-time', description: 'When the event happened, ISO-8601 UTC' }),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'The event’s object (snake_case, as the API answers it)' }),
  })
  .openapi('WebhookPayload', { description: 'The body of every webhook delivery' });

const WebhookHeaders = z.object({
  'webhook-id': z.string().openapi({ description: 'The message id: the same on every retry of one event, so a receiver can drop duplicates' }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds when this attempt was signed; refuse one far from your clock (replay protection)' }),
  'webhook-signature': z.string().openapi({
    description:
      'Space-separated `v1,<signature>`: base64 HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<raw body>` with the endpoint secret (the base64 after `whsec_`, decoded), as Standard Webhooks specifies',
  }),
});

const DELIVERY =
  'Delivered at least once with the Standard Webhooks headers; any 2xx acknowledges it, anything else (or no answer) is retried with growing back-off under the same `webhook-id`.';

/** Registers one webhook entry per event. */
export function describeWebhooks(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const event of WEBHOOK_EVENTS) {
    registry.registerWebhook({
      method: 'post',
      path: event,
      tags: ['webhooks'],
      summary: event,
      description: `${WHEN[event]}. ${DELIVERY}`,
      request: { headers: WebhookHeaders, body: { content: { 'application/json': { schema: WebhookPayloadSchema } }, required: true } },
      responses: { 200: { description: 'Any 2xx status acknowledges the delivery' } },
    });
  }
}
