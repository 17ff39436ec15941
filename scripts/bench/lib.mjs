// Shared by the benchmark scripts: start `wrangler dev` on 127.0.0.1 and wait until it really answers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const BROWSER_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const BENCH_TOKEN = 'bench-admin-token';
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

const root = path.resolve(import.meta.dirname, '../..');

export const tempDir = (name) => mkdtempSync(path.join(tmpdir(), `tp-${name}-`));

/** Applies the migrations to a fresh local D1 under `persistTo`. */
export function migrate(persistTo, { config = 'wrangler.toml', bindings = ['DB'] } = {}) {
  for (const binding of bindings) {
    const result = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', binding, '--local', '--config', config, '--persist-to', persistTo], {
      env,
      input: 'y\n',
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`migrations of ${binding} failed: ${result.stderr}`);
  }
}

/**
 * wrangler.toml with `shards` touch shards (README, "Sharded touches"): TOUCH_SHARDS set and the bindings
 * TOUCH_DB_1 … TOUCH_DB_{shards−1} on local databases, written to `dir`; answers the file and the D1 bindings to migrate.
 */
export function shardedConfig(dir, shards) {
  const schema = path.join(root, 'schema');
  const bindings = Array.from({ length: shards - 1 }, (_, i) => `TOUCH_DB_${i + 1}`);
  const blocks = bindings.map(
    (binding, i) =>
      `[[d1_databases]]\nbinding = "${binding}"\ndatabase_name = "touchpoint-touches-${i + 1}"\ndatabase_id = "00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}"\nmigrations_dir = "${schema}"\n\n`,
  );
  const text = readFileSync(path.join(root, 'wrangler.toml'), 'utf8')
    .replace('main = "src/index.ts"', `main = "${path.join(root, 'src/index.ts')}"`)
    .replace('migrations_dir = "schema"', `migrations_dir = "${schema}"`)
    .replace(/^TOUCH_SHARDS = .*$/m, `TOUCH_SHARDS = "${shards}"`)
    .replace(/^\[triggers\]/m, `${blocks.join('')}[triggers]`);
  const file = path.join(dir, `wrangler.${shards}-shards.toml`);
  writeFileSync(file, text);
  return { file, bindings: ['DB', ...bindings] };
}

/** A port nobody listens on right now (the machine may be shared). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `wrangler dev` and resolves once GET /healthz answers {"status":"ok", …expect}. `onLine`: receives each line
 * wrangler prints (colours removed), e.g. with `logLevel: 'info'` the local queue's "QUEUE <name> 100/100 (35ms)".
 */
export async function startWorker({ port, config = 'wrangler.toml', persistTo, vars = {}, expect = {}, logLevel = 'warn', onLine, args: extra = [] }) {
  const args = [
    'wrangler',
    'dev',
    '--config',
    config,
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--log-level',
    logLevel,
  ];
  if (persistTo) args.push('--persist-to', persistTo);
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  args.push(...extra);
  const child = spawn('npx', args, { env, stdio: ['ignore', onLine ? 'pipe' : 'ignore', onLine ? 'pipe' : 'inherit'], detached: true });
  if (onLine) {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => onLine(stripVTControlCharacters(line)));
    }
  }
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev (${config}) exited`);
    try {
      const response = await fetch(`${base}/healthz`);
      const body = response.ok ? await response.json() : {};
      const matches = body.status === 'ok' && Object.entries(expect).every(([key, value]) => body[key] === value);
      if (matches) return { base, child, stop: () => stopProcess(child) };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stopProcess(child);
  throw new Error(`wrangler dev (${config}) did not answer on ${base}`);
}

function stopProcess(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
}

/** Runs autocannon and returns its result. */
export function load(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 50, duration: 10, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export const api = (base) => async (method, route, body) => {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Our wrangler config with the touch queue (and its dead-letter queue) unbound, as a deployment without queues runs
 * (absolute paths: it lives in a temp dir). wrangler.toml itself binds TOUCH_QUEUE.
 */
export function noQueueConfig(dir) {
  const text = readFileSync(path.join(root, 'wrangler.toml'), 'utf8')
    .replace('main = "src/index.ts"', `main = "${path.join(root, 'src/index.ts')}"`)
    .replace('migrations_dir = "schema"', `migrations_dir = "${path.join(root, 'schema')}"`)
    .replace(/^\[\[queues\.(producers|consumers)\]\]\n(?:\w+ = .*\n)*/gm, '');
  if (/^\[\[queues/m.test(text)) throw new Error('noQueueConfig: a queue binding is left');
  const file = path.join(dir, 'wrangler.no-queue.toml');
  writeFileSync(file, text);
  return file;
}

/** The workerd process a `wrangler dev` child runs (found by parent links in /proc), or undefined. */
export function workerdOf(child) {
  const parents = new Map();
  const names = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {}
  }
  const descends = (pid) => {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) if (p === child.pid) return true;
    return false;
  };
  return [...names].find(([pid, name]) => name === 'workerd' && descends(pid))?.[0];
}

/** CPU milliseconds (user + system, all threads) a process has used so far. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/pid/stat, in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
