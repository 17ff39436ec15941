import type { Bindings } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      ADMIN_TOKEN: string;
      HASH_SECRET?: string;
      /** Touch shards 1 and 2 (used when a test passes TOUCH_SHARDS: '3'). */
      TOUCH_DB_1: D1Database;
      TOUCH_DB_2: D1Database;
      /** The one-shard run's database in the sharded-touches test. */
      SOLO_DB: D1Database;
      /** The one-shard run's archive bucket in the sharded-archive test. */
      SOLO_ARCHIVE: R2Bucket;
    }
  }
}

export type { Bindings };
