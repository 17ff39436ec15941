import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { findDrawById, storeDrawRun } from '../../src/db/draws';
import { newId } from '../../src/lib/ids';
import { call, json, makeCampaign, makeKey } from '../helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2031-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const STARTS = iso(T0);
const ENDS = iso(T0 + 7 * DAY);
const during = () => T0 + DAY;
const afterClose = () => T0 + 8 * DAY;

async function member(id: string, hash: string) {
  await env.DB.prepare('INSERT INTO loyalty_members (id, customer_hash, joined_at, last_activity_at) VALUES (?, ?, ?, ?)')
    .bind(id, hash, iso(T0 - DAY), iso(T0 - DAY))
    .run();
}

/** An action code entry recorded (its id minted) at `recordedAt`, that occurred at `occurredAt`. */
async function codeEntry(fields: { recordedAt: number; occurredAt?: number; hash: string | null; campaignId: string; result?: string }): Promise<string> {
  const id = newId('codeEntry', fields.recordedAt);
  await env.DB.prepare(`INSERT INTO code_entries (id, occurred_at, source, input, result, campaign_id, customer_hash) VALUES (?, ?, 'api', 'CODE', ?, ?, ?)`)
    .bind(id, iso(fields.occurredAt ?? fields.recordedAt), fields.result ?? 'accepted', fields.campaignId, fields.hash)
    .run();
  return id;
}

async function loyaltyEvent(fields: { recordedAt: number; occurredAt?: number; memberId: string; type: string; name?: string }): Promise<string> {
  const id = newId('loyaltyEvent', fields.recordedAt);
  const occurred = iso(fields.occurredAt ?? fields.recordedAt);
  await env.DB.prepare(
    `INSERT INTO loyalty_events (id, idempotency_key, member_id, type, name, status, occurred_at, day) VALUES (?, ?, ?, ?, ?, 'no_points', ?, ?)`,
  )
    .bind(id, `test:${id}`, fields.memberId, fields.type, fields.name ?? null, occurred, occurred.slice(0, 10))
    .run();
  return id;
}

async function createDraw(body: Record<string, unknown>, now = () => T0 - DAY): Promise<any> {
  const response = await call('POST', '/api/v1/draws', { body: { name: 'Spring draw', starts_at: STARTS, ends_at: ENDS, ...body }, now });
  if (response.status !== 201) throw new Error(`draw: ${response.status} ${await response.text()}`);
  return json(response);
}

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The published algorithm, written out here on its own: rank by HMAC-SHA-256(seed, entry id), lowest first, one prize per member. */
async function recompute(seed: string, entries: Array<{ entry_id: string; member_id: string }>, prizes: number) {
  const key = await crypto.subtle.importKey('raw', utf8(seed), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const ranked = await Promise.all(entries.map(async (e) => ({ ...e, rank: hex(await crypto.subtle.sign('HMAC', key, utf8(e.entry_id))) })));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : 1));
  const winners: Array<{ place: number; member_id: string; entry_id: string }> = [];
  for (const e of ranked) {
    if (winners.length < prizes && !winners.some((w) => w.member_id === e.member_id))
      winners.push({ place: winners.length + 1, member_id: e.member_id, entry_id: e.entry_id });
  }
  return winners;
}

const ids: Record<string, string> = {};
let campaignId = '';

