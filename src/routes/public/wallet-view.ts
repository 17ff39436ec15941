/** Shapes a member's wallet data (db/loyalty-wallet.ts) into what the page shows (views/wallet-page.tsx). */
import type { WalletData } from '../../db/loyalty-wallet';
import { tierProgress } from '../../domain/loyalty-program';
import type { WalletRefusal } from '../../domain/wallet';
import type { Language } from '../../views/redeem-texts';
import type { WalletView } from '../../views/wallet-page';

export interface WalletPageRequest {
  token: string;
  language: Language;
  origin: string;
  refused: WalletRefusal | null;
}

/** The page's view: money in the program's currency for the reader's language, tier progress, rewards with what is missing. */
export function walletView(data: WalletData, request: WalletPageRequest, referralCode: string | null): WalletView {
  const program = data.program!;
  const member = data.member!;
  const progress = program.tiers.length > 0 ? tierProgress(program.tiers, member.points12m) : null;
  const money =
    program.pointValue > 0
      ? new Intl.NumberFormat(request.language, { style: 'currency', currency: program.currency }).format(member.balance * program.pointValue)
      : null;
  const notice: WalletView['notice'] = data.redeemed
    ? { kind: 'redeemed', rewardName: data.redeemed.rewardName, promoCode: data.redeemed.promoCode }
    : request.refused
      ? { kind: 'refused', reason: request.refused }
      : null;
  return {
    language: request.language,
    path: `/w/${request.token}`,
    programName: program.name,
    pointsName: program.pointsName,
    memberId: member.id,
    balance: member.balance,
    pending: member.pending,
    debt: member.debt,
    money,
    tier: progress ? { name: progress.tier?.name ?? null, next: progress.next?.name ?? null, missing: progress.missing, share: progress.share } : null,
    rewards: data.rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      description: reward.description,
      cost: reward.cost,
      missing: Math.max(0, reward.cost - member.balance),
      limitReached: reward.perMemberLimit !== null && reward.mine >= reward.perMemberLimit,
      left: reward.stock === null ? null : reward.stock - reward.redeemed,
    })),
    referralUrl: referralCode ? `${request.origin}/r/${referralCode}` : null,
    challenges: data.challenges,
    history: data.history.map((row) => ({ kind: row.kind, source: row.source, change: row.points + row.pending, occurredAt: row.occurredAt })),
    notice,
  };
}
