/** Conversions, their stored credits, the visitors they considered, and identity links (touch rows as attribution reads them: attribution-touches.ts). */
import type { Compilable } from 'kysely';
import type { AttributionModel } from '../domain/vocab';
import { jsonInsertStatements, runAtomically, type Db } from './client';
import { findOnConversionShards, onEveryConversionShard, type ConversionHome } from './shards';
import type { ConversionCreditRow, ConversionRow, NewConversion, NewConversionPath } from './schema';

export type Conversion = ConversionRow;

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
