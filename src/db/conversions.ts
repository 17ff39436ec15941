/** Conversions, their stored credits, the visitors they considered, and identity links. */
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { AttributionTouch } from '../domain/attribution';
import type { AttributionModel, Channel, DeviceClass } from '../domain/vocab';
import { MAX_PARAMS, runAtomically, type Db } from './client';
import type { ConversionCreditRow, ConversionRow, NewConversion, NewConversionCredit } from './schema';

export type Conversion = ConversionRow;

const compilable = (db: Db, query: RawBuilder<unknown>): Compilable => ({ compile: () => query.compile(db) });

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

/**
 * In one read: the visitor of a click id (null when the click is unknown) and the
 * visitors stitched to a customer.
 */
export async function findConversionVisitors(
  db: Db,
  clickId: string | null,
  customerHash: string | null,
): Promise<{ clickVisitorId: string | null; stitchedVisitorIds: string[] }> {
  const { rows } = await sql<{ source: string; visitor_id: string | null }>`
    SELECT 'click' AS source, visitor_id FROM touches WHERE id = ${clickId ?? ''}
    UNION ALL
    SELECT 'customer' AS source, visitor_id FROM identity_links WHERE customer_hash = ${customerHash ?? ''}`.execute(db);
  return {
    clickVisitorId: rows.find((row) => row.source === 'click')?.visitor_id ?? null,
    stitchedVisitorIds: rows.filter((row) => row.source === 'customer' && row.visitor_id).map((row) => row.visitor_id as string),
  };
}

/** Human touches of `visitorIds` between two ISO times (inclusive), plus the touches `touchIds`, in one read per 90 visitors. */
export async function findTouchesOfVisitors(
  db: Db,
  visitorIds: readonly string[],
  touchIds: readonly string[],
  fromIso: string,
  toIso: string,
): Promise<StoredTouch[]> {
  const rows: TouchPick[] = [];
  const byId = touchIds.length > 0 ? db.selectFrom('touches').select(touchColumns).where('id', 'in', [...touchIds]) : null;
  for (let i = 0; i === 0 || i < visitorIds.length; i += 90) {
    const chunk = visitorIds.slice(i, i + 90);
    const ofVisitors = db
      .selectFrom('touches')
      .select(touchColumns)
      .where('visitor_id', 'in', chunk.length > 0 ? chunk : [''])
      .where('occurred_at', '>=', fromIso)
      .where('occurred_at', '<=', toIso)
      .where('is_bot', '=', 0);
    rows.push(...(await (i === 0 && byId ? ofVisitors.unionAll(byId) : ofVisitors).execute()));
  }
  return rows.map(toStoredTouch);
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

/**
 * Inserts rows that belong to conversion `id` only if that conversion row exists
 * (i.e. its insert in the same batch won the order_id race): INSERT … SELECT … WHERE EXISTS.
 */
function insertIfConversionExists(db: Db, table: string, columns: readonly string[], rows: readonly unknown[][], id: string): Compilable[] {
  const perStatement = Math.floor((MAX_PARAMS - 1) / columns.length);
  const statements: Compilable[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows.slice(i, i + perStatement).map((row) => sql`(${sql.join(row)})`);
    statements.push(
      compilable(
        db,
        sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
            SELECT * FROM (VALUES ${sql.join(values)})
            WHERE EXISTS (SELECT 1 FROM conversions WHERE id = ${id})`,
      ),
    );
  }
  return statements;
}

/**
 * Writes a conversion with its visitors, credits (whose triggers fill the credit
 * rollups) and identity links as one D1 batch. A conversion whose order_id is
 * already stored is skipped by ON CONFLICT, and so are its dependent rows.
 * Resolves to the id stored under the order_id (read in the same batch, after the
 * insert): the new id, or the first conversion's for a repeated order.
 */
export async function insertConversion(db: Db, write: ConversionWrite): Promise<string> {
  const id = write.conversion.id;
  const statements: Compilable[] = [
    db.insertInto('conversions').values(write.conversion).onConflict((oc) => oc.column('order_id').doNothing()),
    ...insertIfConversionExists(db, 'conversion_visitors', ['conversion_id', 'visitor_id'], write.visitorIds.map((v) => [id, v]), id),
    ...insertIfConversionExists(db, 'conversion_credits', CREDIT_COLUMNS, write.credits.map((credit) => CREDIT_COLUMNS.map((c) => credit[c] ?? null)), id),
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
  const results = await runAtomically(db, statements);
  if (!orderId) return id;
  const stored = results[results.length - 1].results as Array<{ id: string }>;
  return stored[0]?.id ?? id;
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
