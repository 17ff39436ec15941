/** Test helpers: call the Worker's fetch with a real execution context and wait for its background work. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createApp } from '../src/app';
import type { Bindings } from '../src/env';

export const ADMIN = 'test-admin-token';
export const BASE = 'https://tp.test';

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  /** A body sent as is (text or bytes). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  env?: Partial<Bindings>;
  now?: () => number;
  /** Another origin than BASE, e.g. a branded domain's `https://go.brand.test`. */
  base?: string;
}

/** Sends one request through the app and waits for everything it scheduled with waitUntil. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  const key = options.key === undefined ? ADMIN : options.key;
  if (key) headers.set('Authorization', `Bearer ${key}`);
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const request = new Request(`${options.base ?? BASE}${path}`, { method, headers, body, redirect: 'manual' });
  const ctx = createExecutionContext();
  const app = options.now ? createApp({ now: options.now }) : defaultApp;
  const response = await app.fetch(request, { ...(env as Bindings), ...options.env }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const defaultApp = createApp();

/** JSON of a response, typed loosely for assertions. */
export const json = async <T = any>(response: Response): Promise<T> => (await response.json()) as T;

/** Creates a campaign through the API and returns its JSON. */
export async function makeCampaign(fields: Record<string, unknown> = {}): Promise<any> {
  const response = await call('POST', '/api/v1/campaigns', { body: { name: 'Spring Sale', ...fields } });
  if (response.status !== 201) throw new Error(`campaign: ${response.status} ${await response.text()}`);
  return json(response);
}

/** Creates a link through the API and returns its JSON. */
export async function makeLink(fields: Record<string, unknown> = {}): Promise<any> {
  const campaignId = fields.campaign_id ?? (await makeCampaign()).id;
  const response = await call('POST', '/api/v1/links', { body: { destination: 'https://shop.example/spring', ...fields, campaign_id: campaignId } });
  if (response.status !== 201) throw new Error(`link: ${response.status} ${await response.text()}`);
  return json(response);
}

/** Mints a key with the given scopes and returns its secret. */
export async function makeKey(scopes: string[]): Promise<string> {
  const response = await call('POST', '/api/v1/keys', { body: { name: `key ${scopes.join(',')}`, scopes } });
  return (await json(response)).key;
}

export const MOBILE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Every column of every table (migrations' bookkeeping aside) that holds `value`:
 * equal to it, or with `contains` anywhere in it, case-insensitively. `[]` when none does.
 */
export async function columnsHolding(value: string, mode: 'equals' | 'contains' = 'equals'): Promise<Array<{ table: string; column: string; rows: number }>> {
  const found: Array<{ table: string; column: string; rows: number }> = [];
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string }>();
  for (const { name } of tables.results) {
    const columns = (await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(name).all<{ name: string }>()).results.map((c) => c.name);
    const test = (column: string) => (mode === 'equals' ? `"${column}" = ?1` : `instr(lower(CAST("${column}" AS TEXT)), lower(?1)) > 0`);
    // One query per table: a count per column.
    const counts = await env.DB.prepare(`SELECT ${columns.map((column, i) => `COALESCE(SUM(${test(column)}), 0) AS c${i}`).join(', ')} FROM "${name}"`)
      .bind(value)
      .first<Record<string, number>>();
    columns.forEach((column, i) => {
      if (counts![`c${i}`] > 0) found.push({ table: name, column, rows: counts![`c${i}`] });
    });
  }
  return found;
}
