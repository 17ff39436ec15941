/** A member as the shop sees it: figures (one D1 read, the program's tiers read alongside), history, wallet links. */
import type { Db } from '../db/client';
import { findHistory, raiseWalletVersion, type HistoryCursor } from '../db/loyalty-history';
import { findMember } from '../db/loyalty-members';
import { findProgram } from '../db/loyalty-program';
import { tierFor } from '../domain/loyalty-program';
import type { Bindings } from '../env';
import { customerHashOf } from '../lib/customer';
import { notFound } from '../lib/errors';
import { walletUrl } from './wallet-links';

/** The member of a customer reference, with their tier by the points of the last 12 months and their wallet link. */
export async function memberOverview(db: Db, env: Bindings, origin: string, customerRef: string, now: number) {
  const customerHash = await customerHashOf(env, customerRef);
  const [member, program] = await Promise.all([findMember(db, { customerHash }, now), findProgram(db)]);
  if (!member) throw notFound('Member');
  return {
    member_id: member.id,
    balance: member.balance,
    pending: member.pending,
    debt: member.debt,
    tier: tierFor(program?.tiers ?? [], member.points12m)?.name ?? null,
    points_12m: member.points12m,
    wallet_url: await walletUrl(env, origin, member.id, member.walletVersion),
  };
}

const cursorText = (cursor: HistoryCursor) => `${cursor.occurredAt}~${cursor.id}`;
const parseCursor = (text: string | undefined): HistoryCursor | undefined => {
  if (!text) return undefined;
  const [occurredAt, id] = text.split('~');
  return { occurredAt, id };
};

/** A page of the member's ledger, newest first. */
export async function memberHistory(db: Db, env: Bindings, customerRef: string, page: { limit: number; cursor?: string }, now: number) {
  const member = await findMember(db, { customerHash: await customerHashOf(env, customerRef) }, now);
  if (!member) throw notFound('Member');
  const { rows, next } = await findHistory(db, member.id, page.limit, parseCursor(page.cursor));
  return {
    data: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      source: row.source,
      points: row.points,
      pending: row.pending,
      debt: row.debt,
      occurred_at: row.occurredAt,
      event_id: row.eventId,
      redemption_id: row.redemptionId,
      challenge_id: row.challengeId,
    })),
    next_cursor: next ? cursorText(next) : null,
  };
}

/** The member's current wallet link. */
export async function walletLinkOf(db: Db, env: Bindings, origin: string, customerRef: string, now: number): Promise<string> {
  const member = await findMember(db, { customerHash: await customerHashOf(env, customerRef) }, now);
  if (!member) throw notFound('Member');
  return walletUrl(env, origin, member.id, member.walletVersion);
}

/** Revokes every wallet link of the member made so far; resolves to the new link. */
export async function revokeWalletLinks(db: Db, env: Bindings, origin: string, customerRef: string): Promise<string> {
  const raised = await raiseWalletVersion(db, await customerHashOf(env, customerRef));
  if (!raised) throw notFound('Member');
  return walletUrl(env, origin, raised.memberId, raised.version);
}
