#!/usr/bin/env node
// Seeds the local D1 with a realistic dataset (see seed-data.mjs):
//   npm run seed -- --touches 100000 [--days 30] [--persist-to DIR] [--end 2026-11-22T00:00:00Z]
// On a database that already holds the demo (say after `npm start`, even while it runs) it adds
// to it: the demo campaigns and links are reused, and the new touches come from new visitors
// and customers with order ids of their own, so nothing collides with what is stored.
// Rows are written as SQL files and run with `wrangler d1 execute DB --local --file …`;
// the rollup tables fill themselves through the triggers of schema/0003_conversions.sql,
// exactly as they do for live traffic. `seedIfEmpty` is what `npm start` uses for demo data.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generate } from './seed-data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wranglerEnv = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
const TABLES = ['campaigns', 'links', 'touches', 'email_opens', 'conversions', 'conversion_visitors', 'identity_links', 'conversion_paths', 'exchange_rates'];
/** Tables a later seed run may hit rows of again (a rate of a day already stored): the stored row is kept. */
const OR_IGNORE = new Set(['exchange_rates']);
const STATEMENT_BYTES = 90_000;
const FILE_BYTES = 40_000_000;

/** One of the Worker's own domain modules (src/domain/<name>.ts), bundled for Node. */
export async function loadDomainModule(name) {
  const result = await build({ entryPoints: [path.join(root, `src/domain/${name}.ts`)], bundle: true, format: 'esm', write: false, platform: 'neutral' });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
  return import(url);
}

