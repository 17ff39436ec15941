/**
 * D1's side of the credit archive (schema/0029_credit_archive.sql): the conversion days with credits in D1, a
 * day's credits a part at a time, the parts recorded, the one batch that records a verified part and deletes its
 * rows, and the one batch that brings an archived conversion's credits back — both without touching the rollups.
 */
import type { Selectable } from 'kysely';
import { jsonInsertStatements, type Db } from './client';
import { PATH_COLUMNS } from './conversions';
import type { ConversionRow, CreditPartRow } from './schema';
import type { ConversionPathTable } from './conversion-schema';

/** A stored credit row: a conversion's candidate touch with its weight under every model. */
export type ArchivedCredit = Selectable<ConversionPathTable>;

/** Sets the flag the rollup triggers skip on, for the statements between this and `movingDone`. */
const movingStarts = (db: Db, skipSql = '0', ...params: unknown[]) =>
  db.d1.prepare(`INSERT INTO credit_archive_moving (one, skip) VALUES (1, ${skipSql})`).bind(...params);
const movingDone = (db: Db) => db.d1.prepare('DELETE FROM credit_archive_moving');

/**
 * Code-entry and promo-redemption credits (touches without a link) of the conversions `ids` (a JSON array bound as
 * ?1), per owner, model, currency ('' = none) and conversion day: what archived_code_credits keeps of them.
 */
const CODE_CREDITS_OF = `
  SELECT e.batch_id AS owner_id, 'batch' AS kind, cc.model, coalesce(cc.currency, '') AS currency, cc.day,
         SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue
  FROM conversion_credits cc JOIN code_entries e ON e.touch_id = cc.touch_id
  WHERE cc.conversion_id IN (SELECT value FROM json_each(?1)) AND cc.link_id IS NULL AND cc.weight > 0
    AND e.result = 'accepted' AND e.batch_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  UNION ALL
  SELECT r.promo_code_id, 'promo', cc.model, coalesce(cc.currency, ''), cc.day, SUM(cc.weight), SUM(coalesce(cc.revenue, 0))
  FROM conversion_credits cc JOIN promo_redemptions r ON r.touch_id = cc.touch_id
  WHERE cc.conversion_id IN (SELECT value FROM json_each(?1)) AND cc.link_id IS NULL AND cc.weight > 0
  GROUP BY 1, 2, 3, 4, 5`;

/**
 * What the all-time readers need of the conversions `ids` (JSON, ?1) once their credits leave D1 — their code
 * credits added to archived_code_credits, the first-touch credit of a customer's first conversion noted in
 * archived_first_touches — while `when` (SQL, its parameters from ?2) holds.
 */
function keepForAllTimeReaders(db: Db, ids: string, when: string, ...params: unknown[]): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `INSERT INTO archived_code_credits (owner_id, kind, model, currency, day, conversions, revenue)
         SELECT * FROM (${CODE_CREDITS_OF}) WHERE ${when}
         ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue`,
      )
      .bind(ids, ...params),
    db.d1
      .prepare(
        `INSERT OR REPLACE INTO archived_first_touches (conversion_id, channel, campaign_id)
         SELECT p.conversion_id, p.channel, p.campaign_id
         FROM conversion_paths p JOIN conversions c ON c.id = p.conversion_id
         WHERE p.conversion_id IN (SELECT value FROM json_each(?1)) AND p.w_first_touch > 0 AND c.customer_hash IS NOT NULL
           AND c.id = (SELECT f.id FROM conversions f WHERE f.customer_hash = c.customer_hash ORDER BY f.occurred_at, f.id LIMIT 1)
           AND ${when}`,
      )
      .bind(ids, ...params),
  ];
}

/** keepForAllTimeReaders undone for the conversions `ids` (JSON, ?1) whose credits came back to D1, while `when` holds. */
function forgetForAllTimeReaders(db: Db, ids: string, when: string): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `UPDATE archived_code_credits AS a SET conversions = a.conversions - x.conversions, revenue = a.revenue - x.revenue
         FROM (${CODE_CREDITS_OF}) AS x
         WHERE a.owner_id = x.owner_id AND a.kind = x.kind AND a.model = x.model AND a.currency = x.currency AND a.day = x.day AND ${when}`,
      )
      .bind(ids),
    db.d1
      .prepare(
        `DELETE FROM archived_code_credits WHERE abs(conversions) < 1e-9 AND ${when}
           AND (owner_id, kind, model, currency, day) IN (SELECT owner_id, kind, model, currency, day FROM (${CODE_CREDITS_OF}))`,
      )
      .bind(ids),
    db.d1.prepare(`DELETE FROM archived_first_touches WHERE conversion_id IN (SELECT value FROM json_each(?1)) AND ${when}`).bind(ids),
  ];
}

