/** Conversions, their stored credits, the visitors they considered, and identity links. */
import type { Compilable } from 'kysely';
import type { AttributionTouch, TouchRoute } from '../domain/attribution';
import type { AttributionModel, Channel, DeviceClass } from '../domain/vocab';
import { jsonInsertStatements, runAtomically, type Db } from './client';
import { findOnConversionShards, onEveryConversionShard, onEveryShard, type ConversionHome } from './shards';
import type { ConversionCreditRow, ConversionRow, NewConversion, NewConversionPath } from './schema';

export type Conversion = ConversionRow;

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

/** Every stored column of a credit row (conversion_paths), in the order they are written and archived. */
export const PATH_COLUMNS = [
  'conversion_id',
  'position',
  'touch_id',
  'touch_at',
  'channel',
  'campaign_id',
  'link_id',
  'device_class',
  'net',
  'w_last_touch',
  'w_first_touch',
  'w_linear',
  'w_time_decay',
  'w_position',
  'rule',
  'variant',
  'after_cap',
  'country',
  'referrer_host',
] as const satisfies readonly (keyof NewConversionPath)[];

const CONVERSION_COLUMNS = [
  'id',
  'type',
  'order_id',
  'click_id',
  'visitor_id',
  'customer_hash',
  'promo_code',
  'promo_touch_id',
  'value',
  'currency',
  'occurred_at',
  'day',
  'lookback_days',
  'created_at',
] as const satisfies readonly (keyof NewConversion)[];

/** A repeated order_id keeps the first conversion (ON CONFLICT), and the batch reads which one is stored. */
const INSERT_CONVERSION_SQL = `INSERT INTO conversions (${CONVERSION_COLUMNS.join(', ')})
  VALUES (${CONVERSION_COLUMNS.map((_, i) => `?${i + 1}`).join(', ')}) ON CONFLICT (order_id) DO NOTHING`;

/** Guards of the rows that hang off a conversion: ?2 onwards (?1 is the rows' JSON). */
export interface RowGuard {
  sql: string;
  params: readonly unknown[];
}

/** Its insert in the same batch won the order_id race. */
const conversionStored = (id: string): RowGuard => ({ sql: 'EXISTS (SELECT 1 FROM conversions WHERE id = ?2)', params: [id] });

/** What hangs off a conversion: the visitors it considered, its credits under every model, its customer's identity links. */
export interface ConversionRows {
  visitorIds: readonly string[];
  /** Its credits: one row per candidate touch with the weights of every model (conversion_paths). */
  credits: readonly NewConversionPath[];
  customerHash: string | null;
  /** Visitors to stitch to customerHash. */
  stitchVisitorIds: readonly string[];
  createdAt: string;
  /** What the attribution read: if the store holds more by the time of the write, the conversion is queued (again). */
  seen: { clickFound: boolean; clickId: string | null; visitorTouchCount: number; fromIso: string; occurredAt: string };
}

/**
 * The statements writing a conversion's rows while `guard` holds, then queueing it
 * for re-attribution if touches it was attributed without were stored meanwhile.
 * The same for its first write and every re-attribution; the requeue comes last.
 */
export function conversionRowStatements(db: Db, id: string, rows: ConversionRows, guard: RowGuard): D1PreparedStatement[] {
  const only = { onlyIf: guard };
  const visitors = rows.visitorIds.map((visitor_id) => ({ conversion_id: id, visitor_id }));
  const statements = [
    ...jsonInsertStatements(db, 'conversion_visitors', ['conversion_id', 'visitor_id'], visitors, only),
    ...jsonInsertStatements(db, 'conversion_paths', PATH_COLUMNS, rows.credits, { ...only, orIgnore: false }),
  ];
  const customerHash = rows.customerHash;
  if (customerHash) {
    const links = rows.stitchVisitorIds.map((visitor_id) => ({ customer_hash: customerHash, visitor_id, created_at: rows.createdAt }));
    statements.push(...jsonInsertStatements(db, 'identity_links', ['customer_hash', 'visitor_id', 'created_at'], links, only));
  }
  const { seen } = rows;
  const requeueGuard = guard.sql.replaceAll('?3', '?8').replaceAll('?2', '?1');
  statements.push(
    db.d1
      .prepare(requeueIfTouchesArrived(requeueGuard))
      // ?7 unused, ?8 onwards the guard's own parameters after the id (SQLite refuses a parameter past the highest placeholder).
      .bind(
        id,
        seen.clickFound ? 1 : 0,
        seen.clickId ?? '',
        seen.fromIso,
        seen.occurredAt,
        seen.visitorTouchCount,
        ...(guard.params.length > 1 ? [null, ...guard.params.slice(1)] : []),
      ),
  );
  return statements;
}

/*
 * The touches a conversion was attributed from were read one round trip before
 * its write; a touch of it stored in between would be missed for good (the
 * late-touch trigger could not see the conversion, or the visitor, yet). So the
 * write batch compares what is stored now with what was read — ?2 whether the
 * click was found, ?3 the click id, ?4/?5 the window, ?6 the human touches of its
 * visitors — and queues the conversion (again) when they differ.
 */
const requeueIfTouchesArrived = (guard: string) => `
  INSERT INTO pending_attributions (conversion_id)
  SELECT ?1 WHERE ${guard} AND (
    (?2 = 0 AND EXISTS (SELECT 1 FROM touches WHERE id = ?3))
    OR (SELECT COUNT(*) FROM touches
        WHERE visitor_id IN (SELECT visitor_id FROM conversion_visitors WHERE conversion_id = ?1)
          AND occurred_at >= ?4 AND occurred_at <= ?5 AND is_bot = 0) <> ?6)
  ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1
  RETURNING version`;

