/** Promo codes, their code values and redemptions. */
import { sql, type Compilable } from 'kysely';
import type { Channel, PromoKind, RecordStatus } from '../domain/vocab';
import { toIso } from '../lib/time';
import { runAtomically, type Db } from './client';
import { pageOf, type Page } from './pagination';
import type { NewTouch, PromoCodeRow, PromoRedemptionRow } from './schema';
import { storedTouch } from './touches';

export interface PromoCode {
  id: string;
  campaignId: string;
  kind: PromoKind;
  code: string | null;
  prefix: string | null;
  count: number;
  startsAt: string | null;
  endsAt: string | null;
  maxRedemptions: number | null;
  maxPerCustomer: number | null;
  minOrderValue: number | null;
  discount: string | null;
  channel: Channel;
  redemptions: number;
  status: RecordStatus;
  createdAt: string;
  updatedAt: string;
}

export type PromoFields = Pick<PromoCode, 'startsAt' | 'endsAt' | 'maxRedemptions' | 'maxPerCustomer' | 'minOrderValue' | 'discount' | 'channel'>;
export type NewPromoCode = PromoFields & Pick<PromoCode, 'id' | 'campaignId' | 'kind' | 'code' | 'prefix' | 'count'>;

export const toPromoCode = (row: PromoCodeRow): PromoCode => ({
  id: row.id,
  campaignId: row.campaign_id,
  kind: row.kind,
  code: row.code,
  prefix: row.prefix,
  count: row.count,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  maxRedemptions: row.max_redemptions,
  maxPerCustomer: row.max_per_customer,
  minOrderValue: row.min_order_value,
  discount: row.discount,
  channel: row.channel,
  redemptions: row.redemptions,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const fieldColumns = (fields: Partial<PromoFields>) => ({
  starts_at: fields.startsAt,
  ends_at: fields.endsAt,
  max_redemptions: fields.maxRedemptions,
  max_per_customer: fields.maxPerCustomer,
  min_order_value: fields.minOrderValue,
  discount: fields.discount,
  channel: fields.channel,
});

const compiled = (db: Db, query: ReturnType<typeof sql>): Compilable => ({ compile: () => query.compile(db) });

/** Code values per INSERT, passed as one JSON parameter. */
const VALUES_PER_STATEMENT = 5_000;

const valueInserts = (db: Db, promoId: string, values: readonly { lookup: string; code: string }[], orIgnore: boolean): Compilable[] => {
  const queries: Compilable[] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_STATEMENT) {
    const json = JSON.stringify(values.slice(i, i + VALUES_PER_STATEMENT).map((v) => [v.lookup, v.code]));
    const verb = orIgnore ? sql`INSERT OR IGNORE` : sql`INSERT`;
    queries.push(
      compiled(
        db,
        sql`${verb} INTO promo_code_values (lookup, promo_code_id, code) SELECT json_extract(value, '$[0]'), ${promoId}, json_extract(value, '$[1]') FROM json_each(${json})`,
      ),
    );
  }
  return queries;
};

/**
 * Inserts a promotion and its code values in one batch. Vanity codes fail on a
 * taken lookup (UNIQUE); generated codes skip collisions. Resolves to the number of values stored.
 */
export async function insertPromoCode(db: Db, promo: NewPromoCode, values: readonly { lookup: string; code: string }[], now: number): Promise<number> {
  const row = db.insertInto('promo_codes').values({
    id: promo.id,
    campaign_id: promo.campaignId,
    kind: promo.kind,
    code: promo.code,
    prefix: promo.prefix,
    count: promo.count,
    ...fieldColumns(promo),
    channel: promo.channel,
    created_at: toIso(now),
    updated_at: toIso(now),
  });
  const count = compiled(db, sql`SELECT count(*) AS n FROM promo_code_values WHERE promo_code_id = ${promo.id}`);
  const results = await runAtomically(db, [row, ...valueInserts(db, promo.id, values, promo.kind === 'unique'), count]);
  return (results[results.length - 1].results[0] as { n: number }).n;
}

/**
 * Statements inserting a one-code promotion only while `guard` holds when its batch runs (SQL from code, e.g.
 * that a loyalty redemption was stored in the same batch). The value is INSERT OR IGNORE: a taken lookup
 * (practically never) leaves the promotion without its code, which the caller tops up with addPromoValues.
 */
export function guardedPromoStatements(
  db: Db,
  promo: NewPromoCode,
  value: { lookup: string; code: string },
  now: number,
  guard: ReturnType<typeof sql>,
): Compilable[] {
  const columns = fieldColumns(promo);
  return [
    compiled(
      db,
      sql`INSERT INTO promo_codes (id, campaign_id, kind, code, prefix, count, starts_at, ends_at, max_redemptions, max_per_customer, min_order_value, discount, channel, created_at, updated_at)
        SELECT ${promo.id}, ${promo.campaignId}, ${promo.kind}, ${promo.code}, ${promo.prefix}, ${promo.count}, ${columns.starts_at}, ${columns.ends_at},
          ${columns.max_redemptions}, ${columns.max_per_customer}, ${columns.min_order_value}, ${columns.discount}, ${columns.channel}, ${toIso(now)}, ${toIso(now)}
        WHERE ${guard}`,
    ),
    compiled(
      db,
      sql`INSERT OR IGNORE INTO promo_code_values (lookup, promo_code_id, code) SELECT ${value.lookup}, ${promo.id}, ${value.code} WHERE EXISTS (SELECT 1 FROM promo_codes WHERE id = ${promo.id})`,
    ),
  ];
}

/** Adds generated values to a promotion (collision top-up); resolves to the number it holds. */
export async function addPromoValues(db: Db, promoId: string, values: readonly { lookup: string; code: string }[]): Promise<number> {
  const count = compiled(db, sql`SELECT count(*) AS n FROM promo_code_values WHERE promo_code_id = ${promoId}`);
  const results = await runAtomically(db, [...valueInserts(db, promoId, values, true), count]);
  return (results[results.length - 1].results[0] as { n: number }).n;
}

/** Whether a code value (normalised) is taken. */
export async function isPromoLookupTaken(db: Db, lookup: string): Promise<boolean> {
  return !!(await db.selectFrom('promo_code_values').select('lookup').where('lookup', '=', lookup).executeTakeFirst());
}

/** One promotion by id. */
export async function findPromoCodeById(db: Db, id: string): Promise<PromoCode | null> {
  const row = await db.selectFrom('promo_codes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPromoCode(row) : null;
}

/** Promotions newest first, optionally of one campaign. */
export async function listPromoCodes(db: Db, filter: { campaignId?: string; limit: number; cursor?: string }): Promise<Page<PromoCode>> {
  let query = db.selectFrom('promo_codes').selectAll();
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toPromoCode), filter.limit);
}

