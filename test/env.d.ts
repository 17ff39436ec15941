import type { Bindings } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      ADMIN_TOKEN: string;
      HASH_SECRET?: string;
    }
  }
}

export type { Bindings };