export interface ConversionWrite extends ConversionRows {
  conversion: NewConversion;
}

/**
 * Writes a conversion with its visitors, credits (whose triggers fill the credit
 * rollups) and identity links as one D1 batch. A conversion whose order_id is
 * already stored is skipped by ON CONFLICT, and so are its dependent rows.
 * Resolves to the id stored under the order_id (read in the same batch, after the
 * insert): the new id, or the first conversion's for a repeated order; to the
 * rows of `followUp`, a read run last in the batch (sparing the caller a round
 * trip); and to the queue version when touches arrived during its attribution.
 */
export async function insertConversion<R = never>(
  db: Db,
  write: ConversionWrite,
  followUp?: Compilable<R>,
): Promise<{ storedId: string; followUpRows: R[]; queuedVersion: number | null }> {
  const id = write.conversion.id;
  const conversion = CONVERSION_COLUMNS.map((column) => write.conversion[column] ?? null);
  const statements: (Compilable | D1PreparedStatement)[] = [
    db.d1.prepare(INSERT_CONVERSION_SQL).bind(...conversion),
    ...conversionRowStatements(db, id, write, conversionStored(id)),
  ];
  const requeueAt = statements.length - 1;
  const orderId = write.conversion.order_id;
  if (orderId) statements.push(db.d1.prepare('SELECT id FROM conversions WHERE order_id = ?1').bind(orderId));
  if (followUp) statements.push(followUp);
  const results = await runAtomically(db, statements);
  const queuedVersion = (results[requeueAt].results as Array<{ version: number }>)[0]?.version ?? null;
  const followUpRows = followUp ? (results[results.length - 1].results as R[]) : [];
  if (!orderId) return { storedId: id, followUpRows, queuedVersion };
  const stored = results[results.length - (followUp ? 2 : 1)].results as Array<{ id: string }>;
  return { storedId: stored[0]?.id ?? id, followUpRows, queuedVersion };
}

/** One conversion by id. */
export async function findConversionById(db: Db, id: string): Promise<Conversion | null> {
  return (await db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** One conversion by id on whichever database holds it (every conversion shard asked in parallel), with that database. */
export async function findConversionAnywhere(db: Db, id: string): Promise<{ conversion: Conversion; home: ConversionHome } | null> {
  const found = await findOnConversionShards(db, (shard) => findConversionById(shard, id));
  return found ? { conversion: found.value, home: found.home } : null;
}

/** The id and database of the conversion stored under `orderId`, on whichever conversion shard holds it (asked in parallel). */
export async function findOrderAnywhere(db: Db, orderId: string): Promise<{ id: string; home: ConversionHome } | null> {
  const found = await findOnConversionShards(db, (shard) =>
    shard.d1
      .prepare('SELECT id FROM conversions WHERE order_id = ?1')
      .bind(orderId)
      .first<{ id: string }>()
      .then((row) => row?.id ?? null),
  );
  return found ? { id: found.value, home: found.home } : null;
}

/** Stored credits of a conversion (one model, or all), in path order. */
export async function findCredits(db: Db, conversionId: string, model?: AttributionModel): Promise<ConversionCreditRow[]> {
  let query = db.selectFrom('conversion_credits').selectAll().where('conversion_id', '=', conversionId);
  if (model) query = query.where('model', '=', model);
  return query.orderBy('model').orderBy('position').execute();
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

/**
 * What the conversions of UTC days [fromDay, toDay] can be attributed from: every
 * visitor linked to them (recorded, their own, stitched to their customers),
 * their click ids, and the longest lookback among them (0 when there are none).
 */
export async function periodAttributionKeys(
  db: Db,
  fromDay: string,
  toDay: string,
): Promise<{ visitorIds: string[]; clickIds: string[]; longestLookback: number }> {
  // Every conversion shard's part (the main database alone unless conversions are sharded), put together.
  const parts = await onEveryConversionShard(db, (shard) => shardAttributionKeys(shard, fromDay, toDay));
  if (parts.length === 1) return parts[0];
  return {
    visitorIds: [...new Set(parts.flatMap((part) => part.visitorIds))],
    clickIds: parts.flatMap((part) => part.clickIds),
    longestLookback: Math.max(0, ...parts.map((part) => part.longestLookback)),
  };
}

async function shardAttributionKeys(db: Db, fromDay: string, toDay: string): Promise<{ visitorIds: string[]; clickIds: string[]; longestLookback: number }> {
  const [visitors, clicks] = await db.d1.batch([
    db.d1
      .prepare(
        `SELECT cv.visitor_id FROM conversions c JOIN conversion_visitors cv ON cv.conversion_id = c.id WHERE c.day >= ?1 AND c.day <= ?2
         UNION SELECT visitor_id FROM conversions WHERE day >= ?1 AND day <= ?2 AND visitor_id IS NOT NULL
         UNION SELECT il.visitor_id FROM conversions c JOIN identity_links il ON il.customer_hash = c.customer_hash WHERE c.day >= ?1 AND c.day <= ?2`,
      )
      .bind(fromDay, toDay),
    db.d1.prepare('SELECT click_id, lookback_days FROM conversions WHERE day >= ?1 AND day <= ?2').bind(fromDay, toDay),
  ]);
  const clickRows = clicks.results as Array<{ click_id: string | null; lookback_days: number }>;
  return {
    visitorIds: (visitors.results as Array<{ visitor_id: string }>).map((row) => row.visitor_id),
    clickIds: clickRows.flatMap((row) => (row.click_id ? [row.click_id] : [])),
    longestLookback: Math.max(0, ...clickRows.map((row) => row.lookback_days)),
  };
}
