/**
 * Prize draws (schema/0016): the draw rows, their entries — live from accepted code entries or loyalty events
 * before the run, frozen in draw_entries by it — and the winners the run stored.
 */
import { jsonInsertStatements, runAtomically, type Db } from './client';
import type { DrawRow } from './loyalty-schema';
import { pageOf, type Page } from './pagination';
import type { DrawEntry, DrawWinner } from '../domain/draws';
import type { DrawSource, LoyaltyEventType } from '../domain/vocab';
import { idFloor } from '../lib/ids';

export interface Draw {
  id: string;
  name: string;
  source: DrawSource;
  campaignId: string | null;
  batchId: string | null;
  eventType: LoyaltyEventType | null;
  eventName: string | null;
  startsAt: string;
  endsAt: string;
  prizes: number;
  maxEntriesPerMember: number | null;
  /** Secret until the draw has run: never shown while `ranAt` is null. */
  seed: string;
  seedHash: string;
  ranAt: string | null;
  createdAt: string;
}

const toDraw = (row: DrawRow): Draw => ({
  id: row.id,
  name: row.name,
  source: row.source,
  campaignId: row.campaign_id,
  batchId: row.batch_id,
  eventType: row.event_type,
  eventName: row.event_name,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  prizes: row.prizes,
  maxEntriesPerMember: row.max_entries_per_member,
  seed: row.seed,
  seedHash: row.seed_hash,
  ranAt: row.ran_at,
  createdAt: row.created_at,
});

/** Stores a new draw. */
export async function insertDraw(db: Db, draw: Draw): Promise<Draw> {
  const row = await db
    .insertInto('draws')
    .values({
      id: draw.id,
      name: draw.name,
      source: draw.source,
      campaign_id: draw.campaignId,
      batch_id: draw.batchId,
      event_type: draw.eventType,
      event_name: draw.eventName,
      starts_at: draw.startsAt,
      ends_at: draw.endsAt,
      prizes: draw.prizes,
      max_entries_per_member: draw.maxEntriesPerMember,
      seed: draw.seed,
      seed_hash: draw.seedHash,
      ran_at: null,
      created_at: draw.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDraw(row);
}

/** One draw by id. */
export async function findDrawById(db: Db, id: string): Promise<Draw | null> {
  const row = await db.selectFrom('draws').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDraw(row) : null;
}

/** Draws newest first. */
export async function listDraws(db: Db, filter: { limit: number; cursor?: string }): Promise<Page<Draw>> {
  let query = db.selectFrom('draws').selectAll();
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toDraw), filter.limit);
}

/** The stored winners of `drawIds`, in place order per draw (one statement for any number of draws). */
export async function findDrawWinners(db: Db, drawIds: readonly string[]): Promise<Map<string, DrawWinner[]>> {
  const winners = new Map<string, DrawWinner[]>(drawIds.map((id) => [id, []]));
  if (drawIds.length === 0) return winners;
  const { results } = await db.d1
    .prepare('SELECT draw_id, place, entry_id, member_id FROM draw_winners WHERE draw_id IN (SELECT value FROM json_each(?1)) ORDER BY draw_id, place')
    .bind(JSON.stringify(drawIds))
    .all<{ draw_id: string; place: number; entry_id: string; member_id: string }>();
  for (const row of results) winners.get(row.draw_id)?.push({ place: row.place, entryId: row.entry_id, memberId: row.member_id });
  return winners;
}

interface EntryRow {
  entry_id: string;
  member_id: string;
  occurred_at: string;
}
const toEntry = (row: EntryRow): DrawEntry => ({ entryId: row.entry_id, memberId: row.member_id, occurredAt: row.occurred_at });

/**
 * The SQL of a draw's live entries (columns entry_id, member_id, occurred_at; parameters from ?1): what
 * occurred in [starts_at, ends_at) and was recorded before ends_at (its id's time: a late event dated back
 * into the window stays out), then each member's first `max_entries_per_member` by time, then id.
 */
