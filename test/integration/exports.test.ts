/**
 * Raw exports: 100,000 touches streamed as NDJSON and as CSV with the exact
 * count and the exact first and last rows, read chunk by chunk with the D1
 * reads counted (one bounded page per read, none ahead of the reader); keyset
 * pages that never skip or repeat rows sharing a timestamp; conversions with
 * their refunds; the range's edges; and bad input.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { CONVERSION_EXPORT_COLUMNS, TOUCH_EXPORT_COLUMNS } from '../../src/db/exports';
import { readCsv } from '../../src/lib/csv';
import { EXPORT_PAGE_ROWS, exportResponse } from '../../src/services/exports';
import { call, json } from '../helpers';
import { countingDb } from '../support/counting-db';

const TOUCHES = 100_000;
const BASE = Date.parse('2026-05-01T00:00:00Z');
const UA = 'Mozilla/5.0 (Linux; "Pixel", 8)';

/**
 * Generated touch i (0 ≤ i < TOUCHES - 1): three touches share each timestamp
 * (30 s apart), their ids descending with i so that the id, not the insertion
 * order, breaks the tie. The last touch is written apart, at the last
 * millisecond of the range.
 */
const generatedAt = (i: number) => new Date(BASE + Math.floor(i / 3) * 30_000).toISOString();
const touchId = (i: number) => `t${String(TOUCHES - i).padStart(6, '0')}`;
const expectedTouch = (i: number) => ({
  id: touchId(i),
  occurred_at: generatedAt(i),
  type: ['click', 'scan', 'code_entry', 'promo_redemption'][i % 4],
  campaign_id: null,
  link_id: null,
  channel: 'offline',
  visitor_id: `v${i % 1000}`,
  visitor_kind: 'cookie',
  device_class: 'mobile',
  os: 'Android',
  browser: null,
  is_bot: i % 10 === 0,
  bot_reason: i % 10 === 0 ? 'user_agent' : null,
  user_agent: UA,
  country: 'DE',
  region: null,
  city: null,
  referrer_host: null,
  utm_source: '=cmd',
  utm_medium: 'qr',
  utm_campaign: null,
  rid_hash: null,
  referrer_hash: null,
  rule: null,
  variant: null,
  after_cap: false,
});

