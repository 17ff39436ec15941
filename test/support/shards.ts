/**
 * Touch shards in tests: the extra D1 databases (vitest.config.ts) get their migrations only in the files that
 * use them — applying them in the shared setup would cost every integration file's start.
 */
import { applyD1Migrations, env } from 'cloudflare:test';

/** Applies every migration to TOUCH_DB_1, TOUCH_DB_2 and SOLO_DB (skips what is applied). */
export async function migrateShardDatabases(): Promise<void> {
  await Promise.all([env.TOUCH_DB_1, env.TOUCH_DB_2, env.SOLO_DB].map((db) => applyD1Migrations(db, env.TEST_MIGRATIONS)));
}
