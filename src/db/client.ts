/** The Kysely client over D1, and the one way to run several writes atomically. */
import { Kysely, SqliteAdapter, type Compilable } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import type { Database } from './schema';

/** What a client runs statements on: the D1 binding (the primary) or one of its sessions (see replicaOf). */
export type D1Handle = D1Database | D1DatabaseSession;

export type Db = Kysely<Database> & {
  d1: D1Handle;
  /** Touch shards 1 … n−1 when TOUCH_SHARDS > 1 (shard 0 is this database itself); see db/shards.ts. */
  touchShards?: readonly Db[];
  /** Conversions are spread over the touch shards too (SHARD_CONVERSIONS); see conversionDbs in db/shards.ts. */
  conversionsSharded?: boolean;
};

/**
 * SQLite's adapter makes Kysely serialise queries through a connection mutex;
 * D1 has no connection to protect (every query is its own request), so a
 * request's parallel queries need not wait on each other.
 */
class D1Adapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

class D1ParallelDialect extends D1Dialect {
  override createAdapter(): SqliteAdapter {
    return new D1Adapter();
  }
}

/**
 * A Kysely client for one request (or one queue batch, one cron run). Never
 * keep it beyond that: a Worker isolate serves many requests at once, and
 * Kysely holds promises (its driver's init) that must not be awaited by a
 * request other than the one that created them — a request cancelled while
 * another waits on its promise leaves the waiter hanging for good.
 */
export function createDb(d1: D1Handle): Db {
  // kysely-d1 only calls prepare(), which a session offers as the binding does.
  return Object.assign(new Kysely<Database>({ dialect: new D1ParallelDialect({ database: d1 as D1Database }) }), { d1 });
}

/**
 * A client for reads that may lag the primary by moments (reports, the redirect's link lookup): a D1 session
 * that starts at the nearest read replica ('first-unconstrained') where the database has read replication on,
 * else at the primary — Cloudflare's Sessions API; locally there is one copy and it reads that. A write through
 * it would still go to the primary, but callers only read. A client that is already a session is returned as is.
 */
export function replicaOf(db: Db): Db {
  if (!('withSession' in db.d1) || typeof db.d1.withSession !== 'function') return db;
  const replica = createDb(db.d1.withSession('first-unconstrained'));
  return db.touchShards ? Object.assign(replica, { touchShards: db.touchShards.map(replicaOf), conversionsSharded: db.conversionsSharded }) : replica;
}

/** D1 refuses statements with more than 100 bound parameters. */
export const MAX_PARAMS = 100;

/** Rows per multi-row INSERT so that one statement stays within D1's parameter limit. */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / columns));
}

/** Splits rows into chunks that fit one INSERT each. */
export function chunkRows<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const size = rowsPerInsert(Object.keys(rows[0]).length);
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** Runs compiled queries (or statements prepared on the D1 binding) as one D1 batch: all of them commit, or none. */
export async function runAtomically(db: Db, queries: readonly (Compilable | D1PreparedStatement)[]): Promise<D1Result[]> {
  if (queries.length === 0) return [];
  const statements = queries.map((q) => {
    if (!('compile' in q)) return q;
    const compiled = q.compile();
    return db.d1.prepare(compiled.sql).bind(...(compiled.parameters as unknown[]));
  });
  return db.d1.batch(statements);
}

/** Multi-row inserts for `rows`, chunked to D1's limit; run them with runAtomically. */
export function chunkedInserts<T extends object>(rows: readonly T[], build: (chunk: T[]) => Compilable): Compilable[] {
  return chunkRows(rows).map(build);
}

/** Rows per JSON insert: one bound parameter each, kept well under D1's statement and value size limits. */
const JSON_INSERT_ROWS = 500;

export interface JsonInsertOptions {
  /** INSERT OR IGNORE: skip rows already stored (same primary key). Default true. */
  orIgnore?: boolean;
  /** A condition (SQL from code, its placeholders from ?2 on) the rows are inserted under, e.g. that their parent row exists. */
  onlyIf?: { sql: string; params: readonly unknown[] };
}

/**
 * Statements inserting `rows` into `table` through json_each: the rows travel
 * as one JSON array per statement (one bound parameter), so a large batch is
 * a handful of statements instead of one per few rows, and there is no
 * per-value query building. Column names come from code, never from input.
 */
export function jsonInsertStatements<T extends object>(
  db: Db,
  table: keyof Database,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
  options: JsonInsertOptions = {},
): D1PreparedStatement[] {
  const select = columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ');
  const verb = options.orIgnore === false ? 'INSERT' : 'INSERT OR IGNORE';
  const where = options.onlyIf ? ` WHERE ${options.onlyIf.sql}` : '';
  const statement = db.d1.prepare(`${verb} INTO ${table} (${columns.join(', ')}) SELECT ${select} FROM json_each(?1)${where}`);
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += JSON_INSERT_ROWS) {
    const chunk = rows.slice(i, i + JSON_INSERT_ROWS).map((row) => columns.map((column) => (row as Record<string, unknown>)[column] ?? null));
    out.push(statement.bind(JSON.stringify(chunk), ...(options.onlyIf?.params ?? [])));
  }
  return out;
}
