#!/usr/bin/env node
// `npm start`: secrets in .dev.vars, migrations on the local D1, the Worker on
// http://localhost:$PORT (default 8787), demo data when the database is empty (scripts/seed.mjs),
// and a short summary: URL, admin key, what was migrated and seeded. wrangler's own output is
// kept to errors (`--log-level error`: the Worker's console.error and uncaught exceptions still
// show); WRANGLER_LOG=info npm start shows all of it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { applyMigrations, describeSeed, seedIfEmpty } from './seed.mjs';
import { addDemoExtras } from './demo-extras.mjs';

const port = Number(process.env.PORT ?? 8787);
const persistArgs = process.env.TP_PERSIST_DIR ? ['--persist-to', process.env.TP_PERSIST_DIR] : [];
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

function ensureSecrets() {
  const text = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : '';
  const vars = Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const at = line.indexOf('=');
        return [
          line.slice(0, at).trim(),
          line
            .slice(at + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        ];
      }),
  );
  let added = '';
  if (!vars.ADMIN_TOKEN) {
    vars.ADMIN_TOKEN = `tp_admin_${randomBytes(24).toString('base64url')}`;
    added += `ADMIN_TOKEN="${vars.ADMIN_TOKEN}"\n`;
  }
  if (!vars.HASH_SECRET) {
    vars.HASH_SECRET = randomBytes(32).toString('base64url');
    added += `HASH_SECRET="${vars.HASH_SECRET}"\n`;
  }
  if (added) writeFileSync('.dev.vars', (text && !text.endsWith('\n') ? `${text}\n` : text) + added);
  return vars;
}

async function waitForWorker(base, child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error('wrangler dev exited');
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok && (await response.json()).status === 'ok') return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the Worker did not answer on ${base}`);
}

const vars = ensureSecrets();
const persistTo = process.env.TP_PERSIST_DIR;
let migrated, seeded;
try {
  migrated = applyMigrations(persistTo);
  seeded = await seedIfEmpty({ persistTo, touches: Number(process.env.TP_DEMO_TOUCHES ?? 5000), log: () => {} });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const logLevel = process.env.WRANGLER_LOG ? [] : ['--log-level', 'error'];
// Under wrangler dev a client can send its own CF-Connecting-IP: the limiters ignore it here (one shared client).
// Its own process group, so that Ctrl-C reaches only us: the Worker must flush before wrangler stops.
const child = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--var',
    'TRUST_CLIENT_IP_HEADER:false',
    // Webhook endpoints on this machine (http://localhost:…) may be tried out; deploys keep refusing them.
    '--var',
    'WEBHOOK_ALLOW_LOOPBACK:true',
    ...logLevel,
    ...persistArgs,
  ],
  {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  },
);
const stopWrangler = () => {
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch {}
};

// Graceful stop: the Worker refuses new visits (503, Retry-After) and writes every touch it holds, then wrangler stops.
// A second signal stops at once.
let stopping = false;
async function stop() {
  if (stopping) return stopWrangler();
  stopping = true;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/maintenance/flush?stopping=true&timeout_seconds=30`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vars.ADMIN_TOKEN}` },
      signal: AbortSignal.timeout(35_000),
    });
    const body = await response.json();
    if (response.ok) console.log(`Stopping: ${body.touches.written} touches and ${body.code_entries.written} code entries written, nothing pending.`);
    else console.error(`Stopping: ${body.error?.message ?? response.status}`);
  } catch (error) {
    console.error(`Stopping: could not flush the Worker (${error.message})`);
  }
  stopWrangler();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));

const base = `http://localhost:${port}`;
try {
  await waitForWorker(`http://127.0.0.1:${port}`, child);
  const extras = seeded
    ? await addDemoExtras(`http://127.0.0.1:${port}`, vars.ADMIN_TOKEN).catch((error) => (console.error(`Demo extras: ${error.message}`), null))
    : null;
  console.log(`
  Touchpoint is running on ${base}
  Admin key:  ${vars.ADMIN_TOKEN}
  Migrations: ${migrated.length === 0 ? 'up to date' : `applied ${migrated.length} (${migrated[0]} … ${migrated[migrated.length - 1]})`}
  Demo data:  ${seeded ? `seeded ${describeSeed(seeded)}` : 'kept what the database holds (npm run seed -- --touches N adds more)'}${
    extras
      ? `\n              plus ${extras.codes} pack codes (${extras.redeemed} entered), a promo code on ${extras.promoOrders} orders, ${extras.referralVisits} tell-a-friend visits (${extras.friendOrders} friends ordered)` +
        `\n              and the Bean Club bonus program: ${extras.events} member events, ${extras.redemptions} rewards redeemed, a prize draw open`
      : ''
  }
  Try:        curl -H "Authorization: Bearer ${vars.ADMIN_TOKEN}" ${base}/api/v1/campaigns
  API docs:   ${base}/api/docs
  Stop:       Ctrl-C
`);
} catch (error) {
  console.error(String(error));
  stopWrangler();
}
