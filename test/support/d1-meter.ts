/** A D1 binding that adds up what D1 bills: the rows read and written by every statement run through it. */
import { env } from 'cloudflare:workers';

export function meteredDb(): { DB: D1Database; rows: () => { read: number; written: number } } {
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
        if (property === 'run' || property === 'all') return () => (target[property] as () => Promise<D1Result>).call(target).then(note);
        if (property === 'first') {
          return async (column?: string) => {
            const result = note(await target.all());
            const row = (result.results[0] ?? null) as Record<string, unknown> | null;
            return column === undefined || row === null ? row : row[column];
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const DB = new Proxy(env.DB, {
    get(target, property, receiver) {
      if (property === 'withSession') return () => receiver;
      if (property === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (property === 'batch') return async (statements: D1PreparedStatement[]) => (await target.batch(statements.map((s) => real.get(s) ?? s))).map(note);
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { DB, rows: () => ({ read, written }) };
}