/** 99,999 touches in one recursive INSERT … SELECT, plus the range's last one and two just outside it. */
async function seedTouches(): Promise<void> {
  const count = TOUCHES - 1;
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
       INSERT INTO touches (id, type, occurred_at, channel, visitor_id, visitor_kind, device_class, os, is_bot, bot_reason, user_agent, country, utm_source, utm_medium)
       SELECT printf('t%06d', ?2 - i),
              CASE i % 4 WHEN 0 THEN 'click' WHEN 1 THEN 'scan' WHEN 2 THEN 'code_entry' ELSE 'promo_redemption' END,
              strftime('%Y-%m-%dT%H:%M:%fZ', ?3 + (i / 3) * 30, 'unixepoch'),
              'offline', 'v' || (i % 1000), 'cookie', 'mobile', 'Android',
              i % 10 = 0, CASE WHEN i % 10 = 0 THEN 'user_agent' END, ?4, 'DE', '=cmd', 'qr'
       FROM n`,
    ).bind(count, TOUCHES, BASE / 1000, UA),
    env.DB.prepare(
      `INSERT INTO touches (id, type, occurred_at, channel, device_class, is_bot)
       VALUES ('t000000', 'click', '2026-05-31T23:59:59.999Z', 'email', 'desktop', 0),
              ('before', 'click', '2026-04-30T23:59:59.999Z', 'email', 'desktop', 0),
              ('after', 'click', '2026-06-01T00:00:00.000Z', 'email', 'desktop', 0)`,
    ),
  ]);
}

const LAST_TOUCH = {
  ...Object.fromEntries(Object.keys(expectedTouch(0)).map((key) => [key, null])),
  id: 't000000',
  occurred_at: '2026-05-31T23:59:59.999Z',
  type: 'click',
  channel: 'email',
  device_class: 'desktop',
  is_bot: false,
  after_cap: false,
};

/** Reads a body chunk by chunk, checking after each that D1 was read at most once ahead of what the reader took. */
async function readChunks(response: Response, reads: () => number): Promise<{ chunks: string[]; readsBeforeBody: number }> {
  const readsBeforeBody = reads();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(decoder.decode(value));
    // The head (CSV header) costs no read; every page after it exactly one, plus at most one page pulled ahead.
    expect(reads() - readsBeforeBody).toBeLessThanOrEqual(chunks.length + 1);
  }
  return { chunks, readsBeforeBody };
}

const lines = (chunk: string, terminator: string) => chunk.split(terminator).slice(0, -1);
/** A body as text (Response.text() warns on a type that does not say text/). */
const textOf = async (response: Response) => new TextDecoder().decode(await response.arrayBuffer());

describe('GET /api/v1/exports/touches with 100,000 touches', () => {
  it('streams them as NDJSON and as CSV, one bounded page per D1 read, in (occurred_at, id) order', async () => {
    await seedTouches();
    const pages = Math.floor(TOUCHES / EXPORT_PAGE_ROWS) + 1; // the last read finds the end

    const counted = countingDb();
    const ndjson = await call('GET', '/api/v1/exports/touches?from=2026-05-01&to=2026-05-31', { env: { DB: counted.DB } });
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get('Content-Type')).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.headers.get('Content-Disposition')).toBe('attachment; filename="touches-2026-05-01-2026-06-01.ndjson"');
    expect(ndjson.headers.get('Cache-Control')).toBe('no-store');
    const read = await readChunks(ndjson, counted.statements);
    // The whole request's D1 use (the admin token needs none): one read per page and one listing of the range's archived
    // parts (src/services/archive-reads.ts; none here), at most two made before the client reads.
    expect(read.readsBeforeBody).toBeLessThanOrEqual(2);
    expect(counted.statements()).toBe(pages + 1);
    const rowsPerChunk = read.chunks.map((chunk) => lines(chunk, '\n').length);
    expect(Math.max(...rowsPerChunk)).toBe(EXPORT_PAGE_ROWS);
    expect(rowsPerChunk.reduce((a, b) => a + b, 0)).toBe(TOUCHES);
    const firstLines = lines(read.chunks[0], '\n');
    expect(JSON.parse(firstLines[0])).toEqual(expectedTouch(2)); // i = 0..2 share the first timestamp; i = 2 has the lowest id
    expect(Object.keys(JSON.parse(firstLines[0]))).toEqual(Object.keys(expectedTouch(0)));
    expect(firstLines.slice(0, 4).map((line) => JSON.parse(line).id)).toEqual([touchId(2), touchId(1), touchId(0), touchId(5)]);
    const lastLines = lines(read.chunks.at(-1)!, '\n');
    expect(JSON.parse(lastLines.at(-2)!)).toEqual(expectedTouch(TOUCHES - 4)); // 99,996…99,998 share the last generated timestamp
    expect(JSON.parse(lastLines.at(-1)!)).toEqual(LAST_TOUCH);

    const countedCsv = countingDb();
    const csv = await call('GET', '/api/v1/exports/touches?from=2026-05-01&to=2026-05-31', { env: { DB: countedCsv.DB }, headers: { Accept: 'text/csv' } });
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('Content-Disposition')).toBe('attachment; filename="touches-2026-05-01-2026-06-01.csv"');
    const csvRead = await readChunks(csv, countedCsv.statements);
    expect(csvRead.readsBeforeBody).toBeLessThanOrEqual(2);
    expect(countedCsv.statements()).toBe(pages + 1);
    expect(csvRead.chunks[0]).toBe(`${Object.keys(expectedTouch(0)).join(',')}\r\n`);
    const records = csvRead.chunks.slice(1).map((chunk) => lines(chunk, '\r\n').length);
    expect(Math.max(...records)).toBe(EXPORT_PAGE_ROWS);
    expect(records.reduce((a, b) => a + b, 0)).toBe(TOUCHES);
    const [first] = readCsv(csvRead.chunks[1]);
    expect(first.fields).toEqual([
      touchId(2),
      generatedAt(2),
      'code_entry',
      '',
      '',
      'offline',
      'v2',
      'cookie',
      'mobile',
      'Android',
      '',
      'false',
      '',
      UA,
      'DE',
      '',
      '',
      '',
      "'=cmd",
      'qr',
      '',
      '',
      '',
      '',
      '',
      'false',
    ]);
    expect(lines(csvRead.chunks[1], '\r\n')[0]).toContain(',"Mozilla/5.0 (Linux; ""Pixel"", 8)",');
    expect(readCsv(csvRead.chunks.at(-1)!).at(-1)!.fields).toEqual([
      't000000',
      '2026-05-31T23:59:59.999Z',
      'click',
      '',
      '',
      'email',
      '',
      '',
      'desktop',
      '',
      '',
      'false',
      ...Array(13).fill(''),
      'false',
    ]);
  }, 120_000);
});

describe('export columns', () => {
  it('are every stored column but the internal ones, so a new column is a decision (export it, or say why not)', async () => {
    const stored = async (table: string) =>
      (await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(table).all<{ name: string }>()).results.map((c) => c.name);
    const left = (columns: string[], exported: readonly string[]) => columns.filter((column) => !exported.includes(column));
    expect(left(await stored('touches'), TOUCH_EXPORT_COLUMNS)).toEqual(['visitor_hll']);
    expect(left(await stored('conversions'), CONVERSION_EXPORT_COLUMNS)).toEqual(['day']);
    expect((await stored('touches')).length).toBe(TOUCH_EXPORT_COLUMNS.length + 1);
  });
});

describe('keyset pages', () => {
  it('neither skip nor repeat rows that share a timestamp across a page boundary', async () => {
    const at = '2027-05-02T10:00:00.000Z';
    await env.DB.prepare(
      `INSERT INTO touches (id, type, occurred_at, channel, device_class, is_bot)
       VALUES ('k5', 'click', ?1, 'email', 'desktop', 0), ('k1', 'click', ?1, 'email', 'desktop', 0), ('k3', 'click', ?1, 'email', 'desktop', 0),
              ('k4', 'click', '2027-05-02T09:59:59.999Z', 'email', 'desktop', 0), ('k2', 'click', '2027-05-02T10:00:00.001Z', 'email', 'desktop', 0)`,
    )
      .bind(at)
      .run();
    const counted = countingDb();
    const response = exportResponse(createDb(counted.DB), 'touches', { from: '2027-05-02T00:00:00.000Z', to: '2027-05-03T00:00:00.000Z' }, 'ndjson', 2);
    const body = await textOf(response);
    expect(
      body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual(['k4', 'k1', 'k3', 'k5', 'k2']);
    expect(counted.statements()).toBe(3); // 2 + 2 + 1 rows
  });
});

describe('GET /api/v1/exports/conversions', () => {
  const sale = (order: string, occurred_at: string, value: number | null, customer?: string) =>
    call('POST', '/api/v1/conversions', {
      body: {
        type: value === null ? 'lead' : 'sale',
        order_id: order,
        occurred_at,
        ...(value === null ? {} : { value, currency: 'EUR' }),
        ...(customer ? { customer_ref: customer } : {}),
      },
      now: () => Date.parse('2026-06-02T08:00:00Z'),
    }).then(json);

  it('exports each conversion with its refunded amount and a hashed customer, in time order, within the range', async () => {
    const later = await sale('A-2', '2026-05-20T12:00:00.000Z', 80, 'alice@example.com');
    const earlier = await sale('A-1', '2026-05-03T09:30:00+02:00', 120.5);
    const lead = await sale('L-1', '2026-05-31T23:59:59.999Z', null);
    await sale('OUT-1', '2026-04-30T23:59:59.999Z', 10);
    await sale('OUT-2', '2026-06-01T00:00:00.000Z', 10);
    expect((await call('POST', `/api/v1/conversions/${later.id}/refund`, { body: { amount: 30, refund_id: 'r1' } })).status).toBe(201);

    const response = await call('GET', '/api/v1/exports/conversions?from=2026-05-01&to=2026-05-31&format=ndjson');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="conversions-2026-05-01-2026-06-01.ndjson"');
    const rows = (await textOf(response))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.id)).toEqual([earlier.id, later.id, lead.id]);
    const stored = await env.DB.prepare("SELECT customer_hash FROM conversions WHERE order_id = 'A-2'").first<{ customer_hash: string }>();
    expect(stored!.customer_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[1]).toEqual({
      id: later.id,
      occurred_at: '2026-05-20T12:00:00.000Z',
      type: 'sale',
      order_id: 'A-2',
      click_id: null,
      visitor_id: null,
      customer_hash: stored!.customer_hash,
      promo_code: null,
      promo_touch_id: null,
      value: 80,
      refunded: 30,
      currency: 'EUR',
      lookback_days: 30,
      created_at: '2026-06-02T08:00:00.000Z',
    });
    expect(rows[0].occurred_at).toBe('2026-05-03T07:30:00.000Z');
    expect(JSON.stringify(rows)).not.toContain('alice@example.com');

    const csv = await call('GET', `/api/v1/exports/conversions?from=2026-05-20T12:00:00Z&to=2026-05-31T23:59:59.999Z&format=csv`);
    expect(csv.headers.get('Content-Disposition')).toBe('attachment; filename="conversions-2026-05-20T12_00_00.000Z-2026-05-31T23_59_59.999Z.csv"');
    expect(readCsv(await csv.text()).map((record) => record.fields)).toEqual([
      [
        'id',
        'occurred_at',
        'type',
        'order_id',
        'click_id',
        'visitor_id',
        'customer_hash',
        'promo_code',
        'promo_touch_id',
        'value',
        'refunded',
        'currency',
        'lookback_days',
        'created_at',
      ],
      [later.id, '2026-05-20T12:00:00.000Z', 'sale', 'A-2', '', '', stored!.customer_hash, '', '', '80', '30', 'EUR', '30', '2026-06-02T08:00:00.000Z'],
    ]);
  });

  it('takes a date-time `from` within the day a date `to` names (the range is the rest of that day)', async () => {
    const evening = await sale('E-1', '2026-04-10T20:00:00.000Z', 15);
    await sale('E-0', '2026-04-10T17:59:59.999Z', 15);
    const response = await call('GET', '/api/v1/exports/conversions?from=2026-04-10T18:00:00Z&to=2026-04-10');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="conversions-2026-04-10T18_00_00.000Z-2026-04-11.ndjson"');
    expect(
      (await textOf(response))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([evening.id]);
  });

  it('answers an empty range with the CSV header alone', async () => {
    const response = await call('GET', '/api/v1/exports/conversions?from=2030-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&format=csv');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      'id,occurred_at,type,order_id,click_id,visitor_id,customer_hash,promo_code,promo_touch_id,value,refunded,currency,lookback_days,created_at\r\n',
    );
  });
});

describe('bad input', () => {
  it.each([
    ['from=2026-02-30', 'from: is not a calendar date or time'],
    ['from=yesterday', 'from: must be a date YYYY-MM-DD or a date-time like 2026-05-01T12:00:00Z'],
    ['to=2026-05-01T25:00:00Z', 'to: is not a calendar date or time'],
    ['from=2026-05-02&to=2026-05-01', 'to: must not be before from'],
    ['from=2026-05-01T12:00:00Z&to=2026-05-01T11:59:59Z', 'to: must not be before from'],
    ['from=2026-05-02T00:00:00Z&to=2026-05-01', 'to: must not be before from'],
  ])('%s → 400 validation_error', async (query, message) => {
    for (const kind of ['touches', 'conversions']) {
      const response = await call('GET', `/api/v1/exports/${kind}?${query}`);
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
    }
  });

  it('refuses an unknown format', async () => {
    const response = await call('GET', '/api/v1/exports/touches?format=xml');
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('validation_error');
  });
});
