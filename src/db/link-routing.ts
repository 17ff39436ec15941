/** A link's routing columns (schema/0027) and the atomic click counter of capped links. */
import type { RoutingFields } from '../domain/link-routing';
import type { Db } from './client';
import type { LinkRow } from './schema';

export const ROUTING_COLUMNS = ['rules', 'variants', 'max_clicks', 'fallback_url'] as const;

const parsed = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

/** The routing fields of a stored link. */
export const routingOfRow = (row: Pick<LinkRow, (typeof ROUTING_COLUMNS)[number]>): RoutingFields => ({
  rules: parsed(row.rules),
  variants: parsed(row.variants),
  maxClicks: row.max_clicks,
  fallbackUrl: row.fallback_url,
});

const json = (value: unknown[] | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null || value.length === 0 ? null : JSON.stringify(value);

/** The columns of the routing fields given (undefined ones are left out of an update; an empty list is stored as none). */
export const routingRow = (fields: Partial<RoutingFields>) => ({
  rules: json(fields.rules),
  variants: json(fields.variants),
  max_clicks: fields.maxClicks,
  fallback_url: fields.fallbackUrl,
});

/**
 * Counts a visit of a capped link and answers the count after it, in one upsert on the main database (D1 runs
 * writes one at a time, so concurrent visits each see their own number). `add` 0 reads the count without taking
 * a place (a bot's visit).
 */
export async function countCappedClick(db: Db, linkId: string, add: 0 | 1): Promise<number> {
  const row = await db.d1
    .prepare('INSERT INTO link_click_counts (link_id, clicks) VALUES (?1, ?2) ON CONFLICT (link_id) DO UPDATE SET clicks = clicks + ?2 RETURNING clicks')
    .bind(linkId, add)
    .first<{ clicks: number }>();
  return row!.clicks;
}
