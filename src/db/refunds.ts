/**
 * Refunds (schema/0018): what a refund reads in one round trip (the conversion, an earlier refund with the same
 * key, the order's points on the ledger) and its write — one D1 batch: the refund row, inserted only while the
 * conversion and its points are as they were read; then, guarded on that row, the conversion's refunded total,
 * its credits rewritten to the net value (the rollups follow by trigger), its re-attribution invalidated, and
 * the points reversed.
 */
import type { LedgerKind, LedgerSource } from '../domain/vocab';
import { runAtomically, type Db } from './client';
import { reverse, reversePending, type Guard } from './loyalty-ledger';

export interface StoredRefund {
  id: string;
  refundKey: string;
  amount: number;
  refunded: number;
  pointsReversed: number;
}

export interface RefundState {
  conversion: { id: string; value: number | null; currency: string | null; refunded: number; day: string } | null;
  /** A refund of this conversion with the same refund_id. */
  earlier: StoredRefund | null;
  memberId: string | null;
  /** Purchase points the order earned (pending or at once). */
  earned: number;
  /** Points earlier refunds of it reversed. */
  reversedBefore: number;
  pending: Array<{ pendingId: string; points: number }>;
  /** Its purchase points that became available (released or earned), with their expiry. */
  lots: Array<{ expiresAt: string | null; points: number }>;
  /** Ledger rows of the conversion when read: the write goes ahead only if there are still exactly these. */
  ledgerRows: number;
}

type LedgerPick = { member_id: string; kind: LedgerKind; source: LedgerSource; pending: number; lot: number; expires_at: string | null };
type RefundPick = { id: string; refund_key: string; amount: number; refunded: number; points_reversed: number };

const toStored = (row: RefundPick): StoredRefund => ({
  id: row.id,
  refundKey: row.refund_key,
  amount: row.amount,
  refunded: row.refunded,
  pointsReversed: row.points_reversed,
});

const CONVERSION_SQL = 'SELECT id, value, currency, refunded, day FROM conversions WHERE id = ?1';

/**
 * Everything a refund of `conversionId` decides from, in one round trip: the conversion from `home` (its database,
 * the main one unless conversions are sharded), the refunds and points from the main database `db`, in parallel.
 */
export async function readRefundState(db: Db, conversionId: string, refundKey: string | null, home: Db = db): Promise<RefundState> {
  const onHome = home === db ? null : home.d1.prepare(CONVERSION_SQL).bind(conversionId).all();
  const [[conversionHere, earlier, ledger, pending], conversionThere] = await Promise.all([
    db.d1.batch([
      db.d1.prepare(CONVERSION_SQL).bind(conversionId),
      db.d1
        .prepare('SELECT id, refund_key, amount, refunded, points_reversed FROM refunds WHERE conversion_id = ?1 AND refund_key = ?2')
        .bind(conversionId, refundKey ?? ''),
      db.d1
        .prepare('SELECT member_id, kind, source, pending, lot, expires_at FROM loyalty_ledger WHERE conversion_id = ?1 ORDER BY occurred_at, id')
        .bind(conversionId),
      db.d1
        .prepare('SELECT ledger_id, points FROM loyalty_pending WHERE conversion_id = ?1 AND points > 0 ORDER BY available_at, ledger_id')
        .bind(conversionId),
    ]),
    onHome,
  ]);
  const conversion = conversionThere ?? conversionHere;
  const rows = ledger.results as LedgerPick[];
  const purchase = rows.filter((row) => row.source === 'purchase');
  return {
    conversion: (conversion.results[0] as RefundState['conversion']) ?? null,
    earlier: earlier.results[0] ? toStored(earlier.results[0] as RefundPick) : null,
    memberId: purchase[0]?.member_id ?? null,
    earned: purchase.reduce((sum, row) => sum + (row.kind === 'pending' ? row.pending : row.kind === 'earn' ? row.lot : 0), 0),
    reversedBefore: rows.filter((row) => row.kind === 'reverse' && row.source === 'refund').reduce((sum, row) => sum - row.pending - row.lot, 0),
    pending: (pending.results as Array<{ ledger_id: string; points: number }>).map((row) => ({ pendingId: row.ledger_id, points: row.points })),
    lots: purchase
      .filter((row) => (row.kind === 'release' || row.kind === 'earn') && row.lot > 0)
      .map((row) => ({ expiresAt: row.expires_at, points: row.lot })),
    ledgerRows: rows.length,
  };
}

export interface RefundWrite {
  id: string;
  conversionId: string;
  refundKey: string;
  amount: number;
  at: string;
  /** The conversion's value (what a refund on the main database alone caps its total at). */
  value: number;
  /** The conversion's refunded total and ledger row count as read: the write is refused if either changed. */
  readRefunded: number;
  readLedgerRows: number;
  memberId: string | null;
  fromPending: Array<{ pendingId: string; points: number; ledgerId: string }>;
  fromAvailable: Array<{ expiresAt: string | null; points: number; ledgerId: string }>;
  /** Statements run first that bring the conversion's archived credits back to D1 (services/credit-archive.ts), if any. */
  restore?: readonly D1PreparedStatement[];
}

/**
 * Writes the refund if the conversion is still as read; resolves to the stored refund, or null when it was not written.
 * A conversion on another database than the main one (`home`, sharded conversions) is written in two steps: on the
 * main database the refund row (guarded on the refunded total its earlier refunds recorded) and the points, then on
 * `home` the conversion's total and credits (applyRefundTotal, which a repeated refund runs again, so a failure
 * between the two is mended by the shop's retry).
 */
