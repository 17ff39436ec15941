/** Shop integrations: one row per connected store or account, its signing secret sealed (never read by the API). */
import type { IntegrationPlatform } from '../domain/vocab';
import { toIso } from '../lib/time';
import type { Db } from './client';
import { findOnConversionShards } from './shards';
import type { IntegrationRow } from './integration-schema';
import { pageOf, type Page } from './pagination';

export interface Integration {
  id: string;
  platform: IntegrationPlatform;
  name: string;
  secretSealed: string;
  createdAt: string;
  rotatedAt: string | null;
  lastReceivedAt: string | null;
}

const toIntegration = (row: IntegrationRow): Integration => ({
  id: row.id,
  platform: row.platform,
  name: row.name,
  secretSealed: row.secret_sealed,
  createdAt: row.created_at,
  rotatedAt: row.rotated_at,
  lastReceivedAt: row.last_received_at,
});

/** Stores a new integration. */
export async function insertIntegration(db: Db, integration: Pick<Integration, 'id' | 'platform' | 'name' | 'secretSealed' | 'createdAt'>): Promise<void> {
  await db
    .insertInto('integrations')
    .values({
      id: integration.id,
      platform: integration.platform,
      name: integration.name,
      secret_sealed: integration.secretSealed,
      created_at: integration.createdAt,
    })
    .execute();
}

/** One integration by id. */
export async function findIntegrationById(db: Db, id: string): Promise<Integration | null> {
  const row = await db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toIntegration(row) : null;
}

/** Integrations newest first. */
export async function listIntegrations(db: Db, limit: number, cursor?: string): Promise<Page<Integration>> {
  let query = db.selectFrom('integrations').selectAll();
  if (cursor) query = query.where('id', '<', cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows.map(toIntegration), limit);
}

/** Replaces the sealed secret; false when there is no such integration. */
export async function updateIntegrationSecret(db: Db, id: string, secretSealed: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('integrations')
    .set({ secret_sealed: secretSealed, rotated_at: toIso(now) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes an integration (its secret with it); false when there was none. */
export async function deleteIntegration(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('integrations').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Notes a verified delivery, at most once a minute per integration (so a busy shop does not write on every order). */
export async function touchIntegration(db: Db, id: string, now: number): Promise<void> {
  const staleBefore = toIso(now - 60_000);
  await db
    .updateTable('integrations')
    .set({ last_received_at: toIso(now) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_received_at', 'is', null), eb('last_received_at', '<', staleBefore)]))
    .execute();
}

/** The conversion recorded for `orderId`, with what a refund needs to know of it. */
export async function findOrderConversion(
  db: Db,
  orderId: string,
): Promise<{ id: string; value: number | null; refunded: number; currency: string | null } | null> {
  // A conversion lives on one conversion shard: every one is asked, in parallel.
  const found = await findOnConversionShards(db, (shard) =>
    shard.selectFrom('conversions').select(['id', 'value', 'refunded', 'currency']).where('order_id', '=', orderId).executeTakeFirst(),
  );
  return found?.value ?? null;
}
