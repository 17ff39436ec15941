/** Fits of the data-driven model stored by the cron (schema/0030_markov_fits.sql), one per range and reporting currency. */
import { sql } from 'kysely';
import type { Db } from './client';

export interface StoredMarkovFit {
  computedAt: string;
  /** The fit as services/markov.ts serialised it. */
  fit: string;
}

export async function findMarkovFit(db: Db, from: string, to: string, currency: string): Promise<StoredMarkovFit | null> {
  const { rows } = await sql<{ computed_at: string; fit: string }>`
    SELECT computed_at, fit FROM markov_fits WHERE from_day = ${from} AND to_day = ${to} AND currency = ${currency}`.execute(db);
  return rows[0] ? { computedAt: rows[0].computed_at, fit: rows[0].fit } : null;
}

/** Stores the fit of a range, replacing the one before; fits of ranges ending before `to` go (the cron keeps the latest). */
export async function saveMarkovFit(db: Db, from: string, to: string, currency: string, computedAt: string, fit: string): Promise<void> {
  await db.d1.batch([
    db.d1.prepare('DELETE FROM markov_fits WHERE to_day < ?1').bind(to),
    db.d1
      .prepare(
        `INSERT INTO markov_fits (from_day, to_day, currency, computed_at, fit) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (from_day, to_day, currency) DO UPDATE SET computed_at = excluded.computed_at, fit = excluded.fit`,
      )
      .bind(from, to, currency, computedAt, fit),
  ]);
}
