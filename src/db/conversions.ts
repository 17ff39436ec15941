/** Conversions, their stored credits, the visitors they considered, and identity links. */
import { sql, type Compilable } from 'kysely';
import type { AttributionTouch } from '../domain/attribution';
import type { AttributionModel, Channel, DeviceClass } from '../domain/vocab';
import { jsonInsertStatements, runAtomically, type Db } from './client';
import type { ConversionCreditRow, ConversionRow, NewConversion, NewConversionCredit } from './schema';

export type Conversion = ConversionRow;

/** A touch row as attribution needs it. */
export interface StoredTouch extends AttributionTouch {
  type: string;
  visitorId: string | null;
}

const touchColumns = ['id', 'type', 'occurred_at', 'channel', 'campaign_id', 'link_id', 'device_class', 'is_bot', 'visitor_id'] as const;

type TouchPick = { id: string; type: string; occurred_at: string; channel: Channel; campaign_id: string | null; link_id: string | null; device_class: DeviceClass; is_bot: 0 | 1; visitor_id: string | null };

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
});

/** What a conversion is attributed from: its click's visitor, the visitors stitched to its customer, and their touches. */
export interface ConversionContext {
  clickVisitorId: string | null;
  stitchedVisitorIds: string[];
  /** Human touches of every linked visitor between the two times, plus the click id's own touch (whatever its time or bot flag). */
  touches: StoredTouch[];
}

type ContextRow = { source: 'click' | 'customer' | 'visitor' } & { [K in keyof TouchPick]: TouchPick[K] | null };

/**
 * In one read: the touch of a click id, the visitors stitched to a customer, and
 * the human touches between two ISO times (inclusive) of every visitor linked to
 * the conversion (click id's visitor, its own visitor id, stitched visitors).
 */
export async function findConversionContext(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
): Promise<ConversionContext> {
  const clickId = link.clickId ?? '';
  const customerHash = link.customerHash ?? '';
  const columns = sql.join(touchColumns.map((c) => sql.ref(c)));
  const { rows } = await sql<ContextRow>`
    WITH linked (visitor_id) AS (
      SELECT visitor_id FROM touches WHERE id = ${clickId}
      UNION SELECT ${link.visitorId}
      UNION SELECT visitor_id FROM identity_links WHERE customer_hash = ${customerHash})
    SELECT 'click' AS source, ${columns} FROM touches WHERE id = ${clickId}
    UNION ALL
    SELECT 'customer', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, visitor_id FROM identity_links WHERE customer_hash = ${customerHash}
    UNION ALL
    SELECT 'visitor', ${columns} FROM touches
    WHERE visitor_id IN (SELECT visitor_id FROM linked) AND occurred_at >= ${fromIso} AND occurred_at <= ${toIso} AND is_bot = 0`.execute(db);
  const click = rows.find((row) => row.source === 'click');
  return {
    clickVisitorId: click?.visitor_id ?? null,
    stitchedVisitorIds: rows.filter((row) => row.source === 'customer' && row.visitor_id).map((row) => row.visitor_id as string),
    touches: rows.filter((row) => row.source !== 'customer').map((row) => toStoredTouch(row as TouchPick)),
  };
}

export interface ConversionWrite {
  conversion: NewConversion;
  visitorIds: readonly string[];
  credits: readonly NewConversionCredit[];
  /** Visitors to stitch to conversion.customer_hash. */
  stitchVisitorIds: readonly string[];
}

const CREDIT_COLUMNS = [
  'conversion_id', 'model', 'position', 'touch_id', 'touch_at', 'channel', 'campaign_id', 'link_id',
  'device_class', 'weight', 'revenue', 'currency', 'day', 'hour',
] as const satisfies readonly (keyof NewConversionCredit)[];

/** Rows of conversion `id` are inserted only if that conversion row exists, i.e. its insert in the same batch won the order_id race. */
const ifConversionStored = (id: string) => ({ orIgnore: false, onlyIf: { sql: 'EXISTS (SELECT 1 FROM conversions WHERE id = ?2)', params: [id] } });

/**
 * Writes a conversion with its visitors, credits (whose triggers fill the credit
 * rollups) and identity links as one D1 batch. A conversion whose order_id is
 * already stored is skipped by ON CONFLICT, and so are its dependent rows.
 * Resolves to the id stored under the order_id (read in the same batch, after the
 * insert): the new id, or the first conversion's for a repeated order; and to the
 * rows of `followUp`, a read run last in the batch (sparing the caller a round trip).
 */
export async function insertConversion<R = never>(
  db: Db,
  write: ConversionWrite,
  followUp?: Compilable<R>,
): Promise<{ storedId: string; followUpRows: R[] }> {
  const id = write.conversion.id;
  const visitors = write.visitorIds.map((visitor_id) => ({ conversion_id: id, visitor_id }));
  const statements: (Compilable | D1PreparedStatement)[] = [
    db.insertInto('conversions').values(write.conversion).onConflict((oc) => oc.column('order_id').doNothing()),
    ...jsonInsertStatements(db, 'conversion_visitors', ['conversion_id', 'visitor_id'], visitors, ifConversionStored(id)),
    ...jsonInsertStatements(db, 'conversion_credits', CREDIT_COLUMNS, write.credits, ifConversionStored(id)),
  ];
  const customerHash = write.conversion.customer_hash;
  if (customerHash && write.stitchVisitorIds.length > 0) {
    const createdAt = write.conversion.created_at;
    statements.push(
      db
        .insertInto('identity_links')
        .values(write.stitchVisitorIds.map((visitor_id) => ({ customer_hash: customerHash, visitor_id, created_at: createdAt })))
        .onConflict((oc) => oc.doNothing()),
    );
  }
  const orderId = write.conversion.order_id;
  if (orderId) statements.push(db.selectFrom('conversions').select('id').where('order_id', '=', orderId));
  if (followUp) statements.push(followUp);
  const results = await runAtomically(db, statements);
  const followUpRows = followUp ? (results[results.length - 1].results as R[]) : [];
  if (!orderId) return { storedId: id, followUpRows };
  const stored = results[results.length - (followUp ? 2 : 1)].results as Array<{ id: string }>;
  return { storedId: stored[0]?.id ?? id, followUpRows };
}

/** One conversion by id. */
export async function findConversionById(db: Db, id: string): Promise<Conversion | null> {
  return (await db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Stored credits of a conversion (one model, or all), in path order. */
export async function findCredits(db: Db, conversionId: string, model?: AttributionModel): Promise<ConversionCreditRow[]> {
  let query = db.selectFrom('conversion_credits').selectAll().where('conversion_id', '=', conversionId);
  if (model) query = query.where('model', '=', model);
  return query.orderBy('model').orderBy('position').execute();
}

/** Types of the given touches, by id. */
export async function findTouchTypes(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db.selectFrom('touches').select(['id', 'type']).where('id', 'in', ids.slice(i, i + 90)).execute();
    for (const row of rows) types.set(row.id, row.type);
  }
  return types;
}
