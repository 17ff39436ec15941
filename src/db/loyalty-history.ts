/** A member's ledger rows, newest first, a page at a time; and the wallet link's version. */
import type { LedgerKind, LedgerSource } from '../domain/vocab';
import type { Db } from './client';

export interface HistoryRow {
  id: string;
  kind: LedgerKind;
  source: LedgerSource;
  points: number;
  pending: number;
  debt: number;
  occurredAt: string;
  eventId: string | null;
  redemptionId: string | null;
  challengeId: string | null;
}

/** Where a page ends: the last row's time and id (rows are ordered by both, newest first). */
export interface HistoryCursor {
  occurredAt: string;
  id: string;
}

const HISTORY_COLUMNS = ['id', 'kind', 'source', 'points', 'pending', 'debt', 'occurred_at', 'event_id', 'redemption_id', 'challenge_id'] as const;

/** The history query (for a batch too): up to `limit` rows of the member, newest first, after `cursor`. */
export function historyQuery(db: Db, memberId: string, limit: number, cursor?: HistoryCursor) {
  let query = db.selectFrom('loyalty_ledger').select(HISTORY_COLUMNS).where('member_id', '=', memberId);
  if (cursor) {
    query = query.where((eb) =>
      eb.or([eb('occurred_at', '<', cursor.occurredAt), eb.and([eb('occurred_at', '=', cursor.occurredAt), eb('id', '<', cursor.id)])]),
    );
  }
  return query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit);
}

type HistoryResult = { [K in (typeof HISTORY_COLUMNS)[number]]: unknown };

export const toHistoryRow = (row: HistoryResult): HistoryRow => ({
  id: row.id as string,
  kind: row.kind as LedgerKind,
  source: row.source as LedgerSource,
  points: row.points as number,
  pending: row.pending as number,
  debt: row.debt as number,
  occurredAt: row.occurred_at as string,
  eventId: row.event_id as string | null,
  redemptionId: row.redemption_id as string | null,
  challengeId: row.challenge_id as string | null,
});

/** One page of a member's history and the cursor of the next (null on the last page). */
export async function findHistory(
  db: Db,
  memberId: string,
  limit: number,
  cursor?: HistoryCursor,
): Promise<{ rows: HistoryRow[]; next: HistoryCursor | null }> {
  const rows = (await historyQuery(db, memberId, limit + 1, cursor).execute()).map(toHistoryRow);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit ? { occurredAt: last.occurredAt, id: last.id } : null };
}

/** Raises the member's wallet version (every link made before stops working); resolves to the new version, or null for no such member. */
export async function raiseWalletVersion(db: Db, customerHash: string): Promise<{ memberId: string; version: number } | null> {
  const row = await db
    .updateTable('loyalty_members')
    .set((eb) => ({ wallet_version: eb('wallet_version', '+', 1) }))
    .where('customer_hash', '=', customerHash)
    .returning(['id', 'wallet_version'])
    .executeTakeFirst();
  return row ? { memberId: row.id, version: row.wallet_version } : null;
}
