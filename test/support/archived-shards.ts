/**
 * The archive tests over the sharded-touches fixture (sharded-archive, origin-rollup): the one- and three-shard
 * bindings with their buckets, every shard's database, and the minute cron run at a given time.
 */
import { env } from 'cloudflare:workers';
import type { Bindings } from '../../src/env';
import { runCron } from './cron';
import { oneShard, threeShards } from './sharded-fixture';

/** One touch database (SOLO_DB) with its own bucket, and three (DB, TOUCH_DB_1, TOUCH_DB_2) with ARCHIVE. */
export const one = (): Partial<Bindings> => ({ ...oneShard(), ARCHIVE: env.SOLO_ARCHIVE });
export const three = (): Partial<Bindings> => ({ ...threeShards(), ARCHIVE: env.ARCHIVE });
export const bindings = (overrides: Partial<Bindings>) => ({ ...(env as Bindings), ...overrides });

/** Every shard's touch databases under `overrides`, shard 0 first. */
export const shardDatabases = (overrides: Partial<Bindings>): D1Database[] =>
  overrides.TOUCH_SHARDS === '3' ? [env.DB, env.TOUCH_DB_1, env.TOUCH_DB_2] : [env.SOLO_DB];

/** Runs the minute cron at `now` under `overrides`. */
export const cron = runCron;
