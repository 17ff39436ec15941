#!/usr/bin/env node
// `npm run deploy`: creates the queues and R2 buckets wrangler.toml binds when the account lacks them (a fresh account
// has none; `wrangler deploy` does not create queues), applies the migrations to the remote D1 (and its touch shards), then deploys.
// The D1 database itself is created once by hand (`npx wrangler d1 create touchpoint`, README).
import { spawnSync } from 'node:child_process';
import { unstable_readConfig } from 'wrangler';

const config = unstable_readConfig({ config: 'wrangler.toml' });
const queues = new Set([
  ...(config.queues.producers ?? []).map((producer) => producer.queue),
  ...(config.queues.consumers ?? []).flatMap((consumer) => [consumer.queue, consumer.dead_letter_queue].filter(Boolean)),
]);
const buckets = new Set(config.r2_buckets.map((bucket) => bucket.bucket_name).filter(Boolean));

/** Runs `npx wrangler …args`; answers whether it succeeded (quiet: its output only on failure). */
function wrangler(args, { quiet = false } = {}) {
  const result = spawnSync('npx', ['wrangler', ...args], { stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  return result.status === 0;
}

/** Creates a resource unless its `info` command finds it; stops the deploy when creating fails. */
function ensure(kind, name, infoArgs, createArgs) {
  if (wrangler(infoArgs, { quiet: true })) return console.log(`${kind} ${name}: exists`);
  console.log(`${kind} ${name}: creating`);
  if (!wrangler(createArgs)) process.exit(1);
}

for (const name of queues) ensure('queue', name, ['queues', 'info', name], ['queues', 'create', name]);
for (const name of buckets) ensure('R2 bucket', name, ['r2', 'bucket', 'info', name], ['r2', 'bucket', 'create', name]);
// Every touch shard (TOUCH_DB_1, TOUCH_DB_2, … — README, "Sharded touches") gets every migration, as DB does.
const touchShards = config.d1_databases.map((database) => database.binding).filter((binding) => /^TOUCH_DB_\d+$/.test(binding));
for (const binding of ['DB', ...touchShards]) if (!wrangler(['d1', 'migrations', 'apply', binding, '--remote'])) process.exit(1);
if (!wrangler(['deploy'])) process.exit(1);
