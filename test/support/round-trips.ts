/** A D1 binding that counts round trips: one per batch, one per statement run on its own. */
import { env } from 'cloudflare:workers';

export function roundTripDb(): { DB: D1Database; roundTrips: () => number } {
  let trips = 0;
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (['first', 'all', 'run', 'raw'].includes(String(property))) {
          return (...args: unknown[]) => (trips++, (value as (...a: unknown[]) => unknown).apply(target, args));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const DB = new Proxy(env.DB, {
    get(target, property, receiver) {
      // A session (replicaOf) of this binding is the binding itself: its reads stay under this test's control.
      if (property === 'withSession') return () => receiver;
      if (property === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (property === 'batch') return (statements: D1PreparedStatement[]) => (trips++, target.batch(statements.map((s) => real.get(s) ?? s)));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { DB, roundTrips: () => trips };
}
