/** Outgoing webhook endpoints: the URL, its subscribed events, its sealed secret and whether it still receives. */
import { sql } from 'kysely';
import type { WebhookEvent } from '../domain/vocab';
import type { Db } from './client';
import { pageOf, type Page } from './pagination';
import type { WebhookEndpointRow } from './webhook-schema';

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string | null;
  secretSealed: string;
  enabled: boolean;
  failureCount: number;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

const toEndpoint = (row: WebhookEndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEvent[],
  description: row.description,
  secretSealed: row.secret_sealed,
  enabled: row.enabled === 1,
  failureCount: row.failure_count,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Stores a new endpoint (enabled, no failures). */
export async function insertWebhookEndpoint(db: Db, endpoint: Omit<WebhookEndpoint, 'enabled' | 'failureCount' | 'disabledReason'>): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      description: endpoint.description,
      secret_sealed: endpoint.secretSealed,
      created_at: endpoint.createdAt,
      updated_at: endpoint.updatedAt,
    })
    .execute();
}

/** One endpoint by id. */
export async function findWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpoint | null> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEndpoint(row) : null;
}

/** Endpoints newest first. */
export async function listWebhookEndpoints(db: Db, limit: number, cursor?: string): Promise<Page<WebhookEndpoint>> {
  let query = db.selectFrom('webhook_endpoints').selectAll();
  if (cursor) query = query.where('id', '<', cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows.map(toEndpoint), limit);
}

/** Enabled endpoints subscribed to `event`. */
export async function findSubscribedEndpoints(db: Db, event: WebhookEvent): Promise<WebhookEndpoint[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('enabled', '=', 1)
    .where(sql<boolean>`exists (select 1 from json_each(webhook_endpoints.events) where value = ${event})`)
    .execute();
  return rows.map(toEndpoint);
}

/** The events any enabled endpoint subscribes to. */
export async function findSubscribedEvents(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('webhook_endpoints').select('events').where('enabled', '=', 1).execute();
  return new Set(rows.flatMap((row) => JSON.parse(row.events) as string[]));
}

export interface EndpointPatch {
  url?: string;
  events?: WebhookEvent[];
  description?: string | null;
  enabled?: boolean;
}

/** Applies a patch; enabling clears the failure count and the reason it was disabled. False when there is no such endpoint. */
export async function updateWebhookEndpoint(db: Db, id: string, patch: EndpointPatch, now: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.events !== undefined && { events: JSON.stringify(patch.events) }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.enabled === true && { enabled: 1, failure_count: 0, disabled_reason: null }),
      ...(patch.enabled === false && { enabled: 0, disabled_reason: 'disabled by hand' }),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes an endpoint and (cascade) its deliveries. */
export async function deleteWebhookEndpoint(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** After a delivery succeeded: the endpoint's run of failures ends. */
export async function resetEndpointFailures(db: Db, id: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ failure_count: 0 }).where('id', '=', id).where('failure_count', '>', 0).execute();
}

/** After a delivery failed all its attempts: counts it, and disables the endpoint at `threshold` in a row. */
export async function countEndpointFailure(db: Db, id: string, threshold: number, now: string): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      failure_count: eb('failure_count', '+', 1),
      enabled: eb
        .case()
        .when('failure_count', '>=', threshold - 1)
        .then(0)
        .else(eb.ref('enabled'))
        .end(),
      disabled_reason: eb
        .case()
        .when(eb.and([eb('failure_count', '>=', threshold - 1), eb('enabled', '=', 1)]))
        .then(`${threshold} deliveries in a row failed every attempt`)
        .else(eb.ref('disabled_reason'))
        .end(),
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

/** Disables an endpoint at once (its receiver answered 410 Gone). */
export async function disableWebhookEndpoint(db: Db, id: string, reason: string, now: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ enabled: 0, disabled_reason: reason, updated_at: now }).where('id', '=', id).execute();
}
