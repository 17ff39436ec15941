/** Earning rules (schema/0016 `loyalty_rules`). */
import type { EarningRule, RulePlace, RuleSegment } from '../domain/loyalty-rules';
import type { LoyaltyEventType, RecordStatus } from '../domain/vocab';
import type { Db } from './client';
import type { LoyaltyRuleRow } from './loyalty-schema';
import { pageOf, type Page } from './pagination';

export interface StoredRule extends EarningRule {
  name: string;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type RuleFields = Omit<StoredRule, 'id' | 'archivedAt' | 'createdAt' | 'updatedAt'>;

const parseJson = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

export const toRule = (row: LoyaltyRuleRow): StoredRule => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  eventName: row.event_name,
  points: row.points,
  currency: row.currency,
  minOrder: row.min_order,
  campaignId: row.campaign_id,
  channel: row.channel,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  segment: parseJson<RuleSegment>(row.segment),
  place: parseJson<RulePlace>(row.place),
  capDay: row.cap_day,
  capMonth: row.cap_month,
  capTotal: row.cap_total,
  archivedAt: row.archived_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toColumns = (fields: RuleFields) => ({
  name: fields.name,
  kind: fields.kind,
  event_name: fields.eventName,
  points: fields.points,
  currency: fields.currency,
  min_order: fields.minOrder,
  campaign_id: fields.campaignId,
  channel: fields.channel,
  starts_at: fields.startsAt,
  ends_at: fields.endsAt,
  segment: fields.segment && JSON.stringify(fields.segment),
  place: fields.place && JSON.stringify(fields.place),
  cap_day: fields.capDay,
  cap_month: fields.capMonth,
  cap_total: fields.capTotal,
});

/** Inserts a rule and returns it. */
export async function insertRule(db: Db, id: string, fields: RuleFields, at: string): Promise<StoredRule> {
  const row = await db
    .insertInto('loyalty_rules')
    .values({ id, ...toColumns(fields), created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRule(row);
}

/** One rule by id. */
export async function findRule(db: Db, id: string): Promise<StoredRule | null> {
  const row = await db.selectFrom('loyalty_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRule(row) : null;
}

/** Rules newest first; `status` keeps the active or the archived ones. */
export async function listRules(db: Db, filter: { status?: RecordStatus; limit: number; cursor?: string }): Promise<Page<StoredRule>> {
  let query = db.selectFrom('loyalty_rules').selectAll();
  if (filter.status === 'active') query = query.where('archived_at', 'is', null);
  if (filter.status === 'archived') query = query.where('archived_at', 'is not', null);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toRule), filter.limit);
}

/** Replaces a rule's fields; null when there is no such rule. */
export async function updateRule(db: Db, id: string, fields: RuleFields, at: string): Promise<StoredRule | null> {
  const row = await db
    .updateTable('loyalty_rules')
    .set({ ...toColumns(fields), updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toRule(row) : null;
}

/** Archives a rule (it pays nothing from now on; what it paid stays); an archived rule keeps its first archive time. */
export async function archiveRule(db: Db, id: string, at: string): Promise<StoredRule | null> {
  const row = await db
    .updateTable('loyalty_rules')
    .set((eb) => ({ archived_at: eb.fn.coalesce('archived_at', eb.val(at)), updated_at: at }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toRule(row) : null;
}

/** The active rules of one kind, to read in one batch with others (db/loyalty-earning-reads.ts); map its rows with toRule. */
export const activeRulesQuery = (db: Db, kind: LoyaltyEventType) =>
  db.selectFrom('loyalty_rules').selectAll().where('kind', '=', kind).where('archived_at', 'is', null);
