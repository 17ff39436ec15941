/**
 * The member's wallet behind a signed link: verified, read in one D1 round trip (db/loyalty-wallet.ts), and
 * shaped for the page. The tell-a-friend link is made from the member's keyed hash on first view (the same
 * link the shop's `POST /api/v1/referrals` with the raw customer_ref gives), so the shop need not send it.
 */
import type { Db } from '../db/client';
import { findMember } from '../db/loyalty-members';
import { readWallet, type WalletData } from '../db/loyalty-wallet';
import type { Bindings } from '../env';
import { ApiError } from '../lib/errors';
import { WALLET_REFUSALS, type WalletRefusal } from '../domain/wallet';
import { redeemRewardFor } from './loyalty-rewards';
import { createReferralForHash } from './referrals';
import { readWalletToken } from './wallet-links';

const REWARD_ID = /^rwd_[0-9A-Za-z]{1,60}$/;

/** Why a link opens no wallet: `invalid` (not signed by us, no such member: 404), `revoked` (an older version: 410), `closed` (no program: 404). */
export type WalletRefused = 'invalid' | 'revoked' | 'closed';

export type WalletOpened = { ok: true; data: WalletData; referralCode: string | null } | { ok: false; reason: WalletRefused };

/** The wallet page's data for a link (with the redemption `redemptionId` just made, if it is the member's), or why there is none. */
export async function openWallet(db: Db, env: Bindings, token: string, redemptionId: string | null, now: number): Promise<WalletOpened> {
  const signed = await readWalletToken(env, token);
  if (!signed) return { ok: false, reason: 'invalid' };
  const data = await readWallet(db, signed.memberId, now, redemptionId);
  if (!data.member) return { ok: false, reason: 'invalid' };
  if (data.member.walletVersion !== signed.version) return { ok: false, reason: 'revoked' };
  if (!data.program) return { ok: false, reason: 'closed' };
  const referralCode = data.referralCode ?? (await ensureReferral(db, data, now));
  return { ok: true, data, referralCode };
}

/** The member's referral for the program's campaign, made now if they have none (null when the campaign cannot take one). */
async function ensureReferral(db: Db, data: WalletData, now: number): Promise<string | null> {
  const campaignId = data.program?.referralCampaignId;
  if (!campaignId || !data.customerHash) return null;
  try {
    return (await createReferralForHash(db, { campaignId, referrerHash: data.customerHash, destination: null }, now)).referral.code;
  } catch (error) {
    // An archived campaign, or one without a landing page: the wallet shows no tell-a-friend link.
    if (error instanceof ApiError) return null;
    throw error;
  }
}

/** Redeems a reward from the wallet: the redemption's id, a refusal the page names, or why the link is not valid. */
export async function redeemFromWallet(
  db: Db,
  env: Bindings,
  token: string,
  rewardId: string,
  now: number,
): Promise<{ redemptionId: string } | { refused: WalletRefusal } | { invalid: WalletRefused }> {
  const signed = await readWalletToken(env, token);
  if (!signed) return { invalid: 'invalid' };
  const member = await findMember(db, { id: signed.memberId }, now);
  if (!member) return { invalid: 'invalid' };
  if (member.walletVersion !== signed.version) return { invalid: 'revoked' };
  if (!REWARD_ID.test(rewardId)) return { refused: 'gone' };
  try {
    return { redemptionId: (await redeemRewardFor(db, { id: member.id }, rewardId, now)).redemptionId };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'not_found') return { refused: 'gone' };
    if ((WALLET_REFUSALS as readonly string[]).includes(error.code)) return { refused: error.code as WalletRefusal };
    throw error;
  }
}
