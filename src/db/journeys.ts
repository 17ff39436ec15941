/**
 * Journeys for the data-driven model and the conversion-paths report, aggregated in SQL so that the cost stays in
 * the database: the candidate path of every conversion of a range (conversion_paths, in candidate order) and every
 * visitor's human touches of the range on every touch shard, each grouped by their channel sequence.
 * Paths are channel names joined with '>' (no channel name holds one).
 */
import { sql } from 'kysely';
import type { Db } from './client';
import { sumRowsBy } from './shard-merge';
import { onEveryConversionShard, onEveryShard } from './shards';

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

/**
 * Conversions of the UTC days [from, to] that had a candidate touch, grouped by path, length, days from the first touch,
 * currency and day; with `campaignId`, those with a candidate touch of that campaign.
 */
export async function conversionJourneys(db: Db, from: string, to: string, campaignId?: string): Promise<ConversionJourneyRow[]> {
  // A conversion and its path sit on one conversion shard: the groups of every shard add up.
  const perShard = await onEveryConversionShard(db, (shard) => shardJourneys(shard, from, to, campaignId));
  if (perShard.length === 1) return perShard[0];
  const key = (row: ConversionJourneyRow) => JSON.stringify([row.path, row.touches, row.days, row.currency ?? '', row.day]);
  const order = (a: ConversionJourneyRow, b: ConversionJourneyRow) =>
    a.path < b.path
      ? -1
      : a.path > b.path
        ? 1
        : a.touches - b.touches || a.days - b.days || compare(a.currency ?? '', b.currency ?? '') || compare(a.day, b.day);
  return sumRowsBy(perShard.flat(), key, ['conversions', 'value']).sort(order);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function shardJourneys(db: Db, from: string, to: string, campaignId?: string): Promise<ConversionJourneyRow[]> {
  const campaign = campaignId ? sql` AND EXISTS (SELECT 1 FROM conversion_paths q WHERE q.conversion_id = c.id AND q.campaign_id = ${campaignId})` : sql``;
  const { rows } = await sql<Record<keyof ConversionJourneyRow, string | number | null>>`
    SELECT path, touches, days, currency, day, COUNT(*) AS conversions, SUM(value) AS value
    FROM (
      SELECT c.currency, c.day, coalesce(max(p.net), 0) AS value, COUNT(*) AS touches,
        group_concat(p.channel, ${PATH_SEPARATOR} ORDER BY p.position) AS path,
        CAST((julianday(c.occurred_at) - julianday(min(p.touch_at))) * 86400000 + 0.5 AS INTEGER) / 86400000 AS days
      FROM conversions c JOIN conversion_paths p ON p.conversion_id = c.id AND p.touch_id IS NOT NULL
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

/** Visitors by the channel sequence of their human touches in [from, to] (every shard; a visitor lives on one). */
export async function visitorPaths(db: Db, from: string, to: string): Promise<Array<{ path: string; visitors: number }>> {
  const perShard = await onEveryShard(db, async (shard) => {
    const { rows } = await sql<{ path: string; visitors: number }>`
      SELECT path, COUNT(*) AS visitors
      FROM (
        SELECT group_concat(channel, ${PATH_SEPARATOR} ORDER BY occurred_at, id) AS path
        FROM touches
        WHERE is_bot = 0 AND visitor_id IS NOT NULL AND occurred_at >= ${from} AND occurred_at < ${`${to}T24`}
        GROUP BY visitor_id
      )
      GROUP BY path`.execute(shard);
    return rows.map((row) => ({ path: row.path, visitors: Number(row.visitors) }));
  });
  return sumRowsBy(perShard.flat(), (row) => row.path, ['visitors']);
}