function liveEntriesSql(draw: Draw): { sql: string; params: unknown[] } {
  const window = [draw.startsAt, draw.endsAt];
  const raw =
    draw.source === 'code_entries'
      ? {
          sql: `SELECT ce.id AS entry_id, m.id AS member_id, ce.occurred_at FROM code_entries ce
                JOIN loyalty_members m ON m.customer_hash = ce.customer_hash
                WHERE ce.result = 'accepted' AND ce.occurred_at >= ?1 AND ce.occurred_at < ?2 AND ce.id < ?3
                  AND (?4 IS NULL OR ce.campaign_id = ?4) AND (?5 IS NULL OR ce.batch_id = ?5)`,
          params: [...window, idFloor('codeEntry', Date.parse(draw.endsAt)), draw.campaignId, draw.batchId],
        }
      : {
          sql: `SELECT e.id AS entry_id, e.member_id, e.occurred_at FROM loyalty_events e
                WHERE e.type = ?6 AND e.occurred_at >= ?1 AND e.occurred_at < ?2 AND e.id < ?3
                  AND (?4 IS NULL OR e.campaign_id = ?4) AND (?5 IS NULL OR e.name = ?5)`,
          params: [...window, idFloor('loyaltyEvent', Date.parse(draw.endsAt)), draw.campaignId, draw.eventName, draw.eventType],
        };
  const limit = raw.params.length + 1;
  return {
    sql: `WITH raw AS (${raw.sql}),
          numbered AS (SELECT *, row_number() OVER (PARTITION BY member_id ORDER BY occurred_at, entry_id) AS n FROM raw)
          SELECT entry_id, member_id, occurred_at FROM numbered WHERE ?${limit} IS NULL OR n <= ?${limit}`,
    params: [...raw.params, draw.maxEntriesPerMember],
  };
}

/** A page of a draw's entries by entry id after `after`: frozen ones once it has run, live ones before. */
export async function pageDrawEntries(db: Db, draw: Draw, after: string, limit: number): Promise<DrawEntry[]> {
  const source =
    draw.ranAt === null ? liveEntriesSql(draw) : { sql: 'SELECT entry_id, member_id, occurred_at FROM draw_entries WHERE draw_id = ?1', params: [draw.id] };
  const next = source.params.length + 1;
  const { results } = await db.d1
    .prepare(`SELECT * FROM (${source.sql}) WHERE entry_id > ?${next} ORDER BY entry_id LIMIT ?${next + 1}`)
    .bind(...source.params, after, limit)
    .all<EntryRow>();
  return results.map(toEntry);
}

/** Every live entry of a draw (what a run draws from), by entry id. */
export async function findLiveDrawEntries(db: Db, draw: Draw): Promise<DrawEntry[]> {
  const source = liveEntriesSql(draw);
  const { results } = await db.d1
    .prepare(`SELECT * FROM (${source.sql}) ORDER BY entry_id`)
    .bind(...source.params)
    .all<EntryRow>();
  return results.map(toEntry);
}

/** What a draw's run stored: the time, the winners and the number of entries. */
export interface DrawRun {
  ranAt: string;
  winners: DrawWinner[];
  entries: number;
}

/**
 * Stores a run in one batch: entries, winners, then `ran_at`. Every insert is guarded by `ran_at IS NULL`
 * as the batch found it, so of two parallel runs only the first batch stores anything; the answer is
 * read back in the same batch, so both answer the stored result.
 */
export async function storeDrawRun(db: Db, drawId: string, entries: readonly DrawEntry[], winners: readonly DrawWinner[], at: string): Promise<DrawRun> {
  const notRun = { sql: '(SELECT ran_at FROM draws WHERE id = ?2) IS NULL', params: [drawId] };
  const results = await runAtomically(db, [
    ...jsonInsertStatements(
      db,
      'draw_entries',
      ['draw_id', 'entry_id', 'member_id', 'occurred_at'],
      entries.map((e) => ({ draw_id: drawId, entry_id: e.entryId, member_id: e.memberId, occurred_at: e.occurredAt })),
      { onlyIf: notRun },
    ),
    ...jsonInsertStatements(
      db,
      'draw_winners',
      ['draw_id', 'place', 'entry_id', 'member_id'],
      winners.map((w) => ({ draw_id: drawId, place: w.place, entry_id: w.entryId, member_id: w.memberId })),
      { onlyIf: notRun },
    ),
    db.d1.prepare('UPDATE draws SET ran_at = ?1 WHERE id = ?2 AND ran_at IS NULL').bind(at, drawId),
    db.d1
      .prepare(
        `SELECT d.ran_at, (SELECT count(*) FROM draw_entries WHERE draw_id = d.id) AS entries,
                (SELECT json_group_array(json_array(place, entry_id, member_id)) FROM (SELECT * FROM draw_winners WHERE draw_id = d.id ORDER BY place)) AS winners
         FROM draws d WHERE d.id = ?1`,
      )
      .bind(drawId),
  ]);
  const row = results[results.length - 1].results[0] as { ran_at: string; entries: number; winners: string };
  const stored = JSON.parse(row.winners) as Array<[number, string, string]>;
  return { ranAt: row.ran_at, entries: row.entries, winners: stored.map(([place, entryId, memberId]) => ({ place, entryId, memberId })) };
}

/** The number of entries a run froze. */
export async function countFrozenEntries(db: Db, drawId: string): Promise<number> {
  const row = await db.d1.prepare('SELECT count(*) AS n FROM draw_entries WHERE draw_id = ?1').bind(drawId).first<{ n: number }>();
  return row?.n ?? 0;
}