/** Applies changed fields; null when there is no such promotion. */
export async function updatePromoCode(db: Db, id: string, fields: Partial<PromoFields> & { status?: RecordStatus }, now: number): Promise<PromoCode | null> {
  const row = await db
    .updateTable('promo_codes')
    .set({ ...fieldColumns(fields), status: fields.status, updated_at: toIso(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toPromoCode(row) : null;
}

/** The promotion behind a code value, with that value's own redemptions. */
export async function findPromoByLookup(
  db: Db,
  lookup: string,
): Promise<{ promo: PromoCode; code: string; codeRedemptions: number; campaignArchived: boolean } | null> {
  const row = await db
    .selectFrom('promo_code_values as v')
    .innerJoin('promo_codes as p', 'p.id', 'v.promo_code_id')
    .innerJoin('campaigns as k', 'k.id', 'p.campaign_id')
    .selectAll('p')
    .select(['v.code as value_code', 'v.redemptions as value_redemptions', 'k.status as campaign_status'])
    .where('v.lookup', '=', lookup)
    .executeTakeFirst();
  if (!row) return null;
  const { value_code, value_redemptions, campaign_status, ...promo } = row;
  return { promo: toPromoCode(promo), code: value_code, codeRedemptions: value_redemptions, campaignArchived: campaign_status === 'archived' };
}

/** Redemptions of a promotion by one customer. */
export async function countCustomerRedemptions(db: Db, promoId: string, customerHash: string): Promise<number> {
  const row = await db
    .selectFrom('promo_redemptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('promo_code_id', '=', promoId)
    .where('customer_hash', '=', customerHash)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The redemption of a promotion by one order, if any. */
export async function findRedemptionByOrder(db: Db, promoId: string, orderId: string): Promise<PromoRedemptionRow | null> {
  return (await db.selectFrom('promo_redemptions').selectAll().where('promo_code_id', '=', promoId).where('order_id', '=', orderId).executeTakeFirst()) ?? null;
}

/** Code values of a promotion after `after` (keyset over the lookup), for the CSV export. */
export async function pagePromoValues(db: Db, promoId: string, after: string, limit: number) {
  return db
    .selectFrom('promo_code_values')
    .select(['lookup', 'code', 'redemptions'])
    .where('promo_code_id', '=', promoId)
    .where('lookup', '>', after)
    .orderBy('lookup')
    .limit(limit)
    .execute();
}

export interface RedemptionRow {
  id: string;
  promoCodeId: string;
  lookup: string;
  orderId: string;
  customerHash: string | null;
  orderValue: number | null;
  redeemedAt: string;
}

/**
 * Stores a redemption and its touch in one D1 batch, only if the limits still
 * allow it when the batch runs: total redemptions, one use of a unique code,
 * redemptions per customer. A repeated (promotion, order) is skipped. Counters
 * and the touch follow only when the redemption row went in. Resolves to
 * whether it did.
 */
export async function insertRedemptionIfAllowed(db: Db, r: RedemptionRow, newTouch: NewTouch): Promise<boolean> {
  const stored = sql`EXISTS (SELECT 1 FROM promo_redemptions WHERE id = ${r.id})`;
  const touch = storedTouch(newTouch);
  const columns = Object.keys(touch) as (keyof NewTouch)[];
  const results = await runAtomically(db, [
    compiled(
      db,
      sql`INSERT OR IGNORE INTO promo_redemptions (id, promo_code_id, lookup, order_id, customer_hash, order_value, touch_id, redeemed_at)
        SELECT ${r.id}, p.id, ${r.lookup}, ${r.orderId}, ${r.customerHash}, ${r.orderValue}, ${touch.id}, ${r.redeemedAt}
        FROM promo_codes p JOIN promo_code_values v ON v.promo_code_id = p.id AND v.lookup = ${r.lookup}
        WHERE p.id = ${r.promoCodeId}
          AND (p.max_redemptions IS NULL OR p.redemptions < p.max_redemptions)
          AND (p.kind <> 'unique' OR v.redemptions < 1)
          AND (${r.customerHash} IS NULL OR p.max_per_customer IS NULL OR
               (SELECT count(*) FROM promo_redemptions WHERE promo_code_id = p.id AND customer_hash = ${r.customerHash}) < p.max_per_customer)`,
    ),
    compiled(db, sql`UPDATE promo_codes SET redemptions = redemptions + 1 WHERE id = ${r.promoCodeId} AND ${stored}`),
    compiled(db, sql`UPDATE promo_code_values SET redemptions = redemptions + 1 WHERE lookup = ${r.lookup} AND ${stored}`),
    compiled(
      db,
      sql`INSERT INTO touches (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT ${sql.join(columns.map((c) => touch[c] ?? null))} WHERE ${stored}`,
    ),
    compiled(db, sql`SELECT ${stored} AS stored`),
  ]);
  return (results[results.length - 1].results[0] as { stored: number }).stored === 1;
}
