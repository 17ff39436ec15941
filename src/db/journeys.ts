/**
 * Journeys for the data-driven model and the conversion-paths report, D1's side: the candidate path of every
 * conversion of a range whose credits D1 holds (conversion_paths, in candidate order) and every visitor's human
 * touches of the range on one touch shard, aggregated in SQL so that the cost stays in the database. What the
 * archives hold of a range is added by services/journeys.ts.
 * Paths are channel names joined with '>' (no channel name holds one).
 */
import { sql } from 'kysely';
import type { Db } from './client';
import type { ConversionRow } from './schema';

export const PATH_SEPARATOR = '>';

/** Conversions of one candidate path, touch count, whole days from first touch, currency and day, with their net value (NULL-valued ones count 0). */
export interface ConversionJourneyRow {
  path: string;
  /** Candidate touches before the conversion. */
  touches: number;
  /** Whole days from the first candidate touch to the conversion. */
  days: number;
  currency: string | null;
  day: string;
  conversions: number;
  value: number;
}

/** The end of UTC day `to` as an occurred_at bound: every ISO time of that day sorts before it. */
export const endOfDay = (to: string): string => `${to}T24`;

/** Whole days from `firstTouchAt` to `occurredAt`, rounded to the millisecond as the SQL below computes them. */
export function daysToConversion(occurredAt: string, firstTouchAt: string): number {
  const ms = Math.trunc(Date.parse(occurredAt) - Date.parse(firstTouchAt) + 0.5);
  return Math.trunc(ms / 86_400_000);
}

/**
 * Conversions of the UTC days [from, to] that had a candidate touch and whose credits D1 holds, grouped by path,
 * length, days from the first touch, currency and day; with `campaignId`, those with a candidate touch of that
 * campaign. One database of conversionDbs. The range's conversions by their day index, then each one's credits by
 * their primary key, already in position order (CROSS JOIN keeps that order: SQLite's planner would scan every
 * credit row and look its conversion up — 0.42 s against 0.3 s at 50,000 conversions).
 */
export async function hotConversionJourneys(db: Db, from: string, to: string, campaignId?: string): Promise<ConversionJourneyRow[]> {
  const campaign = campaignId ? sql` AND EXISTS (SELECT 1 FROM conversion_paths q WHERE q.conversion_id = c.id AND q.campaign_id = ${campaignId})` : sql``;
  const { rows } = await sql<Record<keyof ConversionJourneyRow, string | number | null>>`
    SELECT path, touches, days, currency, day, COUNT(*) AS conversions, SUM(value) AS value
    FROM (
      SELECT c.currency, c.day, coalesce(max(p.net), 0) AS value, COUNT(*) AS touches,
        group_concat(p.channel, ${PATH_SEPARATOR} ORDER BY p.position) AS path,
        CAST((julianday(c.occurred_at) - julianday(min(p.touch_at))) * 86400000 + 0.5 AS INTEGER) / 86400000 AS days
      FROM conversions c INDEXED BY conversions_day CROSS JOIN conversion_paths p ON p.conversion_id = c.id AND p.touch_id IS NOT NULL
      WHERE c.day >= ${from} AND c.day <= ${to}${campaign}
      GROUP BY c.id
    )
    GROUP BY path, touches, days, currency, day`.execute(db);
  return rows.map((row) => ({
    path: String(row.path),
    touches: Number(row.touches),
    days: Number(row.days),
    currency: row.currency === null ? null : String(row.currency),
    day: String(row.day),
    conversions: Number(row.conversions),
    value: Number(row.value),
  }));
}

/** The conversions `ids` (a conversion database's), with what a journey needs of them. */
export async function conversionsByIds(db: Db, ids: readonly string[]): Promise<Array<Pick<ConversionRow, 'id' | 'occurred_at' | 'currency' | 'day'>>> {
  if (ids.length === 0) return [];
  const { results } = await db.d1
    .prepare('SELECT id, occurred_at, currency, day FROM conversions WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .all<Pick<ConversionRow, 'id' | 'occurred_at' | 'currency' | 'day'>>();
  return results;
}

/** The conversions among `ids` whose credits D1 holds (those are read from D1, not from an archived part). */
export async function conversionsWithHotCredits(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db.d1
    .prepare('SELECT DISTINCT conversion_id AS id FROM conversion_paths WHERE conversion_id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return new Set(results.map((row) => row.id));
}

const HUMAN_TOUCHES_OF_RANGE = (from: string, to: string) =>
  sql`is_bot = 0 AND visitor_id IS NOT NULL AND occurred_at >= ${from} AND occurred_at < ${endOfDay(to)}`;

/**
 * touches through the visitor index, which covers a journey (schema/0035: visitor, time, id, channel, is_bot): the
 * grouping by visitor streams from the index alone. Named, because SQLite's planner would take the time index for
 * the range and then look up and sort every row of it (4.8 s instead of about 0.5 s at 1M touches in 30 days).
 */
const JOURNEY_TOUCHES = sql`touches INDEXED BY touches_visitor_time`;

/** Visitors by the channel sequence of their human touches in [from, to] on one touch shard (a visitor lives on one). */
export async function visitorPathsOn(shard: Db, from: string, to: string): Promise<Array<{ path: string; visitors: number }>> {
  const { rows } = await sql<{ path: string; visitors: number }>`
    SELECT path, COUNT(*) AS visitors
    FROM (
      SELECT group_concat(channel, ${PATH_SEPARATOR} ORDER BY occurred_at, id) AS path
      FROM ${JOURNEY_TOUCHES}
      WHERE ${HUMAN_TOUCHES_OF_RANGE(from, to)}
      GROUP BY visitor_id
    )
    GROUP BY path`.execute(shard);
  return rows.map((row) => ({ path: row.path, visitors: Number(row.visitors) }));
}

/** Each visitor's channel sequence of human touches in [from, to] on one touch shard, with the time of its first touch. */
export async function visitorSequencesOn(shard: Db, from: string, to: string): Promise<Array<{ visitor_id: string; path: string; first_at: string }>> {
  const { rows } = await sql<{ visitor_id: string; path: string; first_at: string }>`
    SELECT visitor_id, group_concat(channel, ${PATH_SEPARATOR} ORDER BY occurred_at, id) AS path, min(occurred_at) AS first_at
    FROM ${JOURNEY_TOUCHES}
    WHERE ${HUMAN_TOUCHES_OF_RANGE(from, to)}
    GROUP BY visitor_id`.execute(shard);
  return rows;
}

/** The human touches in [from, to] of the visitors `visitorIds` on one touch shard (time, id and channel only). */
export async function humanTouchesOf(
  shard: Db,
  visitorIds: readonly string[],
  from: string,
  to: string,
): Promise<Array<{ visitor_id: string; occurred_at: string; id: string; channel: string }>> {
  if (visitorIds.length === 0) return [];
  const { rows } = await sql<{ visitor_id: string; occurred_at: string; id: string; channel: string }>`
    SELECT visitor_id, occurred_at, id, channel FROM touches
    WHERE visitor_id IN (SELECT value FROM json_each(${JSON.stringify(visitorIds)})) AND ${HUMAN_TOUCHES_OF_RANGE(from, to)}`.execute(shard);
  return rows;
}