beforeAll(async () => {
  campaignId = (await makeCampaign({ name: 'Draw pack codes' })).id;
  const other = (await makeCampaign({ name: 'Other codes' })).id;
  await member('mbr_DRAW1', 'hash-d1');
  await member('mbr_DRAW2', 'hash-d2');
  await member('mbr_DRAW3', 'hash-d3');
  // Member 1: three entries; with a limit of two, the first two by time count (b and c), not the lowest id (a).
  ids.a = await codeEntry({ recordedAt: T0 + 1 * HOUR, occurredAt: T0 + 3 * HOUR, hash: 'hash-d1', campaignId });
  ids.b = await codeEntry({ recordedAt: T0 + 2 * HOUR, occurredAt: T0 + 1 * HOUR, hash: 'hash-d1', campaignId });
  ids.c = await codeEntry({ recordedAt: T0 + 4 * HOUR, occurredAt: T0 + 1 * HOUR, hash: 'hash-d1', campaignId });
  ids.d = await codeEntry({ recordedAt: T0 + DAY, hash: 'hash-d2', campaignId });
  ids.e = await codeEntry({ recordedAt: T0 + 2 * DAY, hash: 'hash-d3', campaignId });
  // None of these enters: not a member (yet), not accepted, another campaign, before the window, at its end, recorded after it.
  ids.nonMember = await codeEntry({ recordedAt: T0 + 3 * DAY, hash: 'hash-later', campaignId });
  await codeEntry({ recordedAt: T0 + 3 * DAY, hash: 'hash-d2', campaignId, result: 'unknown_code' });
  await codeEntry({ recordedAt: T0 + 3 * DAY, hash: 'hash-d3', campaignId: other });
  await codeEntry({ recordedAt: T0 - 1, hash: 'hash-d2', campaignId });
  await codeEntry({ recordedAt: T0 + 7 * DAY, hash: 'hash-d2', campaignId });
  await codeEntry({ recordedAt: T0 + 7 * DAY + HOUR, occurredAt: T0 + 6 * DAY, hash: 'hash-d3', campaignId });
});

const expectedEntries = () =>
  [
    { entry_id: ids.b, member_id: 'mbr_DRAW1', occurred_at: iso(T0 + HOUR) },
    { entry_id: ids.c, member_id: 'mbr_DRAW1', occurred_at: iso(T0 + HOUR) },
    { entry_id: ids.d, member_id: 'mbr_DRAW2', occurred_at: iso(T0 + DAY) },
    { entry_id: ids.e, member_id: 'mbr_DRAW3', occurred_at: iso(T0 + 2 * DAY) },
  ].sort((x, y) => (x.entry_id < y.entry_id ? -1 : 1));

