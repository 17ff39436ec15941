/**
 * The touch shards of an installation (docs/DESIGN.md "Sharded touches"):
 * shard 0 is the main database `DB`, shards 1 … TOUCH_SHARDS−1 the D1 bindings
 * TOUCH_DB_1, TOUCH_DB_2, … A client for the main database carries clients for
 * the other shards (`touchShards`), so repositories reading touches or their
 * rollups can read every shard and merge.
 */
import { groupByShard, parseShardCount, shardOfConversion, shardOfVisitor, type ConversionShardKey } from '../domain/shards';
import { createDb, type Db } from './client';

/** The bindings that decide the shards: the count and, by name, the shard databases. */
export type ShardBindings = { DB: D1Database; TOUCH_SHARDS?: string; SHARD_CONVERSIONS?: string };

/** The D1 bindings of every touch shard, shard 0 (DB) first; a clear error when TOUCH_SHARDS asks for a binding that is missing. */
export function touchShardBindings(env: ShardBindings): D1Database[] {
  const count = parseShardCount(env.TOUCH_SHARDS);
  const bindings: D1Database[] = [env.DB];
  for (let shard = 1; shard < count; shard += 1) {
    const name = `TOUCH_DB_${shard}`;
    const binding = (env as unknown as Record<string, D1Database | undefined>)[name];
    if (!binding || typeof binding.prepare !== 'function') {
      throw new Error(`TOUCH_SHARDS is ${count} but the D1 binding ${name} is missing: add it to wrangler.toml (see the README, "Sharded touches")`);
    }
    bindings.push(binding);
  }
  return bindings;
}

/** A client for the main database that carries clients for the other touch shards (none with one shard). */
export function withTouchShards(db: Db, env: ShardBindings): Db {
  const [, ...others] = touchShardBindings(env);
  if (others.length === 0) return db;
  return Object.assign(db, { touchShards: others.map((d1) => createDb(d1)), conversionsSharded: env.SHARD_CONVERSIONS === 'true' });
}

/** The main database's client with its touch shards: what a request, a queue batch or a cron run works on. */
export const mainDb = (env: ShardBindings): Db => withTouchShards(createDb(env.DB), env);

/** Clients for every touch shard, shard 0 (the main database) first. */
export const touchDbs = (db: Db): Db[] => [db, ...(db.touchShards ?? [])];

/** Whether touches are spread over more than one database. */
export const isSharded = (db: Db): boolean => (db.touchShards?.length ?? 0) > 0;

/** Visitor ids grouped by their shard. */
export function visitorsByShard(db: Db, visitorIds: readonly string[]): Map<number, string[]> {
  const count = touchDbs(db).length;
  return groupByShard(visitorIds, (visitor) => shardOfVisitor(visitor, count));
}

/** Runs `read` on every touch shard in parallel: the per-shard results, shard 0 first. */
export function onEveryShard<T>(db: Db, read: (shard: Db) => Promise<T>): Promise<T[]> {
  return Promise.all(touchDbs(db).map(read));
}

/**
 * The databases holding conversions, shard 0 (the main database) first: every touch shard when conversions are
 * sharded (SHARD_CONVERSIONS, docs/DESIGN.md "Sharded conversions"), else the main database alone. The one place
 * readers of conversions, their visitors, credits, credit rollups and identity links ask where those live.
 */
export const conversionDbs = (db: Db): Db[] => (db.conversionsSharded ? touchDbs(db) : [db]);

/** Whether conversions are spread over more than one database. */
export const conversionsSharded = (db: Db): boolean => conversionDbs(db).length > 1;

/** A conversion's database and its index among conversionDbs. */
export interface ConversionHome {
  index: number;
  db: Db;
}

/** The database a conversion with this key is stored on (see shardOfConversion). */
export function conversionHome(db: Db, key: ConversionShardKey): ConversionHome {
  const dbs = conversionDbs(db);
  const index = shardOfConversion(key, dbs.length);
  return { index, db: dbs[index] };
}

/** The database holding a customer's conversions and identity links. */
export const customerDb = (db: Db, customerHash: string): Db => conversionHome(db, { customerHash, orderId: null, id: '' }).db;

/** Runs `read` on every database holding conversions, in parallel: the per-database results, shard 0 first. */
export function onEveryConversionShard<T>(db: Db, read: (shard: Db, index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(conversionDbs(db).map(read));
}

/** The first database (in shard order) where `find` gives a value, found by asking all in parallel; null where none does. */
export async function findOnConversionShards<T>(
  db: Db,
  find: (shard: Db) => Promise<T | null | undefined>,
): Promise<{ value: T; home: ConversionHome } | null> {
  const found = await onEveryConversionShard(db, find);
  const index = found.findIndex((value) => value !== null && value !== undefined);
  return index < 0 ? null : { value: found[index] as T, home: { index, db: conversionDbs(db)[index] } };
}
