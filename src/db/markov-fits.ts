/**
 * Stored fits of the data-driven model (schema/0030_markov_fits.sql), one per range and reporting currency, and the
 * fits reports asked for (schema/0037_markov_fit_requests.sql).
 */
import { sql } from 'kysely';
import type { Db } from './client';

export interface StoredMarkovFit {
  computedAt: string;
  /** When a report asked for this range's fit; null: the cron's trailing range. */
  requestedAt: string | null;
  /** The fit as services/markov.ts serialised it. */
  fit: string;
}

export interface MarkovFitKey {
  from: string;
  to: string;
  currency: string;
}

export interface MarkovFitRequest extends MarkovFitKey {
  requestedAt: string;
}

export async function findMarkovFit(db: Db, from: string, to: string, currency: string): Promise<StoredMarkovFit | null> {
  const { rows } = await sql<{ computed_at: string; requested_at: string | null; fit: string }>`
    SELECT computed_at, requested_at, fit FROM markov_fits WHERE from_day = ${from} AND to_day = ${to} AND currency = ${currency}`.execute(db);
  return rows[0] ? { computedAt: rows[0].computed_at, requestedAt: rows[0].requested_at, fit: rows[0].fit } : null;
}

const upsertFit = (db: Db, key: MarkovFitKey, computedAt: string, fit: string, requestedAt: string | null) =>
  db.d1
    .prepare(
      `INSERT INTO markov_fits (from_day, to_day, currency, computed_at, fit, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (from_day, to_day, currency) DO UPDATE SET computed_at = excluded.computed_at, fit = excluded.fit,
         requested_at = COALESCE(excluded.requested_at, markov_fits.requested_at)`,
    )
    .bind(key.from, key.to, key.currency, computedAt, fit, requestedAt);

/** Stores the cron's fit of its trailing range, replacing the one before; its fits of ranges ending before `to` go (requested fits stay). */
export async function saveMarkovFit(db: Db, from: string, to: string, currency: string, computedAt: string, fit: string): Promise<void> {
  await db.d1.batch([
    db.d1.prepare('DELETE FROM markov_fits WHERE to_day < ?1 AND requested_at IS NULL').bind(to),
    upsertFit(db, { from, to, currency }, computedAt, fit, null),
  ]);
}

/** Records that a report wants the fit of a range; a request already there keeps its (earlier) time. Returns the request's time. */
export async function requestMarkovFit(db: Db, key: MarkovFitKey, requestedAt: string): Promise<string> {
  const { rows } = await sql<{ requested_at: string }>`
    INSERT INTO markov_fit_requests (from_day, to_day, currency, requested_at) VALUES (${key.from}, ${key.to}, ${key.currency}, ${requestedAt})
    ON CONFLICT (from_day, to_day, currency) DO UPDATE SET requested_at = markov_fit_requests.requested_at
    RETURNING requested_at`.execute(db);
  return rows[0].requested_at;
}

/** The oldest open requests, at most `limit`. */
export async function listMarkovFitRequests(db: Db, limit: number): Promise<MarkovFitRequest[]> {
  const { rows } = await sql<{ from_day: string; to_day: string; currency: string; requested_at: string }>`
    SELECT from_day, to_day, currency, requested_at FROM markov_fit_requests ORDER BY requested_at, from_day, to_day, currency LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({ from: row.from_day, to: row.to_day, currency: row.currency, requestedAt: row.requested_at }));
}

/**
 * Stores a requested fit (under the currency it was computed in) and closes the request, in one batch; requested fits
 * computed before `keepSince` go.
 */
export async function saveRequestedMarkovFit(
  db: Db,
  request: MarkovFitRequest,
  currency: string,
  computedAt: string,
  fit: string,
  keepSince: string,
): Promise<void> {
  await db.d1.batch([
    db.d1.prepare('DELETE FROM markov_fits WHERE requested_at IS NOT NULL AND computed_at < ?1').bind(keepSince),
    upsertFit(db, { ...request, currency }, computedAt, fit, request.requestedAt),
    deleteRequest(db, request),
  ]);
}

const deleteRequest = (db: Db, key: MarkovFitKey) =>
  db.d1.prepare('DELETE FROM markov_fit_requests WHERE from_day = ?1 AND to_day = ?2 AND currency = ?3').bind(key.from, key.to, key.currency);

/** Closes a request without a fit of its own (a fit computed after it was made is already stored). */
export async function closeMarkovFitRequest(db: Db, key: MarkovFitKey): Promise<void> {
  await deleteRequest(db, key).run();
}
