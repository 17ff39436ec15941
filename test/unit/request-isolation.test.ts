/**
 * A Worker isolate serves many requests at once: nothing one request waits on
 * may belong to another. These tests hold one request's work forever (as a
 * cancelled request leaves it) and check that the next request still finishes.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { SlugCache } from '../../src/services/link-cache';

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** The real local D1, except that the first statement run through it never answers (a stalled or cancelled request). */
function stallFirstStatement(d1: D1Database): D1Database {
  let stalled = false;
  return new Proxy(d1, {
    get(target, property, receiver) {
      // A session (replicaOf) of this binding is the binding itself: its reads stay under this test's control.
      if (property === 'withSession') return () => receiver;
      if (property !== 'prepare') return Reflect.get(target, property);
      return (query: string) => {
        const statement = target.prepare(query);
        return new Proxy(statement, {
          get(inner, name) {
            if (name === 'bind') {
              return (...values: unknown[]) => {
                const bound = inner.bind(...values);
                if (stalled) return bound;
                stalled = true;
                return new Proxy(bound, { get: (b, n) => (n === 'all' ? never : (Reflect.get(b, n).bind?.(b) ?? Reflect.get(b, n))) });
              };
            }
            const value = Reflect.get(inner, name);
            return typeof value === 'function' ? value.bind(inner) : value;
          },
        });
      };
    },
  });
}

describe('request isolation', () => {
  it('gives every request its own database client', () => {
    expect(createDb(env.DB)).not.toBe(createDb(env.DB));
  });

  it('answers a query while another query of the same client never returns', async () => {
    const db = createDb(stallFirstStatement(env.DB));
    void db.selectFrom('campaigns').select('id').execute();
    const rows = await db.selectNoFrom((eb) => eb.val(42).as('answer')).execute();
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it('loads a slug for a request even while another request is stuck loading it', async () => {
    const cache = new SlugCache<{ campaignId: string }>();
    void cache.get('spring', 1_000, 30_000, never);
    await expect(cache.get('spring', 1_000, 30_000, async () => ({ campaignId: 'cmp_1' }))).resolves.toEqual({ campaignId: 'cmp_1' });
  });
});
