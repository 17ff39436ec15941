/**
 * Everything a member's wallet page shows, read in one D1 round trip (one batch of reads): the program, the
 * member's figures, the latest history, the rewards on offer with the member's use of each, their
 * tell-a-friend code, the open challenges with their progress, and a redemption just made.
 */
import type { Compilable } from 'kysely';
import type { Db } from './client';
import { challengeProgressStatement, toChallengeProgress } from './loyalty-challenges';
import { historyQuery, toHistoryRow, type HistoryRow } from './loyalty-history';
import { memberFiguresQuery, toMemberFigures, type MemberFigures, type MemberFiguresRow } from './loyalty-members';
import { toProgram } from './loyalty-program';
import type { LoyaltyProgramRow, LoyaltyRewardRow } from './loyalty-schema';
import { toReward, type Reward } from './loyalty-rewards';
import type { Program } from '../domain/loyalty-program';

export const WALLET_HISTORY_ROWS = 20;

export interface WalletReward extends Reward {
  /** The member's redemptions of it so far. */
  mine: number;
}

export interface WalletChallenge {
  id: string;
  name: string;
  description: string | null;
  goal: number;
  bonus: number;
  endsAt: string;
  /** The member's qualifying events in its period so far. */
  progress: number;
  completed: boolean;
}

export interface WalletData {
  program: Program | null;
  member: MemberFigures | null;
  customerHash: string | null;
  history: HistoryRow[];
  rewards: WalletReward[];
  /** The member's tell-a-friend code for the program's referral campaign, when they have one. */
  referralCode: string | null;
  challenges: WalletChallenge[];
  /** The redemption `redemptionId` of this member: its reward's name and promo code. */
  redeemed: { rewardName: string; promoCode: string | null } | null;
}

const statement = (db: Db, query: Compilable) => {
  const compiled = query.compile();
  return db.d1.prepare(compiled.sql).bind(...(compiled.parameters as unknown[]));
};

/** The wallet of member `memberId` at `nowMs`, in one batch of reads. */
export async function readWallet(db: Db, memberId: string, nowMs: number, redemptionId: string | null): Promise<WalletData> {
  const nowIso = new Date(nowMs).toISOString();
  const [program, member, history, rewards, referral, challenges, redeemed] = await db.d1.batch([
    db.d1.prepare("SELECT * FROM loyalty_program WHERE id = 'program'"),
    statement(db, memberFiguresQuery(db, { id: memberId }, nowMs)),
    statement(db, historyQuery(db, memberId, WALLET_HISTORY_ROWS)),
    db.d1
      .prepare(
        `SELECT r.*, (SELECT count(*) FROM loyalty_redemptions d WHERE d.reward_id = r.id AND d.member_id = ?1) AS mine
         FROM loyalty_rewards r WHERE r.archived_at IS NULL AND (r.stock IS NULL OR r.redeemed < r.stock)
         ORDER BY r.cost, r.id LIMIT 50`,
      )
      .bind(memberId),
    db.d1
      .prepare(
        `SELECT m.customer_hash, r.code FROM loyalty_members m
         LEFT JOIN loyalty_program p ON p.id = 'program'
         LEFT JOIN referrals r ON r.campaign_id = p.referral_campaign_id AND r.referrer_hash = m.customer_hash
         WHERE m.id = ?1`,
      )
      .bind(memberId),
    challengeProgressStatement(db, memberId, nowIso),
    db.d1
      .prepare(
        `SELECT w.name, v.code FROM loyalty_redemptions d JOIN loyalty_rewards w ON w.id = d.reward_id
         LEFT JOIN promo_code_values v ON v.promo_code_id = d.promo_code_id
         WHERE d.id = ?1 AND d.member_id = ?2`,
      )
      .bind(redemptionId ?? '', memberId),
  ]);
  const memberRow = member.results[0] as MemberFiguresRow | undefined;
  const referralRow = referral.results[0] as { customer_hash: string | null; code: string | null } | undefined;
  const redeemedRow = redeemed.results[0] as { name: string; code: string | null } | undefined;
  return {
    program: program.results[0] ? toProgram(program.results[0] as LoyaltyProgramRow) : null,
    member: memberRow ? toMemberFigures(memberRow) : null,
    customerHash: referralRow?.customer_hash ?? null,
    history: (history.results as Parameters<typeof toHistoryRow>[0][]).map(toHistoryRow),
    rewards: (rewards.results as Array<LoyaltyRewardRow & { mine: number }>).map((row) => ({ ...toReward(row), mine: row.mine })),
    referralCode: referralRow?.code ?? null,
    challenges: (challenges.results as Parameters<typeof toChallengeProgress>[0][]).map(toChallengeProgress).map(({ challenge, count, completedAt }) => ({
      id: challenge.id,
      name: challenge.name,
      description: challenge.description,
      goal: challenge.goal,
      bonus: challenge.bonus,
      endsAt: challenge.endsAt,
      progress: count,
      completed: completedAt !== null,
    })),
    redeemed: redeemedRow ? { rewardName: redeemedRow.name, promoCode: redeemedRow.code } : null,
  };
}
