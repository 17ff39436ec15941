/** API keys: stored as SHA-256 hashes, never as the secret. */
import type { Scope } from '../domain/vocab';
import { toIso } from '../lib/time';
import type { Db } from './client';
import { pageOf, type Page } from './pagination';
import type { ApiKeyRow } from './schema';

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  keyHash: string;
  keyPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as Scope[],
  keyHash: row.key_hash,
  keyPrefix: row.key_prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Stores a new key's hash. */
export async function insertApiKey(db: Db, key: Omit<ApiKey, 'lastUsedAt' | 'revokedAt'>): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      name: key.name,
      scopes: JSON.stringify(key.scopes),
      key_hash: key.keyHash,
      key_prefix: key.keyPrefix,
      created_at: key.createdAt,
    })
    .execute();
}

/** One key by id, revoked or not. */
export async function findApiKeyById(db: Db, id: string): Promise<ApiKey | null> {
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toApiKey(row) : null;
}

/** Keys newest first, without revoked ones. */
export async function listApiKeys(db: Db, limit: number, cursor?: string): Promise<Page<ApiKey>> {
  let query = db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null);
  if (cursor) query = query.where('id', '<', cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows.map(toApiKey), limit);
}

/** Marks a key revoked; false when there was no such live key. */
export async function revokeApiKey(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: toIso(now) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records use at most once a minute per key, so busy keys do not write on every request. */
export async function touchApiKey(db: Db, id: string, now: number): Promise<void> {
  const staleBefore = toIso(now - 60_000);
  await db
    .updateTable('api_keys')
    .set({ last_used_at: toIso(now) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}