describe('a draw over action code entries', () => {
  let draw: any;
  beforeAll(async () => {
    draw = await createDraw({ source: 'code_entries', campaign_id: campaignId, prizes: 2, max_entries_per_member: 2 });
  });

  it('publishes the seed hash and keeps the seed secret before the run', async () => {
    expect(draw.seed_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(draw).toMatchObject({ seed: null, status: 'upcoming', winners: [], ran_at: null, prizes: 2, max_entries_per_member: 2 });
    expect(JSON.stringify(draw)).not.toContain((await findDrawById(createDb(env.DB), draw.id))!.seed);
    const shown = await json(await call('GET', `/api/v1/draws/${draw.id}`, { now: during }));
    expect(shown).toMatchObject({ id: draw.id, seed: null, seed_hash: draw.seed_hash, status: 'open' });
    const listed = await json(await call('GET', '/api/v1/draws', { now: during }));
    expect(listed.data.find((d: any) => d.id === draw.id)).toMatchObject({ seed: null, seed_hash: draw.seed_hash });
  });

  it('lists the live entries: accepted, of members, in the window, each member first two by time', async () => {
    const response = await call('GET', `/api/v1/draws/${draw.id}/entries`, { now: during });
    expect(await json(response)).toEqual({ frozen: false, data: expectedEntries(), next_cursor: null });
    const first = await json(await call('GET', `/api/v1/draws/${draw.id}/entries?limit=3`, { now: during }));
    expect(first.data).toEqual(expectedEntries().slice(0, 3));
    expect(first.next_cursor).toBe(expectedEntries()[2].entry_id);
    const rest = await json(await call('GET', `/api/v1/draws/${draw.id}/entries?limit=3&cursor=${first.next_cursor}`, { now: during }));
    expect(rest).toEqual({ frozen: false, data: expectedEntries().slice(3), next_cursor: null });
  });

  it('gives the entries as CSV', async () => {
    const response = await call('GET', `/api/v1/draws/${draw.id}/entries?format=csv`, { now: during });
    expect(response.headers.get('Content-Type')).toContain('text/csv');
    const lines = expectedEntries().map((e) => `${e.entry_id},${e.member_id},${e.occurred_at}\r\n`);
    expect(await response.text()).toBe(`entry_id,member_id,occurred_at\r\n${lines.join('')}`);
  });

  it('refuses to run before the window closes', async () => {
    const response = await call('POST', `/api/v1/draws/${draw.id}/run`, { now: () => T0 + 7 * DAY - 1 });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({
      error: { code: 'draw_not_closed', message: `The draw's window is open until ${ENDS}; run it after that` },
    });
  });

  it('reveals the seed and winners anyone can recompute from the entry list', async () => {
    const entries = (await json(await call('GET', `/api/v1/draws/${draw.id}/entries`, { now: afterClose }))).data;
    const result = await json(await call('POST', `/api/v1/draws/${draw.id}/run`, { now: afterClose }));
    expect(hex(await crypto.subtle.digest('SHA-256', utf8(result.seed)))).toBe(draw.seed_hash);
    expect(result.seed_hash).toBe(draw.seed_hash);
    expect(result.entries).toBe(4);
    expect(result.winners).toHaveLength(2);
    expect(result.winners).toEqual(await recompute(result.seed, entries, 2));
    expect(result.ran_at).toBe(iso(afterClose()));
    const shown = await json(await call('GET', `/api/v1/draws/${draw.id}`, { now: afterClose }));
    expect(shown).toMatchObject({ status: 'drawn', seed: result.seed, winners: result.winners, ran_at: result.ran_at });
  });

  it('answers the same winners when run again, and keeps the entries it drew from', async () => {
    const first = await json(await call('POST', `/api/v1/draws/${draw.id}/run`, { now: afterClose }));
    // The customer of an earlier entry joins after the run: the frozen list does not change.
    await member('mbr_DRAWLATE', 'hash-later');
    const again = await call('POST', `/api/v1/draws/${draw.id}/run`, { now: () => afterClose() + DAY });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    const entries = await json(await call('GET', `/api/v1/draws/${draw.id}/entries`, { now: afterClose }));
    expect(entries).toEqual({ frozen: true, data: expectedEntries(), next_cursor: null });
  });
});

describe('a draw over loyalty events', () => {
  it('counts the events of the type and name in the window, never one recorded late', async () => {
    const review = await loyaltyEvent({ recordedAt: T0 + HOUR, memberId: 'mbr_DRAW1', type: 'custom', name: 'quiz' });
    const second = await loyaltyEvent({ recordedAt: T0 + 2 * HOUR, memberId: 'mbr_DRAW2', type: 'custom', name: 'quiz' });
    await loyaltyEvent({ recordedAt: T0 + 3 * HOUR, memberId: 'mbr_DRAW3', type: 'custom', name: 'poll' });
    await loyaltyEvent({ recordedAt: T0 + 3 * HOUR, memberId: 'mbr_DRAW3', type: 'review' });
    await loyaltyEvent({ recordedAt: T0 + 7 * DAY, memberId: 'mbr_DRAW3', type: 'custom', name: 'quiz' });
    await loyaltyEvent({ recordedAt: T0 + 7 * DAY + 1, occurredAt: T0 + 5 * DAY, memberId: 'mbr_DRAW3', type: 'custom', name: 'quiz' });
    const draw = await createDraw({ source: 'events', event_type: 'custom', event_name: 'quiz', prizes: 5 });
    const result = await json(await call('POST', `/api/v1/draws/${draw.id}/run`, { now: afterClose }));
    const entries = [
      { entry_id: review, member_id: 'mbr_DRAW1', occurred_at: iso(T0 + HOUR) },
      { entry_id: second, member_id: 'mbr_DRAW2', occurred_at: iso(T0 + 2 * HOUR) },
    ];
    expect(result.entries).toBe(2);
    // Fewer members than prizes: every member wins once.
    expect(result.winners).toEqual(await recompute(result.seed, entries, 5));
    expect(result.winners).toHaveLength(2);
    expect((await json(await call('GET', `/api/v1/draws/${draw.id}/entries`))).data).toEqual(entries);
  });

  it('runs a draw without entries to no winners', async () => {
    const draw = await createDraw({ source: 'events', event_type: 'survey', prizes: 3 });
    const result = await json(await call('POST', `/api/v1/draws/${draw.id}/run`, { now: afterClose }));
    expect(result).toMatchObject({ winners: [], entries: 0 });
  });
});

describe('two runs at once', () => {
  it('store one result, and both answer it', async () => {
    const draw = await createDraw({ source: 'events', event_type: 'signup', prizes: 1 });
    const db = createDb(env.DB);
    const entry = (id: string, memberId: string) => ({ entryId: id, memberId, occurredAt: STARTS });
    const [one, two] = await Promise.all([
      storeDrawRun(db, draw.id, [entry('lev_1', 'mbr_A'), entry('lev_2', 'mbr_B')], [{ place: 1, entryId: 'lev_1', memberId: 'mbr_A' }], iso(afterClose())),
      storeDrawRun(db, draw.id, [entry('lev_3', 'mbr_C')], [{ place: 1, entryId: 'lev_3', memberId: 'mbr_C' }], iso(afterClose() + 1)),
    ]);
    expect(two).toEqual(one);
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM draw_entries WHERE draw_id = ?').bind(draw.id).first<{ n: number }>();
    expect(stored!.n).toBe(one.entries);
    expect([1, 2]).toContain(one.entries);
    expect(one.winners).toEqual([one.entries === 2 ? { place: 1, entryId: 'lev_1', memberId: 'mbr_A' } : { place: 1, entryId: 'lev_3', memberId: 'mbr_C' }]);
  });

  it('through the API answer the same winners', async () => {
    await loyaltyEvent({ recordedAt: T0 + HOUR, memberId: 'mbr_DRAW1', type: 'referral' });
    await loyaltyEvent({ recordedAt: T0 + HOUR, memberId: 'mbr_DRAW2', type: 'referral' });
    const draw = await createDraw({ source: 'events', event_type: 'referral', prizes: 1 });
    const responses = await Promise.all([1, 2, 3].map(() => call('POST', `/api/v1/draws/${draw.id}/run`, { now: afterClose })));
    const bodies = await Promise.all(responses.map((r) => json(r)));
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM draw_winners WHERE draw_id = ?').bind(draw.id).first<{ n: number }>();
    expect(stored!.n).toBe(1);
  });
});

describe('creating a draw', () => {
  it('refuses a window that ends before it starts, and events without a type', async () => {
    const reversed = await call('POST', '/api/v1/draws', { body: { name: 'x', source: 'code_entries', starts_at: ENDS, ends_at: STARTS, prizes: 1 } });
    expect(reversed.status).toBe(400);
    expect(await json(reversed)).toEqual({ error: { code: 'validation_error', message: 'ends_at: must be after starts_at' } });
    const untyped = await call('POST', '/api/v1/draws', { body: { name: 'x', source: 'events', starts_at: STARTS, ends_at: ENDS, prizes: 1 } });
    expect(await json(untyped)).toEqual({ error: { code: 'validation_error', message: 'event_type: is required when source is events' } });
  });

  it('refuses an unknown campaign', async () => {
    const response = await call('POST', '/api/v1/draws', {
      body: { name: 'x', source: 'code_entries', campaign_id: 'cmp_nope', starts_at: STARTS, ends_at: ENDS, prizes: 1 },
    });
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Campaign not found' } });
  });

  it('lets loyalty:read see draws but not create or run them', async () => {
    const reader = await makeKey(['loyalty:read']);
    const draw = await createDraw({ source: 'events', event_type: 'review', prizes: 1 });
    expect((await call('GET', `/api/v1/draws/${draw.id}`, { key: reader })).status).toBe(200);
    expect((await call('GET', `/api/v1/draws/${draw.id}/entries?format=csv`, { key: reader })).status).toBe(200);
    expect((await call('POST', `/api/v1/draws/${draw.id}/run`, { key: reader, now: afterClose })).status).toBe(403);
    expect((await call('POST', '/api/v1/draws', { key: reader, body: { name: 'x' } })).status).toBe(403);
  });
});
