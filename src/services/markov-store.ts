/**
 * Where a report's Markov fit comes from (docs/DESIGN.md "Data-driven model", *When it is computed*): a fit stored
 * for exactly its range and reporting currency (the cron's trailing 30 days, or one a report asked for); else, for a
 * range of at most MARKOV_READ_TIME_TOUCHES human touches, one fitted now; else a request the cron works off, and
 * meanwhile the linear credit with `status: 'computing'`.
 */
import type { Db } from '../db/client';
import {
  closeMarkovFitRequest,
  findMarkovFit,
  listMarkovFitRequests,
  requestMarkovFit,
  saveMarkovFit,
  saveRequestedMarkovFit,
  type MarkovFitKey,
} from '../db/markov-fits';
import { DAY_MS } from '../domain/attribution';
import type { RateBook } from '../domain/currency';
import { toIso } from '../lib/time';
import { ArchiveReader } from './archive-reads';
import { loadRateBook } from './exchange-rates';
import { fitMarkov, pendingMarkovFit, type MarkovFit, type MarkovSummary } from './markov';
import { sumTraffic } from '../db/report-rollups';

/** The cron refits the trailing range (and a requested range still open at its fit) once its fit is this old. */
export const MARKOV_REFIT_MS = 3_600_000;
/** Days of the range the cron fits: the reports' default range (the 30 days up to today). */
export const MARKOV_CRON_DAYS = 30;
/** Above this many human touches in a range (touch_daily), a report does not fit the chain at read time (MARKOV_READ_TIME_TOUCHES). */
export const DEFAULT_MARKOV_READ_TIME_TOUCHES = 200_000;
/** Requested fits the cron computes per run, oldest request first (a 1M-touch fit takes seconds). */
export const MARKOV_REQUESTS_PER_RUN = 2;
/** Days a requested fit is kept after it was computed. */
export const MARKOV_REQUESTED_FIT_DAYS = 7;

/** How a report may get its fit: the size above which it asks the cron, and the request's clock. */
export interface MarkovFitPolicy {
  readTimeTouches: number;
  now: number;
}

/** The MARKOV_READ_TIME_TOUCHES setting (default DEFAULT_MARKOV_READ_TIME_TOUCHES; a range with at most that many is fitted at read time). */
export function markovFitPolicy(env: { MARKOV_READ_TIME_TOUCHES?: string }, now: number): MarkovFitPolicy {
  const raw = env.MARKOV_READ_TIME_TOUCHES;
  const limit = Number(raw);
  return { readTimeTouches: raw !== undefined && raw !== '' && Number.isInteger(limit) && limit >= 0 ? limit : DEFAULT_MARKOV_READ_TIME_TOUCHES, now };
}

const serialise = (fit: MarkovFit) => JSON.stringify({ summary: fit.summary, factors: [...fit.factors] });
const deserialise = (text: string, computedAt: string, requestedAt: string | null): MarkovFit => {
  const parsed = JSON.parse(text) as { summary: MarkovSummary; factors: Array<[string, { conversions: number; revenue: number }]> };
  return { summary: { ...parsed.summary, status: 'fitted', requested_at: requestedAt, computed_at: computedAt }, factors: new Map(parsed.factors) };
};

const dayOf = (iso: string) => iso.slice(0, 10);

/** Human touches of [from, to], every shard's daily rollups added up: what a fit of the range would read. */
const humanTouchesOf = async (db: Db, from: string, to: string) => (await sumTraffic(db, [], { from, to }))[0]?.visits ?? 0;

/**
 * The fit a report of [from, to] uses: the stored one for exactly that range and currency; else one fitted now when
 * the range is small (or no policy is given); else the range's fit is requested and the answer is the pending stand-in.
 * A requested fit of a range that was still open when computed is served and, an hour on, requested again.
 */
export async function loadMarkovFit(
  db: Db,
  range: { from: string; to: string },
  book: RateBook,
  archive: ArchiveReader | null,
  policy?: MarkovFitPolicy,
): Promise<MarkovFit> {
  const key: MarkovFitKey = { from: range.from, to: range.to, currency: book.base };
  const stored = await findMarkovFit(db, key.from, key.to, key.currency);
  if (stored) {
    const stale =
      stored.requestedAt !== null && range.to >= dayOf(stored.computedAt) && policy && policy.now - Date.parse(stored.computedAt) >= MARKOV_REFIT_MS;
    if (stale) await requestMarkovFit(db, key, toIso(policy.now));
    return deserialise(stored.fit, stored.computedAt, stored.requestedAt);
  }
  if (!policy || (await humanTouchesOf(db, key.from, key.to)) <= policy.readTimeTouches) return fitMarkov(db, range, book, archive);
  return pendingMarkovFit(await requestMarkovFit(db, key, toIso(policy.now)));
}

/** The trailing range the cron keeps fitted at `now`. */
export function cronRange(now: number): { from: string; to: string } {
  const to = new Date(now).toISOString().slice(0, 10);
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - (MARKOV_CRON_DAYS - 1) * DAY_MS).toISOString().slice(0, 10), to };
}

/** Cron: refits the trailing 30 days when their fit is missing or an hour old. Returns whether it refitted. */
export async function refreshMarkovFit(db: Db, now: number, bucket: R2Bucket | null = null): Promise<boolean> {
  const range = cronRange(now);
  const book = await loadRateBook(db, range.from, range.to);
  const stored = await findMarkovFit(db, range.from, range.to, book.base);
  if (stored && now - Date.parse(stored.computedAt) < MARKOV_REFIT_MS) return false;
  const fit = await fitMarkov(db, range, book, bucket ? new ArchiveReader(db, bucket) : null);
  await saveMarkovFit(db, range.from, range.to, book.base, toIso(now), serialise(fit));
  return true;
}

/** Cron: fits the oldest requested ranges (at most MARKOV_REQUESTS_PER_RUN), stores them and closes their requests. Returns how many it closed. */
export async function fitRequestedMarkov(db: Db, now: number, bucket: R2Bucket | null = null): Promise<number> {
  const requests = await listMarkovFitRequests(db, MARKOV_REQUESTS_PER_RUN);
  const keepSince = toIso(now - MARKOV_REQUESTED_FIT_DAYS * DAY_MS);
  let closed = 0;
  for (const request of requests) {
    try {
      // The trailing fit of this run (or another) may already cover it: a fit computed after the request answers it.
      const stored = await findMarkovFit(db, request.from, request.to, request.currency);
      if (stored && stored.computedAt >= request.requestedAt) {
        await closeMarkovFitRequest(db, request);
        closed += 1;
        continue;
      }
      const book = await loadRateBook(db, request.from, request.to);
      const fit = await fitMarkov(db, request, book, bucket ? new ArchiveReader(db, bucket) : null);
      await saveRequestedMarkovFit(db, request, book.base, toIso(now), serialise(fit), keepSince);
      closed += 1;
    } catch (error) {
      // The request stays and is tried again next minute; the next one is not held up in this run.
      console.error('markov: requested fit failed', request.from, request.to, error);
    }
  }
  return closed;
}

/** The cron's Markov work, one after the other (both read whole ranges): the trailing fit, then requested ones. */
export async function runMarkovCron(db: Db, now: number, bucket: R2Bucket | null = null): Promise<void> {
  await refreshMarkovFit(db, now, bucket);
  await fitRequestedMarkov(db, now, bucket);
}
