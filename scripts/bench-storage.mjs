#!/usr/bin/env node
// `npm run bench:storage`: what a touch costs in D1, measured. Seeds a fresh local D1 in a temp dir with
// scripts/seed.mjs (default 1,000,000 touches over 30 days, ~5 % converting, ending 2026-11-22), then sums
// the pages of every table and index with SQLite's dbstat (node:sqlite, on a checkpointed copy of the file;
// `wrangler d1 execute --local` answers "no such table: dbstat")
// and prints bytes per touch: (a) everything D1 holds as seeded, and (b) the projected steady state in which
// only the hot window's raw touches stay in D1 (older ones archived to R2), computed from the measured bytes.
//   npm run bench:storage -- [--touches 1000000] [--days 30] [--hot-days 37] [--horizon-days 365] [--keep]
//   npm run bench:storage -- --measure DIR     measures an existing --persist-to DIR instead of seeding
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from './bench/lib.mjs';
import { applyMigrations, seed } from './seed.mjs';

const END = Date.parse('2026-11-22T00:00:00Z');

/**
 * What each table is, for the per-touch figure. The issue counts a touch, its indexes, its rollups and sketches,
 * and its share of conversions and credits; other raw events (email opens, orphan visits, code entries) and the
 * fixed schema are listed but are not a touch's cost.
 */
const GROUPS = {
  'raw touches': ['touches'],
  'touch rollups and sketches': [
    'touch_daily',
    'touch_hourly',
    'touch_facet_daily',
    'visitor_daily',
    'visitor_days',
    'touch_cells',
    'origin_days',
    'visitor_sketch',
    'visitor_sketch_stale',
    'referral_visits',
  ],
  'conversions and credits': [
    'conversions',
    'conversion_visitors',
    'identity_links',
    'conversion_credits',
    'conversion_paths',
    'attribution_models',
    'credit_daily',
    'credit_hourly',
    'credit_origin_daily',
    'pending_attributions',
    'credit_parts',
    'credit_days',
    'credit_archive_moving',
  ],
  'other raw events (not touches)': ['email_opens', 'orphan_visits', 'code_entries'],
};
/** The main database's tables by what the credit archive (schema/0029) does with them. */
const MAIN = {
  'credits (hot window only, then R2)': ['conversion_paths'],
  'conversions, their visitors, identity links (kept)': ['conversions', 'conversion_visitors', 'identity_links'],
  'credit rollups (kept; rows per day and cell)': ['credit_daily', 'credit_hourly', 'credit_origin_daily'],
};
/** Conversions per credit part (CREDIT_PART_CONVERSIONS in src/domain/credit-archive.ts). */
const CREDIT_PART_CONVERSIONS = 1000;

/** Bytes the credit archive writes to R2: gzip NDJSON of every credit row, in parts of whole conversions. */
function creditArchiveBytes(db) {
  let bytes = 0;
  let part = [];
  let conversions = 0;
  let last = null;
  const flush = () => {
    if (part.length > 0) bytes += gzipSync(part.join('')).byteLength;
    part = [];
    conversions = 0;
  };
  for (const row of db.prepare(`SELECT * FROM conversion_paths ORDER BY conversion_id, position`).iterate()) {
    if (row.conversion_id !== last) {
      if (conversions === CREDIT_PART_CONVERSIONS) flush();
      conversions += 1;
      last = row.conversion_id;
    }
    // Every column in the table's order, as the cron writes them (PATH_COLUMNS in src/db/conversions.ts).
    part.push(`${JSON.stringify(row)}\n`);
  }
  flush();
  return bytes;
}

/**
 * Bytes archived_first_touches (schema/0029) holds once every credit is archived: the first-touch credit of each
 * customer's first conversion, written into the measured copy (the seed archives nothing).
 */
function firstTouchBytes(db) {
  // As schema/0029 creates it (a database seeded before that migration lacks it).
  db.exec(`CREATE TABLE IF NOT EXISTS archived_first_touches (conversion_id TEXT PRIMARY KEY, channel TEXT NOT NULL, campaign_id TEXT) WITHOUT ROWID;
    DELETE FROM archived_first_touches;
    INSERT INTO archived_first_touches (conversion_id, channel, campaign_id)
    SELECT p.conversion_id, p.channel, p.campaign_id FROM conversion_paths p JOIN conversions c ON c.id = p.conversion_id
    WHERE p.w_first_touch > 0 AND c.customer_hash IS NOT NULL
      AND c.id = (SELECT f.id FROM conversions f WHERE f.customer_hash = c.customer_hash ORDER BY f.occurred_at, f.id LIMIT 1)
    GROUP BY p.conversion_id`);
  return Number(db.prepare("SELECT coalesce(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name = 'archived_first_touches'").get().bytes);
}

