/** A D1 binding that counts statements: pages and reports read a fixed number, however many rows they show. */
import { env } from 'cloudflare:workers';

/** The real D1, counting the statements run through it. */
export function countingDb(): { DB: D1Database; statements: () => number } {
  let statements = 0;
  const DB = new Proxy(env.DB, {
    get(target, property, receiver) {
      // A session (replicaOf) of this binding is the binding itself: its reads stay under this test's control.
      if (property === 'withSession') return () => receiver;
      if (property === 'prepare') return (query: string) => (statements++, target.prepare(query));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { DB, statements: () => statements };
}
