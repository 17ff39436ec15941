/** Reading a member: counters and the points of the last 12 months in one D1 round trip. */
import { sql, type InferResult } from 'kysely';
import { tierWindowStart } from '../domain/loyalty-program';
import type { Db } from './client';

export interface MemberFigures {
  id: string;
  balance: number;
  pending: number;
  debt: number;
  tier: string | null;
  walletVersion: number;
  /** Points that became available in the 12 months the tiers count (this month and the eleven before). */
  points12m: number;
  earnedTotal: number;
  spentTotal: number;
  expiredTotal: number;
  joinedAt: string;
  lastActivityAt: string;
}

export type MemberKey = { id: string } | { customerHash: string };

/** The statement behind findMember, to run inside a batch with other reads (the wallet page); map its row with toMemberFigures. */
export function memberFiguresQuery(db: Db, key: MemberKey, nowMs: number) {
  return db
    .selectFrom('loyalty_members as m')
    .select([
      'm.id',
      'm.balance',
      'm.pending',
      'm.debt',
      'm.tier',
      'm.wallet_version',
      'm.earned_total',
      'm.spent_total',
      'm.expired_total',
      'm.joined_at',
      'm.last_activity_at',
      sql<number>`coalesce((SELECT sum(earned) FROM loyalty_member_months mm WHERE mm.member_id = m.id AND mm.month >= ${tierWindowStart(nowMs)}), 0)`.as(
        'points_12m',
      ),
    ])
    .where('id' in key ? 'm.id' : 'm.customer_hash', '=', 'id' in key ? key.id : key.customerHash);
}

export type MemberFiguresRow = InferResult<ReturnType<typeof memberFiguresQuery>>[number];

export function toMemberFigures(row: MemberFiguresRow): MemberFigures {
  return {
    id: row.id,
    balance: row.balance,
    pending: row.pending,
    debt: row.debt,
    tier: row.tier,
    walletVersion: row.wallet_version,
    points12m: row.points_12m,
    earnedTotal: row.earned_total,
    spentTotal: row.spent_total,
    expiredTotal: row.expired_total,
    joinedAt: row.joined_at,
    lastActivityAt: row.last_activity_at,
  };
}

/** A member by id or by customer hash, or undefined; one statement. */
export async function findMember(db: Db, key: MemberKey, nowMs: number): Promise<MemberFigures | undefined> {
  const row = await memberFiguresQuery(db, key, nowMs).executeTakeFirst();
  return row ? toMemberFigures(row) : undefined;
}

/** Hashes per read of memberHashesAmong: one bound JSON parameter each, well inside D1's statement limits. */
const HASHES_PER_READ = 2000;

/** Which of `hashes` (customer hashes) belong to a bonus program member; the members live on the main database. */
export async function memberHashesAmong(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  const chunks: string[][] = [];
  for (let start = 0; start < hashes.length; start += HASHES_PER_READ) chunks.push(hashes.slice(start, start + HASHES_PER_READ));
  const reads = await Promise.all(
    chunks.map((chunk) =>
      db.d1
        .prepare('SELECT customer_hash FROM loyalty_members WHERE customer_hash IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify(chunk))
        .all<{ customer_hash: string }>(),
    ),
  );
  return new Set(reads.flatMap((read) => read.results.map((row) => row.customer_hash)));
}
