/** Kysely table types of schema/0020_webhooks.sql: outgoing webhook endpoints and their deliveries (the outbox). */
import type { Generated, Selectable } from 'kysely';
import type { DeliveryState } from '../domain/webhooks';

export interface WebhookEndpointTable {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secret_sealed: string;
  enabled: Generated<number>;
  failure_count: Generated<number>;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  message_id: string;
  event: string;
  body: string;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  max_attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  response_ms: number | null;
  response_excerpt: string | null;
  created_at: string;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