/** The oldest conversion day before `beforeDay` whose credits are (partly) in D1, or null. */
export async function oldestCreditDayBefore(db: Db, beforeDay: string): Promise<string | null> {
  const row = await db.d1.prepare('SELECT day FROM credit_days WHERE day < ?1 ORDER BY day LIMIT 1').bind(beforeDay).first<{ day: string }>();
  return row?.day ?? null;
}

/**
 * The credits in D1 of the first `limit` conversions (by id) of day `day` that have any, in (conversion, position)
 * order, and the day's generation read with them.
 */
export async function creditsOfDay(db: Db, day: string, limit: number): Promise<{ gen: number; rows: ArchivedCredit[] }> {
  const [gen, rows] = await db.d1.batch([
    db.d1.prepare('SELECT gen FROM credit_days WHERE day = ?1').bind(day),
    db.d1
      .prepare(
        `SELECT ${PATH_COLUMNS.join(', ')} FROM conversion_paths WHERE conversion_id IN (
           SELECT c.id FROM conversions c WHERE c.day = ?1 AND EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = c.id)
           ORDER BY c.id LIMIT ?2)
         ORDER BY conversion_id, position`,
      )
      .bind(day, limit),
  ]);
  return { gen: Number((gen.results[0] as { gen: number } | undefined)?.gen ?? 0), rows: rows.results as ArchivedCredit[] };
}

/** Forgets day `day` as one with credits in D1, unless some are (still, or again). */
export async function settleCreditDay(db: Db, day: string): Promise<void> {
  await db.d1
    .prepare(
      `DELETE FROM credit_days WHERE day = ?1
         AND NOT EXISTS (SELECT 1 FROM conversions c WHERE c.day = ?1 AND EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = c.id))`,
    )
    .bind(day)
    .run();
}

/** The number the day's next credit part gets (parts count from 1). */
export async function nextCreditPartNumber(db: Db, day: string): Promise<number> {
  const row = await db.d1.prepare('SELECT coalesce(MAX(part), 0) + 1 AS part FROM credit_parts WHERE day = ?1').bind(day).first<{ part: number }>();
  return Number(row?.part ?? 1);
}

/** Reserves a credit part ('writing'); rejects when a concurrent run took its number first. */
export async function reserveCreditPart(db: Db, part: Omit<CreditPartRow, 'state'>): Promise<void> {
  await db
    .insertInto('credit_parts')
    .values({ ...part, state: 'writing' })
    .execute();
}

/** Forgets a credit part reservation whose object could not be written or checked. */
export async function dropCreditReservation(db: Db, key: string): Promise<void> {
  await db.d1.prepare("DELETE FROM credit_parts WHERE key = ?1 AND state = 'writing'").bind(key).run();
}

/**
 * Marks a reserved credit part, whose object was written and checked, 'archived' and deletes its rows from D1
 * (the rollups keep them), in one batch — only while the day's generation is still `gen` and all `rows` rows of the
 * conversions `ids` are in D1; else nothing changes and this rejects.
 */
export async function completeCreditPart(db: Db, part: { key: string; day: string; gen: number; rows: number }, ids: readonly string[]): Promise<void> {
  const list = JSON.stringify(ids);
  const results = await db.d1.batch([
    movingStarts(db),
    db.d1
      .prepare(
        `UPDATE credit_parts SET state = 'archived' WHERE key = ?1 AND state = 'writing'
           AND (SELECT gen FROM credit_days WHERE day = ?2) = ?3
           AND (SELECT COUNT(*) FROM conversion_paths WHERE conversion_id IN (SELECT value FROM json_each(?4))) = ?5`,
      )
      .bind(part.key, part.day, part.gen, list, part.rows),
    ...keepForAllTimeReaders(db, list, "EXISTS (SELECT 1 FROM credit_parts WHERE key = ?2 AND state = 'archived')", part.key),
    db.d1
      .prepare(
        "DELETE FROM conversion_paths WHERE conversion_id IN (SELECT value FROM json_each(?1)) AND EXISTS (SELECT 1 FROM credit_parts WHERE key = ?2 AND state = 'archived')",
      )
      .bind(list, part.key),
    movingDone(db),
  ]);
  if ((results[1].meta.changes ?? 0) === 0)
    throw new Error(`archive: ${part.key} was not completed (its reservation is gone, or the day's credits changed meanwhile); nothing deleted`);
}

