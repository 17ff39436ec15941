/**
 * Rewards of the bonus program (schema/0016 `loyalty_rewards`) and redeeming one: the redemption row, the
 * reward's counter, the points spent and the reward's promo code are one D1 batch, each step guarded on the
 * redemption row, whose INSERT checks balance, stock and the member's limit as the batch runs.
 */
import { sql, type Compilable } from 'kysely';
import type { RewardKind } from '../domain/vocab';
import { toIso } from '../lib/time';
import { runAtomically, type Db } from './client';
import { debit } from './loyalty-ledger';
import type { LoyaltyRewardRow } from './loyalty-schema';
import { pageOf, type Page } from './pagination';
import { guardedPromoStatements, type NewPromoCode } from './promo-codes';

export interface Reward {
  id: string;
  name: string;
  description: string | null;
  kind: RewardKind;
  cost: number;
  stock: number | null;
  redeemed: number;
  perMemberLimit: number | null;
  campaignId: string | null;
  discount: string | null;
  minOrderValue: number | null;
  validDays: number | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields a marketer sets (kind is fixed at creation). */
export type RewardFields = Pick<
  Reward,
  'name' | 'description' | 'cost' | 'stock' | 'perMemberLimit' | 'campaignId' | 'discount' | 'minOrderValue' | 'validDays'
>;

export const toReward = (row: LoyaltyRewardRow): Reward => ({
  id: row.id,
  name: row.name,
  description: row.description,
  kind: row.kind,
  cost: row.cost,
  stock: row.stock,
  redeemed: row.redeemed,
  perMemberLimit: row.per_member_limit,
  campaignId: row.campaign_id,
  discount: row.discount,
  minOrderValue: row.min_order_value,
  validDays: row.valid_days,
  archivedAt: row.archived_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const columnsOf = (fields: Partial<RewardFields>) => ({
  name: fields.name,
  description: fields.description,
  cost: fields.cost,
  stock: fields.stock,
  per_member_limit: fields.perMemberLimit,
  campaign_id: fields.campaignId,
  discount: fields.discount,
  min_order_value: fields.minOrderValue,
  valid_days: fields.validDays,
});

export async function insertReward(db: Db, id: string, kind: RewardKind, fields: RewardFields, now: number): Promise<Reward> {
  const at = toIso(now);
  const row = await db
    .insertInto('loyalty_rewards')
    .values({ id, kind, ...columnsOf(fields), name: fields.name, cost: fields.cost, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toReward(row);
}

export async function findReward(db: Db, id: string): Promise<Reward | null> {
  const row = await db.selectFrom('loyalty_rewards').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toReward(row) : null;
}

/** Rewards newest first; archived ones only when asked. */
export async function listRewards(db: Db, filter: { includeArchived: boolean; limit: number; cursor?: string }): Promise<Page<Reward>> {
  let query = db.selectFrom('loyalty_rewards').selectAll();
  if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toReward), filter.limit);
}

/** Applies changed fields (a stock below what was redeemed is refused by the table's CHECK); null when there is none. */
export async function updateReward(db: Db, id: string, fields: Partial<RewardFields>, now: number): Promise<Reward | null> {
  const row = await db
    .updateTable('loyalty_rewards')
    .set({ ...columnsOf(fields), updated_at: toIso(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toReward(row) : null;
}

/** Archives a reward (it can no longer be redeemed); an archived one keeps its first archive time. */
export async function archiveReward(db: Db, id: string, now: number): Promise<Reward | null> {
  const row = await db
    .updateTable('loyalty_rewards')
    .set({ archived_at: sql<string>`coalesce(archived_at, ${toIso(now)})`, updated_at: toIso(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toReward(row) : null;
}

export interface RedemptionWrite {
  id: string;
  rewardId: string;
  memberId: string;
  /** The spend's ledger row. */
  ledgerId: string;
  at: string;
  /** Discount rewards: the single-use promotion and its code. */
  promo: { row: NewPromoCode; value: { lookup: string; code: string } } | null;
}

/** What the batch found after trying: whether the redemption went in, and the facts that explain a refusal. */
export interface RedemptionOutcome {
  stored: boolean;
  balance: number;
  cost: number;
  archived: boolean;
  outOfStock: boolean;
  memberLimitReached: boolean;
  /** The promo code's value as stored (null: none, or its value collided and needs a top-up). */
  promoCode: string | null;
}

const compiled = (db: Db, query: ReturnType<typeof sql>): Compilable => ({ compile: () => query.compile(db) });

/** Tries to redeem the reward for the member in one batch; every write follows only if the redemption row went in. */
export async function redeemReward(db: Db, write: RedemptionWrite, now: number): Promise<RedemptionOutcome> {
  const stored = sql`EXISTS (SELECT 1 FROM loyalty_redemptions WHERE id = ${write.id})`;
  const mine = sql`(SELECT count(*) FROM loyalty_redemptions WHERE member_id = m.id AND reward_id = r.id)`;
  const statements: (Compilable | D1PreparedStatement)[] = [
    compiled(
      db,
      sql`INSERT INTO loyalty_redemptions (id, reward_id, member_id, cost, promo_code_id, created_at, day)
        SELECT ${write.id}, r.id, m.id, r.cost, ${write.promo?.row.id ?? null}, ${write.at}, ${write.at.slice(0, 10)}
        FROM loyalty_rewards r, loyalty_members m
        WHERE r.id = ${write.rewardId} AND m.id = ${write.memberId} AND r.archived_at IS NULL
          AND m.balance >= r.cost
          AND (r.stock IS NULL OR r.redeemed < r.stock)
          AND (r.per_member_limit IS NULL OR ${mine} < r.per_member_limit)`,
    ),
    compiled(db, sql`UPDATE loyalty_rewards SET redeemed = redeemed + 1 WHERE id = ${write.rewardId} AND ${stored}`),
    ...debit(
      db,
      { memberId: write.memberId },
      {
        id: write.ledgerId,
        kind: 'spend',
        source: 'reward',
        at: write.at,
        redemptionId: write.id,
        amount: { sql: '(SELECT cost FROM loyalty_redemptions WHERE id = ?)', params: [write.id] },
        guard: { sql: 'EXISTS (SELECT 1 FROM loyalty_redemptions WHERE id = ?)', params: [write.id] },
      },
    ),
    ...(write.promo ? guardedPromoStatements(db, write.promo.row, write.promo.value, now, stored) : []),
    compiled(
      db,
      sql`SELECT ${stored} AS stored, m.balance, r.cost, r.archived_at IS NOT NULL AS archived,
          (r.stock IS NOT NULL AND r.redeemed >= r.stock) AS out_of_stock,
          (r.per_member_limit IS NOT NULL AND ${mine} >= r.per_member_limit) AS limit_reached,
          (SELECT code FROM promo_code_values WHERE promo_code_id = ${write.promo?.row.id ?? ''}) AS promo_code
        FROM loyalty_rewards r, loyalty_members m WHERE r.id = ${write.rewardId} AND m.id = ${write.memberId}`,
    ),
  ];
  const results = await runAtomically(db, statements);
  const row = results[results.length - 1].results[0] as
    | { stored: number; balance: number; cost: number; archived: number; out_of_stock: number; limit_reached: number; promo_code: string | null }
    | undefined;
  if (!row) return { stored: false, balance: 0, cost: 0, archived: false, outOfStock: false, memberLimitReached: false, promoCode: null };
  return {
    stored: row.stored === 1,
    balance: row.balance,
    cost: row.cost,
    archived: row.archived === 1,
    outOfStock: row.out_of_stock === 1,
    memberLimitReached: row.limit_reached === 1,
    promoCode: row.promo_code,
  };
}