const groupOf = (table) => Object.keys(GROUPS).find((group) => GROUPS[group].includes(table)) ?? 'fixed (schema, empty tables)';
const PER_TOUCH = ['raw touches', 'touch rollups and sketches', 'conversions and credits'];

function parseArgs(argv) {
  const args = { touches: 1_000_000, days: 30, hotDays: 37, horizonDays: 365, keep: false, measure: null };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].replace(/^--/, '').split('=');
    if (key === 'keep') {
      args.keep = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (key === 'touches') args.touches = Number(value);
    else if (key === 'days') args.days = Number(value);
    else if (key === 'hot-days') args.hotDays = Number(value);
    else if (key === 'horizon-days') args.horizonDays = Number(value);
    else if (key === 'measure') args.measure = value;
    else throw new Error(`unknown option --${key}`);
  }
  for (const key of ['touches', 'days', 'hotDays', 'horizonDays']) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive integer`);
  }
  return args;
}

/** The local D1 file of a --persist-to directory. */
function d1File(persistTo) {
  const dir = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]);
}

/** Pages and bytes of every table and index (dbstat), on a checkpointed copy so the persisted files stay untouched. */
async function measure(file) {
  let DatabaseSync;
  try {
    ({ DatabaseSync } = await import('node:sqlite'));
  } catch {
    throw new Error(`node:sqlite is missing in Node ${process.versions.node}: run this through npm (npm run bench:storage), which uses the project's Node 22`);
  }
  const dir = tempDir('storage-measure');
  try {
    const copy = path.join(dir, 'd1.sqlite');
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
    const db = new DatabaseSync(copy);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const objects = db
      .prepare(
        `SELECT s.name, coalesce(m.tbl_name, s.name) AS tbl, m.type, COUNT(*) AS pages, SUM(s.pgsize) AS bytes
         FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name`,
      )
      .all();
    const count = (sql) => Number(Object.values(db.prepare(sql).get())[0]);
    const stats = {
      touches: count('SELECT COUNT(*) FROM touches'),
      bots: count('SELECT COUNT(*) FROM touches WHERE is_bot = 1'),
      days: count('SELECT COUNT(DISTINCT substr(occurred_at, 1, 10)) FROM touches'),
      conversions: count('SELECT COUNT(*) FROM conversions'),
      credits: count('SELECT COUNT(*) FROM conversion_credits'),
      candidates: count("SELECT COUNT(*) FROM conversion_credits WHERE model = 'linear'"),
      emailOpens: count('SELECT COUNT(*) FROM email_opens'),
      pageSize: count('PRAGMA page_size'),
      pages: count('PRAGMA page_count'),
      freePages: count('PRAGMA freelist_count'),
      creditArchiveBytes: creditArchiveBytes(db),
      firstTouchBytes: firstTouchBytes(db),
    };
    db.close();
    return { objects, stats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function report({ objects, stats }, args) {
  const perTouch = (bytes) => bytes / stats.touches;
  const tables = new Map();
  for (const object of objects) {
    const entry = tables.get(object.tbl) ?? { name: object.tbl, group: groupOf(object.tbl), pages: 0, bytes: 0, parts: [] };
    entry.pages += object.pages;
    entry.bytes += object.bytes;
    entry.parts.push(object);
    tables.set(object.tbl, entry);
  }
  const groups = new Map();
  for (const table of tables.values()) groups.set(table.group, (groups.get(table.group) ?? 0) + table.bytes);
  const total = stats.pages * stats.pageSize;

  console.log(
    `\nSeed: ${fmt(stats.touches)} touches (${fmt(stats.bots)} bots) over ${stats.days} days, ${fmt(stats.conversions)} conversions ` +
      `(${fmt(stats.candidates / Math.max(1, stats.conversions), 2)} candidate touches each, ${fmt(stats.credits)} credits under 5 models), ` +
      `${fmt(stats.emailOpens)} email opens; page size ${stats.pageSize} B.\n`,
  );
  const line = (name, pages, bytes) => `${name.padEnd(44)}${fmt(pages).padStart(9)}${fmt(bytes).padStart(15)}${fmt(perTouch(bytes), 1).padStart(11)}`;
  console.log(`${'table / index'.padEnd(44)}${'pages'.padStart(9)}${'bytes'.padStart(15)}${'B/touch'.padStart(11)}`);
  for (const group of [...PER_TOUCH, 'other raw events (not touches)', 'fixed (schema, empty tables)']) {
    const members = [...tables.values()].filter((table) => table.group === group).sort((a, b) => b.bytes - a.bytes);
    if (members.length === 0) continue;
    console.log(`-- ${group}: ${fmt(perTouch(groups.get(group)), 1)} B/touch`);
    for (const table of members) {
      if (group === 'fixed (schema, empty tables)') continue;
      if (table.parts.length === 1) {
        console.log(line(table.name, table.pages, table.bytes));
        continue;
      }
      console.log(line(`${table.name} (with its indexes)`, table.pages, table.bytes));
      for (const part of table.parts.sort((a, b) => b.bytes - a.bytes)) {
        console.log(line(part.name === table.name ? '  rows' : `  index ${part.name}`, part.pages, part.bytes));
      }
    }
    if (group === 'fixed (schema, empty tables)') {
      const pages = members.reduce((sum, table) => sum + table.pages, 0);
      console.log(line(`${members.length} tables`, pages, groups.get(group)));
    }
  }
  // Pages a migration or a delete freed: part of the file until later writes reuse them (none after a fresh seed).
  if (stats.freePages > 0) console.log(line('free pages (reused by later writes)', stats.freePages, stats.freePages * stats.pageSize));

  const perConversion = (bytes) => bytes / Math.max(1, stats.conversions);
  const touchesPerDay = stats.touches / stats.days;
  console.log(`\nMain database per conversion (${fmt(stats.conversions)} conversions, ${fmt(touchesPerDay)} touches a day):`);
  const mainBytes = {};
  for (const [name, members] of Object.entries(MAIN)) {
    mainBytes[name] = members.reduce((sum, table) => sum + (tables.get(table)?.bytes ?? 0), 0);
    const perDay = name.startsWith('credit rollups') ? ` = ${fmt(mainBytes[name] / stats.days)} B a day` : '';
    console.log(`    ${name.padEnd(52)}${fmt(perConversion(mainBytes[name]), 1).padStart(9)} B/conversion${perDay}`);
    for (const table of members) {
      for (const part of (tables.get(table)?.parts ?? []).sort((a, b) => b.bytes - a.bytes)) {
        console.log(`      ${(part.name === table ? table : `index ${part.name}`).padEnd(50)}${fmt(perConversion(part.bytes), 1).padStart(9)}`);
      }
    }
  }
  console.log(
    `    ${'kept for the all-time readers once archived (archived_first_touches)'.padEnd(52)}${fmt(perConversion(stats.firstTouchBytes), 1).padStart(9)} B/conversion`,
  );
  console.log(
    `    R2, archived credits (gzip NDJSON, ${CREDIT_PART_CONVERSIONS} conversions a part)${fmt(perConversion(stats.creditArchiveBytes), 1).padStart(12)} B/conversion`,
  );

  const raw = groups.get('raw touches') ?? 0;
  const credits = mainBytes['credits (hot window only, then R2)'];
  const kept = (groups.get('touch rollups and sketches') ?? 0) + (groups.get('conversions and credits') ?? 0) - credits;
  const other = total - raw - credits - kept;
  const share = Math.min(1, args.hotDays / args.horizonDays);
  console.log(`\n(a) as seeded, everything in D1 (${fmt(total)} B):                 ${fmt(perTouch(total), 1)} B/touch`);
  console.log(`    a touch's own cost (touch + indexes, rollups, sketches, credits): ${fmt(perTouch(raw + credits + kept), 1)} B/touch`);
  console.log(
    `    of which raw touches ${fmt(perTouch(raw), 1)}, credits ${fmt(perTouch(credits), 1)}, rollups + conversions ${fmt(perTouch(kept), 1)}, other ${fmt(perTouch(other), 1)}`,
  );
  console.log(
    `(b) projected steady state, raw touches and credits only for the hot window (${args.hotDays} of every ${args.horizonDays} days stay in D1, ` +
      `the rest archived to R2; rollups, sketches and conversions kept for all days):`,
  );
  console.log(
    `    (${fmt(perTouch(raw), 1)} + ${fmt(perTouch(credits), 1)}) × ${fmt(share, 3)} + ${fmt(perTouch(kept), 1)} = ${fmt((perTouch(raw) + perTouch(credits)) * share + perTouch(kept), 1)} B/touch` +
      ` (floor as history grows: ${fmt(perTouch(kept), 1)}); other raw events and the fixed schema not included`,
  );
}

try {
  const args = parseArgs(process.argv.slice(2));
  let persistTo = args.measure;
  if (!persistTo) {
    persistTo = tempDir('storage');
    console.log(`seeding ${fmt(args.touches)} touches over ${args.days} days into ${persistTo} …`);
    applyMigrations(persistTo);
    await seed({ touches: args.touches, days: args.days, end: END, persistTo });
  }
  try {
    report(await measure(d1File(persistTo)), args);
  } finally {
    if (!args.measure && !args.keep) rmSync(persistTo, { recursive: true, force: true });
    else if (args.keep) console.log(`\nkept ${persistTo}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