export async function writeRefund(db: Db, write: RefundWrite, home: Db = db): Promise<StoredRefund | null> {
  if (home !== db) {
    const stored = await runRefundBatch(db, write, false);
    if (stored) await applyRefundTotal(home, write.conversionId, stored.refunded, write.restore ?? []);
    return stored;
  }
  return runRefundBatch(db, write, true);
}

/**
 * On the conversion's database: its refunded total raised to `refunded` (never lowered), its credits' net value and
 * its re-attribution's queue entry following, after `restore` (its archived credits brought back). Idempotent.
 */
export async function applyRefundTotal(home: Db, conversionId: string, refunded: number, restore: readonly D1PreparedStatement[] = []): Promise<void> {
  await home.d1.batch([
    ...restore,
    home.d1.prepare('UPDATE conversions SET refunded = ?2 WHERE id = ?1 AND refunded < ?2').bind(conversionId, refunded),
    home.d1
      .prepare('UPDATE conversion_paths SET net = (SELECT value - refunded FROM conversions WHERE id = ?1) WHERE conversion_id = ?1 AND net IS NOT NULL')
      .bind(conversionId),
    home.d1.prepare('UPDATE pending_attributions SET version = version + 1 WHERE conversion_id = ?1').bind(conversionId),
  ]);
}

/** The refund's batch on the main database; `withConversion`: the conversion is there too and changes in the same batch. */
async function runRefundBatch(db: Db, write: RefundWrite, withConversion: boolean): Promise<StoredRefund | null> {
  const refundStored: Guard = { sql: 'EXISTS (SELECT 1 FROM refunds WHERE id = ?)', params: [write.id] };
  const context = { source: 'refund' as const, at: write.at, conversionId: write.conversionId, note: `refund ${write.refundKey}`, guard: refundStored };
  const ledgerIds = [...write.fromPending, ...write.fromAvailable].map((part) => part.ledgerId);
  const conversionSteps: D1PreparedStatement[] = [
    ...(write.restore ?? []),
    db.d1
      .prepare(
        `INSERT INTO refunds (id, conversion_id, refund_key, amount, refunded, created_at)
         SELECT ?1, c.id, ?2, ?3, min(c.value, c.refunded + ?3), ?4 FROM conversions c
         WHERE c.id = ?5 AND c.refunded = ?6 AND (SELECT count(*) FROM loyalty_ledger WHERE conversion_id = ?5) = ?7
         ON CONFLICT (conversion_id, refund_key) DO NOTHING`,
      )
      .bind(write.id, write.refundKey, write.amount, write.at, write.conversionId, write.readRefunded, write.readLedgerRows),
    db.d1
      .prepare('UPDATE conversions SET refunded = (SELECT refunded FROM refunds WHERE id = ?1) WHERE id = ?2 AND EXISTS (SELECT 1 FROM refunds WHERE id = ?1)')
      .bind(write.id, write.conversionId),
    db.d1
      .prepare(
        `UPDATE conversion_paths SET net = (SELECT value - refunded FROM conversions WHERE id = ?1)
         WHERE conversion_id = ?1 AND net IS NOT NULL AND EXISTS (SELECT 1 FROM refunds WHERE id = ?2)`,
      )
      .bind(write.conversionId, write.id),
    // A re-attribution read before this refund would store credits of the gross value: its queue entry moves on, so it writes nothing and runs again.
    db.d1
      .prepare('UPDATE pending_attributions SET version = version + 1 WHERE conversion_id = ?1 AND EXISTS (SELECT 1 FROM refunds WHERE id = ?2)')
      .bind(write.conversionId, write.id),
  ];
  const statements = withConversion ? conversionSteps : [refundOnMain(db, write)];
  for (const part of write.fromPending) statements.push(...reversePending(db, part.pendingId, { ...context, id: part.ledgerId, amount: part.points }));
  if (write.memberId) {
    for (const part of write.fromAvailable) {
      statements.push(...reverse(db, { memberId: write.memberId }, { ...context, id: part.ledgerId, amount: part.points, expiresAt: part.expiresAt }));
    }
  }
  statements.push(
    db.d1
      .prepare(
        `UPDATE refunds SET points_reversed = coalesce((SELECT sum(-pending - lot) FROM loyalty_ledger WHERE id IN (SELECT value FROM json_each(?2))), 0)
         WHERE id = ?1`,
      )
      .bind(write.id, JSON.stringify(ledgerIds)),
    db.d1.prepare('SELECT id, refund_key, amount, refunded, points_reversed FROM refunds WHERE id = ?1').bind(write.id),
  );
  const results = await runAtomically(db, statements);
  const row = results[results.length - 1].results[0] as RefundPick | undefined;
  return row ? toStored(row) : null;
}

/**
 * The refund row on the main database when the conversion lives elsewhere: inserted only while the refunded total of
 * the conversion's earlier refunds (each records the total after it) and its ledger rows are as read; the value it
 * refunds from travels with the write (?8).
 */
function refundOnMain(db: Db, write: RefundWrite): D1PreparedStatement {
  return db.d1
    .prepare(
      `INSERT INTO refunds (id, conversion_id, refund_key, amount, refunded, created_at)
       SELECT ?1, ?5, ?2, ?3, min(?8, ?6 + ?3), ?4
       WHERE coalesce((SELECT max(refunded) FROM refunds WHERE conversion_id = ?5), 0) = ?6
         AND (SELECT count(*) FROM loyalty_ledger WHERE conversion_id = ?5) = ?7
       ON CONFLICT (conversion_id, refund_key) DO NOTHING`,
    )
    .bind(write.id, write.refundKey, write.amount, write.at, write.conversionId, write.readRefunded, write.readLedgerRows, write.value);
}
