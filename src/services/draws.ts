/** Prize draws: create one with a secret seed, list its entries (live, then frozen), run it once. */
import type { Db } from '../db/client';
import { findCampaignById } from '../db/campaigns';
import { findCodeBatchById } from '../db/code-batches';
import {
  countFrozenEntries,
  findDrawById,
  findDrawWinners,
  findLiveDrawEntries,
  insertDraw,
  listDraws,
  pageDrawEntries,
  storeDrawRun,
  type Draw,
} from '../db/draws';
import { drawStatus, drawWinners, seedHashOf, type DrawWinner } from '../domain/draws';
import type { DrawSource, LoyaltyEventType } from '../domain/vocab';
import { csvResponse, csvStream } from '../lib/csv';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { emitEvent } from './webhook-events';

export interface DrawInput {
  name: string;
  source: DrawSource;
  campaign_id?: string | null;
  batch_id?: string | null;
  event_type?: LoyaltyEventType | null;
  event_name?: string | null;
  starts_at: string;
  ends_at: string;
  prizes: number;
  max_entries_per_member?: number | null;
}

/** 32 random bytes as 64 lowercase hex characters. */
function randomSeed(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Creates a draw with a fresh secret seed; the campaign and batch it names must exist. */
export async function createDraw(db: Db, input: DrawInput, now: number): Promise<Draw> {
  const [campaign, batch] = await Promise.all([
    input.campaign_id ? findCampaignById(db, input.campaign_id) : null,
    input.batch_id ? findCodeBatchById(db, input.batch_id) : null,
  ]);
  if (input.campaign_id && !campaign) throw notFound('Campaign');
  if (input.batch_id && !batch) throw notFound('Code batch');
  const seed = randomSeed();
  return insertDraw(db, {
    id: newId('draw', now),
    name: input.name,
    source: input.source,
    campaignId: input.campaign_id ?? null,
    batchId: input.batch_id ?? null,
    eventType: input.event_type ?? null,
    eventName: input.event_name ?? null,
    startsAt: input.starts_at,
    endsAt: input.ends_at,
    prizes: input.prizes,
    maxEntriesPerMember: input.max_entries_per_member ?? null,
    seed,
    seedHash: await seedHashOf(seed),
    ranAt: null,
    createdAt: toIso(now),
  });
}

const winnerJson = (winner: DrawWinner) => ({ place: winner.place, member_id: winner.memberId, entry_id: winner.entryId });

/** A draw as the API shows it: the seed only once it has run, with its winners then. */
export function drawJson(draw: Draw, winners: readonly DrawWinner[], now: number) {
  return {
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
    status: drawStatus(draw, now),
    seed_hash: draw.seedHash,
    seed: draw.ranAt === null ? null : draw.seed,
    ran_at: draw.ranAt,
    winners: winners.map(winnerJson),
    entries_url: `/api/v1/draws/${draw.id}/entries`,
    created_at: draw.createdAt,
  };
}
export type DrawJson = ReturnType<typeof drawJson>;

/** One draw as JSON with its winners. */
export async function showDraw(db: Db, id: string, now: number): Promise<DrawJson> {
  const draw = await findDrawById(db, id);
  if (!draw) throw notFound('Draw');
  const winners = draw.ranAt === null ? [] : ((await findDrawWinners(db, [draw.id])).get(draw.id) ?? []);
  return drawJson(draw, winners, now);
}

/** A page of draws, newest first, each with its winners (two statements for the page). */
export async function listDrawsJson(db: Db, filter: { limit: number; cursor?: string }, now: number) {
  const page = await listDraws(db, filter);
  const winners = await findDrawWinners(
    db,
    page.items.filter((d) => d.ranAt !== null).map((d) => d.id),
  );
  return { data: page.items.map((draw) => drawJson(draw, winners.get(draw.id) ?? [], now)), next_cursor: page.nextCursor };
}

async function drawOrThrow(db: Db, id: string): Promise<Draw> {
  const draw = await findDrawById(db, id);
  if (!draw) throw notFound('Draw');
  return draw;
}

/** A page of a draw's entries by entry id; the cursor is the last entry id. */
export async function drawEntriesPage(db: Db, id: string, filter: { limit: number; cursor?: string }) {
  const draw = await drawOrThrow(db, id);
  const rows = await pageDrawEntries(db, draw, filter.cursor ?? '', filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  return {
    frozen: draw.ranAt !== null,
    data: items.map((e) => ({ entry_id: e.entryId, member_id: e.memberId, occurred_at: e.occurredAt })),
    next_cursor: rows.length > filter.limit ? items[items.length - 1].entryId : null,
  };
}

const CSV_PAGE = 1000;

/** Every entry of a draw as CSV (entry_id, member_id, occurred_at), by entry id, streamed a page at a time. */
export async function drawEntriesCsv(db: Db, id: string): Promise<Response> {
  const draw = await drawOrThrow(db, id);
  const stream = csvStream(['entry_id', 'member_id', 'occurred_at'], '', async (after: string) => {
    const rows = await pageDrawEntries(db, draw, after, CSV_PAGE);
    return { rows: rows.map((e) => [e.entryId, e.memberId, e.occurredAt]), next: rows.length === CSV_PAGE ? rows[rows.length - 1].entryId : null };
  });
  return csvResponse(`${draw.id}-entries.csv`, stream, { 'Cache-Control': 'no-store' });
}

export interface DrawResult {
  winners: ReturnType<typeof winnerJson>[];
  seed: string;
  seed_hash: string;
  entries: number;
  ran_at: string;
}

/**
 * Runs a closed draw: ranks its entries under the seed and stores entries and winners once. A draw that
 * has run answers what it stored; one whose window is still open (or not begun) is refused.
 */
export async function runDraw(db: Db, id: string, now: number): Promise<DrawResult> {
  const draw = await drawOrThrow(db, id);
  const answer = (run: { ranAt: string; winners: DrawWinner[]; entries: number }): DrawResult => ({
    winners: run.winners.map(winnerJson),
    seed: draw.seed,
    seed_hash: draw.seedHash,
    entries: run.entries,
    ran_at: run.ranAt,
  });
  if (draw.ranAt !== null) {
    const [winners, entries] = await Promise.all([findDrawWinners(db, [draw.id]), countFrozenEntries(db, draw.id)]);
    return answer({ ranAt: draw.ranAt, winners: winners.get(draw.id) ?? [], entries });
  }
  if (now < Date.parse(draw.endsAt)) throw new ApiError('draw_not_closed', `The draw's window is open until ${draw.endsAt}; run it after that`);
  const entries = await findLiveDrawEntries(db, draw);
  const winners = await drawWinners(draw.seed, entries, draw.prizes);
  const run = await storeDrawRun(db, draw.id, entries, winners, toIso(now));
  // Only the run that stored the result reports it (a concurrent one reads the same result back).
  if (run.ranAt === toIso(now)) await emitEvent(db, 'draw.completed', drawJson({ ...draw, ranAt: run.ranAt }, run.winners, now), now);
  return answer(run);
}