/** The state of credit part `key`, or null when none has that key. */
export async function creditPartState(db: Db, key: string): Promise<CreditPartRow['state'] | null> {
  const row = await db.d1.prepare('SELECT state FROM credit_parts WHERE key = ?1').bind(key).first<{ state: CreditPartRow['state'] }>();
  return row?.state ?? null;
}

/** Credit part reservations older than `beforeIso` (a run that stopped half-way). */
export async function staleCreditReservations(db: Db, beforeIso: string): Promise<string[]> {
  const { results } = await db.d1
    .prepare("SELECT key FROM credit_parts WHERE state = 'writing' AND archived_at < ?1 ORDER BY archived_at LIMIT 100")
    .bind(beforeIso)
    .all<{ key: string }>();
  return results.map((row) => row.key);
}

/** Archived parts of day `day` whose id range holds conversion `conversionId`, newest part first (the latest holds its current credits). */
export async function creditPartsHolding(db: Db, day: string, conversionId: string): Promise<string[]> {
  const { results } = await db.d1
    .prepare("SELECT key FROM credit_parts WHERE day = ?1 AND state = 'archived' AND first_id <= ?2 AND last_id >= ?2 ORDER BY part DESC")
    .bind(day, conversionId)
    .all<{ key: string }>();
  return results.map((row) => row.key);
}

/**
 * Statements putting an archived conversion's credits `rows` back into D1 (the rollups hold them already, and are
 * not touched) unless D1 holds credits of that conversion, to run first in the batch of the write that changes
 * them; none when `rows` is empty. The cron archives them again later.
 */
export function restoreCreditStatements(db: Db, conversionId: string, rows: readonly ArchivedCredit[]): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  const restoring = '(SELECT skip FROM credit_archive_moving) = 0';
  return [
    movingStarts(db, 'EXISTS (SELECT 1 FROM conversion_paths WHERE conversion_id = ?1)', conversionId),
    ...jsonInsertStatements(db, 'conversion_paths', PATH_COLUMNS, rows, { orIgnore: false, onlyIf: { sql: restoring, params: [] } }),
    ...forgetForAllTimeReaders(db, JSON.stringify([conversionId]), restoring),
    movingDone(db),
  ];
}

/** Up to `limit` archived credit parts of conversion days [fromDay, toDay], newest day and part first. */
export async function archivedCreditParts(db: Db, fromDay: string, toDay: string, limit: number): Promise<Array<{ day: string; key: string }>> {
  const { results } = await db.d1
    .prepare("SELECT day, key FROM credit_parts WHERE state = 'archived' AND day >= ?1 AND day <= ?2 ORDER BY day DESC, part DESC LIMIT ?3")
    .bind(fromDay, toDay, limit)
    .all<{ day: string; key: string }>();
  return results;
}

/** Every archived credit part of conversion days [fromDay, toDay], newest day and part first (a newer part holds a conversion's current credits). */
export async function creditPartsOfDays(db: Db, fromDay: string, toDay: string): Promise<Array<{ day: string; key: string }>> {
  const { results } = await db.d1
    .prepare("SELECT day, key FROM credit_parts WHERE state = 'archived' AND day >= ?1 AND day <= ?2 ORDER BY day DESC, part DESC")
    .bind(fromDay, toDay)
    .all<{ day: string; key: string }>();
  return results;
}

/** The conversions `ids` whose credits D1 does not hold (those it holds are read from D1). */
export async function archivedConversionsByIds(db: Db, ids: readonly string[]): Promise<ConversionRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db.d1
    .prepare(
      'SELECT * FROM conversions c WHERE c.id IN (SELECT value FROM json_each(?1)) AND NOT EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = c.id)',
    )
    .bind(JSON.stringify(ids))
    .all<ConversionRow>();
  return results;
}