function wrangler(args, persistTo, options = {}) {
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  const result = spawnSync('npx', ['wrangler', ...args, '--local', ...persist], {
    cwd: root,
    env: wranglerEnv,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...options,
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * Applies the migrations in schema/ to the local D1, quietly; answers the names
 * of the migrations it applied ([] when the database was up to date).
 */
export function applyMigrations(persistTo) {
  const out = wrangler(['d1', 'migrations', 'apply', 'DB'], persistTo, { input: 'y\n' });
  const applied = new Set();
  for (const match of out.matchAll(/│\s*(\S+\.sql)\s*│\s*✅/g)) applied.add(match[1]);
  return [...applied];
}

/** Runs one read-only SQL text (several statements allowed) on the local D1; one result array per statement. */
function query(sql, persistTo) {
  return JSON.parse(wrangler(['d1', 'execute', 'DB', '--json', '--command', sql], persistTo)).map((part) => part.results);
}

/**
 * What the local database holds of the demo: its active campaigns and links,
 * and which seed run comes next (0: nothing seeded yet).
 */
export function storedDemo(persistTo) {
  const [campaigns, links, [runs]] = query(
    `SELECT id, name, utm_campaign FROM campaigns WHERE status = 'active' ORDER BY id;
     SELECT id, campaign_id, slug, kind, channel FROM links WHERE status = 'active' ORDER BY id;
     SELECT EXISTS (SELECT 1 FROM touches WHERE visitor_id GLOB 'v_SEED*') AS first,
            (SELECT MAX(CAST(substr(visitor_id, 4, 3) AS INTEGER)) FROM touches WHERE visitor_id GLOB 'v_S[0-9][0-9][0-9]*') AS last`,
    persistTo,
  );
  const run = runs.last !== null ? runs.last + 1 : runs.first ? 1 : 0;
  return { existing: { campaigns, links }, run };
}

const literal = (value) =>
  value === null || value === undefined ? 'NULL' : typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;

/** Multi-row INSERT statements for `rows`, each under STATEMENT_BYTES. */
function* insertStatements(table, rows) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const head = `INSERT${OR_IGNORE.has(table) ? ' OR IGNORE' : ''} INTO ${table} (${columns.join(', ')}) VALUES\n`;
  let values = [];
  let size = head.length;
  for (const row of rows) {
    const tuple = `(${columns.map((c) => literal(row[c])).join(', ')})`;
    if (size + tuple.length > STATEMENT_BYTES && values.length > 0) {
      yield `${head}${values.join(',\n')};\n`;
      values = [];
      size = head.length;
    }
    values.push(tuple);
    size += tuple.length + 2;
  }
  yield `${head}${values.join(',\n')};\n`;
}

/** Writes the dataset as SQL files of about FILE_BYTES each and executes them in order. */
export function writeDataset(data, persistTo, log = console.log) {
  const dir = path.join(tmpdir(), `touchpoint-seed-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  try {
    let file = 0;
    let chunk = [];
    let size = 0;
    const flush = () => {
      if (chunk.length === 0) return;
      const name = path.join(dir, `seed-${String(file++).padStart(4, '0')}.sql`);
      writeFileSync(name, chunk.join(''));
      const started = Date.now();
      wrangler(['d1', 'execute', 'DB', '--yes', '--file', name], persistTo);
      log(`  ${path.basename(name)}: ${(size / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      chunk = [];
      size = 0;
    };
    for (const table of TABLES) {
      for (const statement of insertStatements(table, data[table])) {
        chunk.push(statement);
        size += statement.length;
        if (size >= FILE_BYTES) flush();
      }
    }
    flush();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** HASH_SECRET (or ADMIN_TOKEN) from .dev.vars, so seeded customers stitch with live conversions. */
export function devHashSecret() {
  const file = path.join(root, '.dev.vars');
  if (!existsSync(file)) return 'seed';
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [
        l.slice(0, l.indexOf('=')).trim(),
        l
          .slice(l.indexOf('=') + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      ]),
  );
  return vars.HASH_SECRET || vars.ADMIN_TOKEN || 'seed';
}

/**
 * Generates and stores `touches` touches (plus campaigns, links, conversions, credits).
 * With `existing` (from storedDemo) and `run` > 0 it adds to the stored demo.
 */
export async function seed({
  touches,
  days = 30,
  end = Date.now(),
  persistTo,
  hashSecret = devHashSecret(),
  lookbackDays = 30,
  log = console.log,
  existing = null,
  run = 0,
}) {
  const started = Date.now();
  const [attribution, sketch] = await Promise.all([loadDomainModule('attribution'), loadDomainModule('visitor-sketch')]);
  const data = generate({ touches, days, end, hashSecret, lookbackDays, attribution, sketch, existing, run, seed: 42 + run * 7919 });
  log(
    `generated ${data.touches.length} touches, ${data.conversions.length} conversions, ${data.conversion_paths.length} credit rows (one per candidate touch) in ${Date.now() - started} ms`,
  );
  writeDataset(data, persistTo, log);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...data, days, end };
}

const count = (n) => n.toLocaleString('en-US');

/** One line saying what a seed run stored. */
export function describeSeed(data) {
  const sales = data.conversions.filter((c) => c.type === 'sale').length;
  const visitors = new Set(data.touches.filter((t) => !t.is_bot).map((t) => t.visitor_id)).size;
  const bots = data.touches.filter((t) => t.is_bot).length;
  const from = new Date(data.end - data.days * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(data.end).toISOString().slice(0, 10);
  const where = [
    data.reused.campaigns ? `${data.reused.campaigns} existing campaigns` : null,
    data.campaigns.length ? `${data.campaigns.length} new campaigns` : null,
    data.reused.links ? `${data.reused.links} existing links` : null,
    data.links.length ? `${data.links.length} new links` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${count(data.touches.length)} touches (${count(bots)} bots, ${count(visitors)} visitors) and ${count(data.conversions.length)} conversions (${count(sales)} sales) from ${from} to ${to}, on ${where}`;
}

/**
 * Seeds a small demo dataset when the local database has no campaign yet; the stored data, or null when it had one.
 * It spans 60 days, so that the overview's default 30 days have a previous period to compare with.
 */
export async function seedIfEmpty({ persistTo, touches = 5000, log = console.log } = {}) {
  const [[{ n }]] = query('SELECT COUNT(*) AS n FROM campaigns', persistTo);
  if (n > 0) return null;
  return seed({ touches, days: 60, persistTo, log });
}

function parseArgs(argv) {
  const args = { touches: 10_000, days: 30 };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].replace(/^--/, '').split('=');
    const value = inline ?? argv[++i];
    if (key === 'touches') args.touches = Number(value);
    else if (key === 'days') args.days = Number(value);
    else if (key === 'persist-to') args.persistTo = value;
    else if (key === 'end') args.end = Date.parse(value);
    else throw new Error(`unknown option --${key}`);
  }
  if (!Number.isInteger(args.touches) || args.touches < 1) throw new Error('--touches must be a positive integer');
  return args;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const migrated = applyMigrations(args.persistTo);
    if (migrated.length > 0) console.log(`migrated: ${migrated.join(', ')}`);
    const demo = storedDemo(args.persistTo);
    const data = await seed({ ...args, ...demo });
    console.log(`${demo.run === 0 ? 'Seeded' : 'Added to the demo'}: ${describeSeed(data)}.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
