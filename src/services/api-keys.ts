/** Minting API keys: shared by the API (`POST /api/v1/keys`) and the dashboard's key page. The secret is returned once. */
import { insertApiKey, type ApiKey } from '../db/api-keys';
import type { Db } from '../db/client';
import type { Scope } from '../domain/vocab';
import { mintKeySecret } from './auth';
import { sha256Hex } from '../lib/crypto';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';

/** A new key with its secret (stored only as a hash). */
export async function mintApiKey(db: Db, input: { name: string; scopes: readonly Scope[] }, now: number): Promise<{ key: ApiKey; secret: string }> {
  const id = newId('apiKey', now);
  const secret = mintKeySecret(id);
  const key = {
    id,
    name: input.name,
    scopes: [...new Set(input.scopes)],
    keyHash: await sha256Hex(secret),
    keyPrefix: secret.slice(0, 10),
    createdAt: toIso(now),
  };
  await insertApiKey(db, key);
  return { key: { ...key, lastUsedAt: null, revokedAt: null }, secret };
}
