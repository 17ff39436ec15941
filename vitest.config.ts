import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { reporters } from './vitest.reporters';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'schema'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_TOKEN: 'test-admin-token',
            HASH_SECRET: 'test-hash-secret',
            TOUCH_FLUSH_MS: '5',
          },
          // Touch shards 1 and 2 (tests pass TOUCH_SHARDS: '3' to use them), and a database for the one-shard run that
          // the sharded-touches test compares with (DB holds the three-shard run's main shard).
          d1Databases: { TOUCH_DB_1: 'touch-db-1', TOUCH_DB_2: 'touch-db-2', SOLO_DB: 'solo-db' },
          // The one-shard run's archive bucket in the sharded-archive test (its shard 0 writes the same keys as DB's).
          r2Buckets: { SOLO_ARCHIVE: 'solo-archive' },
          // The touch queue as in wrangler.toml, but dead-lettering after 2 retries instead of 20 (1 s + 2 s of backoff,
          // not 15 minutes), so that a test sees a batch D1 refuses reach the dead-letter queue.
          queueConsumers: {
            'touchpoint-touches': { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 2, deadLetterQueue: 'touchpoint-touches-dlq' },
          },
        },
      }),
    ],
    test: {
      // Unit tests hold no state between files: they share workers (isolate: false), which saves the per-file start
      // (transform and migrations, about 5 s a file on two cores). Integration tests each get a fresh worker and D1.
      projects: [
        { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
        { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      ],
      setupFiles: ['./test/apply-migrations.ts'],
      // A real HTTP receiver (Node) for the outgoing webhook tests.
      globalSetup: ['./test/support/webhook-receiver.global.ts'],
      ...reporters('workers'),
    },
  };
});
