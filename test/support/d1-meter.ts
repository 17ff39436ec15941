/**
 * A D1 binding that measures what goes through it: round trips (one per batch, one per statement run on its own)
 * and what D1 bills, the rows read and written by every statement.
 */
import { env } from 'cloudflare:workers';

export interface MeteredDb {
  DB: D1Database;
  roundTrips: () => number;
  rows: () => { read: number; written: number };
}

export function meteredDb(): MeteredDb {
  let trips = 0;
  let read = 0;
  let written = 0;
  const note = <T extends { meta?: { rows_read?: number; rows_written?: number } }>(result: T): T => {
    read += result.meta?.rows_read ?? 0;
    written += result.meta?.rows_written ?? 0;
    return result;
  };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        if (property === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (property === 'run' || property === 'all') return () => (trips++, (target[property] as () => Promise<D1Result>).call(target).then(note));
        if (property === 'first') {
          return async (column?: string) => {
            trips++;
            const row = (note(await target.all()).results[0] ?? null) as Record<string, unknown> | null;
            return column === undefined || row === null ? row : row[column];
          };
        }
        if (property === 'raw') return (...args: unknown[]) => (trips++, (target.raw as (...a: unknown[]) => unknown).apply(target, args));
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const DB = new Proxy(env.DB, {
    get(target, property, receiver) {
      // A session (replicaOf) of this binding is the binding itself: its statements are measured too.
      if (property === 'withSession') return () => receiver;
      if (property === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => (trips++, (await target.batch(statements.map((s) => real.get(s) ?? s))).map(note));
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { DB, roundTrips: () => trips, rows: () => ({ read, written }) };
}
