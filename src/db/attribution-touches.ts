/**
 * Touch rows as attribution reads them: the columns, their mapping to StoredTouch, and the one-query conversion
 * context (a click's touch, the visitors stitched to a customer, their touches in the window) on one touch database.
 */
import type { AttributionTouch, TouchRoute } from '../domain/attribution';
import type { Channel, DeviceClass } from '../domain/vocab';
import type { Db } from './client';
import { onEveryShard } from './shards';

/** A touch row as attribution needs it. */
export interface StoredTouch extends AttributionTouch {
  type: string;
  visitorId: string | null;
  /** Where it came from, for the credits' origin rollup (schema/0032). */
  country: string | null;
  referrerHost: string | null;
}

const touchColumns = [
  'id',
  'type',
  'occurred_at',
  'channel',
  'campaign_id',
  'link_id',
  'device_class',
  'is_bot',
  'visitor_id',
  'rule',
  'variant',
  'after_cap',
  'country',
  'referrer_host',
] as const;

export type TouchPick = {
  id: string;
  type: string;
  occurred_at: string;
  channel: Channel;
  campaign_id: string | null;
  link_id: string | null;
  device_class: DeviceClass;
  is_bot: 0 | 1;
  visitor_id: string | null;
  rule: string | null;
  variant: string | null;
  after_cap: number;
  country?: string | null;
  referrer_host?: string | null;
};

export const toStoredTouch = (row: TouchPick): StoredTouch => ({
  id: row.id,
  type: row.type,
  occurredAt: Date.parse(row.occurred_at),
  channel: row.channel,
  campaignId: row.campaign_id,
  linkId: row.link_id,
  deviceClass: row.device_class,
  isBot: row.is_bot === 1,
  visitorId: row.visitor_id,
  route: routeOf(row),
  country: row.country ?? null,
  referrerHost: row.referrer_host ?? null,
});

/** A touch row's route, or null for a plain touch. */
export const routeOf = (row: { rule?: string | null; variant?: string | null; after_cap?: number | null }): TouchRoute | null =>
  (row.rule ?? null) !== null || (row.variant ?? null) !== null || row.after_cap === 1
    ? { rule: row.rule ?? null, variant: row.variant ?? null, afterCap: row.after_cap === 1 }
    : null;

/** What a conversion is attributed from: its click's visitor, the visitors stitched to its customer, and their touches. */
export interface ConversionContext {
  /** Whether the click id's touch is stored (it may still be on its way: touches are written after the redirect). */
  clickFound: boolean;
  clickVisitorId: string | null;
  stitchedVisitorIds: string[];
  /** The conversion's own visitors: its click's and its visitor id. */
  ownVisitorIds: string[];
  /** Every visitor whose touches are candidates: its own and those stitched to its customer. */
  visitorIds: string[];
  /** How many human touches of those visitors were in the window when read (see insertConversion). */
  visitorTouchCount: number;
  /**
   * What the conversion's write batch re-checks on the database it is written to (see requeueIfTouchesArrived): with
   * one shard, clickFound and visitorTouchCount; with several, their part stored on that database (the main one,
   * shard 0, or the conversion's own shard when conversions are sharded).
   */
  onHome: { clickFound: boolean; visitorTouchCount: number };
  /** Human touches of every linked visitor between the two times, plus the click id's own touch (whatever its time or bot flag). */
  touches: StoredTouch[];
  /** Those of `touches` that came through a tell-a-friend link (carry a referrer). */
  referredTouchIds: Set<string>;
  /** Whether a bonus program is set up (read with the rest, so a sale without one costs no further read). */
  loyaltyProgram: boolean;
}

export const unique = (values: ReadonlyArray<string | null | undefined>): string[] => [...new Set(values.filter((v): v is string => !!v))];

type ContextRow = { source: 'click' | 'customer' | 'visitor'; referred: 0 | 1 | null } & { [K in keyof TouchPick]: TouchPick[K] | null };

/** The touch columns attribution reads, as a SELECT list. */
export const touchList = touchColumns.join(', ');

/*
 * The statements of conversion ingest are written once rather than built per
 * request: building them with Kysely was a large share of the request's CPU.
 * Here ?1 click id, ?2 visitor id, ?3 customer hash, ?4/?5 the window.
 */
const CONTEXT_SQL = `
  WITH linked (visitor_id) AS (
    SELECT visitor_id FROM touches WHERE id = ?1
    UNION SELECT ?2
    UNION SELECT visitor_id FROM identity_links WHERE customer_hash = ?3)
  SELECT 'click' AS source, referrer_hash IS NOT NULL AS referred, ${touchList} FROM touches WHERE id = ?1
  UNION ALL
  SELECT 'customer', NULL, ${touchColumns.map((c) => (c === 'visitor_id' ? c : 'NULL')).join(', ')} FROM identity_links WHERE customer_hash = ?3
  UNION ALL
  SELECT 'visitor', referrer_hash IS NOT NULL, ${touchList} FROM touches
  WHERE visitor_id IN (SELECT visitor_id FROM linked) AND occurred_at >= ?4 AND occurred_at <= ?5 AND is_bot = 0`;

/**
 * In one read: the touch of a click id, the visitors stitched to a customer, and
 * the human touches between two ISO times (inclusive) of every visitor linked to
 * the conversion (click id's visitor, its own visitor id, stitched visitors).
 * One touch database; conversion-context.ts chooses between this and the sharded read.
 */
export async function findContextInOneQuery(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
): Promise<ConversionContext> {
  const [context, program] = await db.d1.batch([
    db.d1.prepare(CONTEXT_SQL).bind(link.clickId ?? '', link.visitorId, link.customerHash ?? '', fromIso, toIso),
    db.d1.prepare("SELECT 1 AS found FROM loyalty_program WHERE id = 'program'"),
  ]);
  const rows = context.results as ContextRow[];
  const click = rows.find((row) => row.source === 'click');
  const touchRows = rows.filter((row) => row.source !== 'customer') as Array<ContextRow & TouchPick>;
  const stitchedVisitorIds = rows.filter((row) => row.source === 'customer' && row.visitor_id).map((row) => row.visitor_id as string);
  const ownVisitorIds = unique([click?.visitor_id, link.visitorId]);
  return {
    clickFound: click !== undefined,
    clickVisitorId: click?.visitor_id ?? null,
    stitchedVisitorIds,
    ownVisitorIds,
    visitorIds: unique([...ownVisitorIds, ...stitchedVisitorIds]),
    visitorTouchCount: rows.filter((row) => row.source === 'visitor').length,
    onHome: { clickFound: click !== undefined, visitorTouchCount: rows.filter((row) => row.source === 'visitor').length },
    touches: touchRows.map(toStoredTouch),
    referredTouchIds: new Set(touchRows.filter((row) => row.referred === 1).map((row) => row.id)),
    loyaltyProgram: program.results.length > 0,
  };
}

/** Types of the given touches, by id (read on every touch shard, in parallel). */
export async function findTouchTypes(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const perShard = await onEveryShard(db, (shard) =>
    shard.d1
      .prepare('SELECT id, type FROM touches WHERE id IN (SELECT value FROM json_each(?1))')
      .bind(JSON.stringify(ids))
      .all<{ id: string; type: string }>()
      .then((r) => r.results),
  );
  return new Map(perShard.flat().map((row) => [row.id, row.type]));
}

/** One stored touch as attribution needs it (a conversion's promo redemption), or null. */
export async function findStoredTouch(db: Db, id: string): Promise<StoredTouch | null> {
  const row = await db.d1.prepare(`SELECT ${touchList} FROM touches WHERE id = ?1`).bind(id).first<TouchPick>();
  return row ? toStoredTouch(row) : null;
}
