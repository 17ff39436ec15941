/**
 * The points ledger's write primitives (schema/0016). Each returns D1 statements to run inside one
 * `runAtomically` batch with whatever else the occasion writes; D1 runs a batch as one transaction, and
 * batches one after another, so the amounts computed in SQL below (debt paid first, balance enough to
 * spend, what is due to expire) are exact under any number of parallel requests.
 *
 * Every movement is two steps: a ledger row is inserted with its effect on the member's counters
 * (computed from the member row as it is at that point of the batch), then `applyRow` adds that row to
 * the member. So a member's balance, pending points and debt are always the sums of their ledger rows.
 * A movement whose amount comes out at zero (or whose guard fails) inserts no row, and applying a row
 * that does not exist changes nothing.
 */
import type { Db } from './client';
import type { LedgerSource } from '../domain/vocab';

/** The member a statement is about: by id, or by customer hash (a member created earlier in the same batch). */
export type MemberRef = { memberId: string } | { customerHash: string };

/**
 * A number of points: a whole number, or SQL from code (never from input) with its parameters,
 * evaluated inside the batch — e.g. the sum of what an event's rules paid once their caps were checked.
 */
export type Amount = number | { sql: string; params: readonly unknown[] };

/** What a ledger row points back to, and when it happened. */
export interface LedgerContext {
  /** The new ledger row's id. */
  id: string;
  source: LedgerSource;
  at: string;
  eventId?: string | null;
  conversionId?: string | null;
  redemptionId?: string | null;
  challengeId?: string | null;
  note?: string | null;
}

/** A condition (SQL from code) a movement is made under, e.g. that a refund row was inserted earlier in the batch. */
export type Guard = { sql: string; params: readonly unknown[] };
const guardSql = (guard: Guard | undefined): string => (guard ? ` AND (${guard.sql})` : '');

const memberWhere = (ref: MemberRef): { sql: string; params: unknown[] } =>
  'memberId' in ref ? { sql: 'm.id = ?', params: [ref.memberId] } : { sql: 'm.customer_hash = ?', params: [ref.customerHash] };

const amountSql = (amount: Amount): { sql: string; params: readonly unknown[] } =>
  typeof amount === 'number' ? { sql: '?', params: [Math.floor(amount)] } : amount;

const refs = (context: LedgerContext): unknown[] => [
  context.eventId ?? null,
  context.conversionId ?? null,
  context.redemptionId ?? null,
  context.challengeId ?? null,
  context.note ?? null,
  context.at,
  context.at.slice(0, 10),
];
const REF_COLUMNS = 'event_id, conversion_id, redemption_id, challenge_id, note, occurred_at, day';
const REF_VALUES = '?, ?, ?, ?, ?, ?, ?';

/** The member of a customer, created with no points when there is none yet. */
export function ensureMember(db: Db, customerHash: string, newId: string, at: string): D1PreparedStatement {
  return db.d1
    .prepare(
      'INSERT INTO loyalty_members (id, customer_hash, joined_at, last_activity_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (customer_hash) DO UPDATE SET last_activity_at = max(last_activity_at, excluded.last_activity_at)',
    )
    .bind(newId, customerHash, at, at);
}

/**
 * Adds ledger row `id` to its member: balance, pending and debt by the row's deltas, lifetime totals by
 * its kind, and the points that became available to the month the tiers are measured over.
 */
export function applyRow(db: Db, id: string): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `UPDATE loyalty_members SET
           balance = loyalty_members.balance + l.points,
           pending = loyalty_members.pending + l.pending,
           debt = loyalty_members.debt + l.debt,
           earned_total = loyalty_members.earned_total + l.lot,
           spent_total = loyalty_members.spent_total + CASE WHEN l.kind = 'spend' OR (l.kind = 'adjust' AND l.points < 0) THEN -l.points ELSE 0 END,
           expired_total = loyalty_members.expired_total + CASE WHEN l.kind = 'expire' THEN -l.points ELSE 0 END,
           last_activity_at = CASE WHEN l.kind = 'expire' THEN loyalty_members.last_activity_at ELSE max(loyalty_members.last_activity_at, l.occurred_at) END
         FROM (SELECT member_id, kind, points, pending, debt, lot, occurred_at FROM loyalty_ledger WHERE id = ?) AS l
         WHERE loyalty_members.id = l.member_id`,
      )
      .bind(id),
    db.d1
      .prepare(
        `INSERT INTO loyalty_member_months (member_id, month, earned)
         SELECT member_id, substr(day, 1, 7), lot FROM loyalty_ledger WHERE id = ? AND lot <> 0
         ON CONFLICT (member_id, month) DO UPDATE SET earned = earned + excluded.earned`,
      )
      .bind(id),
  ];
}

/**
 * Points that are the member's now (`earn`, or a positive `adjust`): they pay the member's debt first,
 * the rest is added to the balance; all of them join the expiring lots with `expiresAt` (null: never).
 */
export function credit(
  db: Db,
  member: MemberRef,
  context: LedgerContext & { kind: 'earn' | 'adjust'; amount: Amount; expiresAt: string | null },
): D1PreparedStatement[] {
  const where = memberWhere(member);
  const amount = amountSql(context.amount);
  const insert = db.d1
    .prepare(
      `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, debt, lot, expires_at, ${REF_COLUMNS})
       SELECT ?, m.id, ?, ?, max(0, a.p - m.debt), -min(m.debt, a.p), a.p, ?, ${REF_VALUES}
       FROM loyalty_members m, (SELECT ${amount.sql} AS p) AS a WHERE ${where.sql} AND a.p > 0`,
    )
    .bind(context.id, context.kind, context.source, context.expiresAt, ...refs(context), ...amount.params, ...where.params);
  return [insert, ...applyRow(db, context.id)];
}

/** Points that wait out the return window (`pending`) until `availableAt`, when `release` makes them the member's. */
export function pend(db: Db, member: MemberRef, context: LedgerContext & { amount: Amount; availableAt: string }): D1PreparedStatement[] {
  const where = memberWhere(member);
  const amount = amountSql(context.amount);
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, pending, ${REF_COLUMNS})
         SELECT ?, m.id, 'pending', ?, a.p, ${REF_VALUES}
         FROM loyalty_members m, (SELECT ${amount.sql} AS p) AS a WHERE ${where.sql} AND a.p > 0`,
      )
      .bind(context.id, context.source, ...refs(context), ...amount.params, ...where.params),
    db.d1
      .prepare(
        `INSERT INTO loyalty_pending (ledger_id, member_id, conversion_id, points, available_at)
         SELECT id, member_id, conversion_id, pending, ? FROM loyalty_ledger WHERE id = ?`,
      )
      .bind(context.availableAt, context.id),
    ...applyRow(db, context.id),
  ];
}

/**
 * Releases what is left of pending row `pendingId` (a refund may have taken some): a `release` row moves it
 * from pending to the balance (debt first) and into the expiring lots; the pending row is gone after.
 */
export function release(db: Db, pendingId: string, id: string, at: string, expiresAt: string | null): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, pending, debt, lot, expires_at, event_id, conversion_id, occurred_at, day)
         SELECT ?, m.id, 'release', l.source, max(0, p.points - m.debt), -p.points, -min(m.debt, p.points), p.points, ?, l.event_id, l.conversion_id, ?, ?
         FROM loyalty_pending p JOIN loyalty_ledger l ON l.id = p.ledger_id JOIN loyalty_members m ON m.id = p.member_id
         WHERE p.ledger_id = ? AND p.points > 0`,
      )
      .bind(id, expiresAt, at, at.slice(0, 10), pendingId),
    ...applyRow(db, id),
    db.d1.prepare('DELETE FROM loyalty_pending WHERE ledger_id = ?').bind(pendingId),
  ];
}

/**
 * Takes points off the balance (`spend` for a reward, a negative `adjust`), only when the balance covers all
 * of them and `guard` (SQL from code, e.g. that the redemption row was inserted) holds; otherwise no row.
 */
export function debit(
  db: Db,
  member: MemberRef,
  context: LedgerContext & { kind: 'spend' | 'adjust'; amount: Amount; guard?: { sql: string; params: readonly unknown[] } },
): D1PreparedStatement[] {
  const where = memberWhere(member);
  const amount = amountSql(context.amount);
  const guard = context.guard ? ` AND (${context.guard.sql})` : '';
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, ${REF_COLUMNS})
         SELECT ?, m.id, ?, ?, -a.p, ${REF_VALUES}
         FROM loyalty_members m, (SELECT ${amount.sql} AS p) AS a WHERE ${where.sql} AND a.p > 0 AND m.balance >= a.p${guard}`,
      )
      .bind(context.id, context.kind, context.source, ...refs(context), ...amount.params, ...where.params, ...(context.guard?.params ?? [])),
    ...applyRow(db, context.id),
  ];
}

/**
 * Takes back available points a refund reverses: from the balance as far as it goes, the rest becomes debt
 * (the balance never goes below zero). `expiresAt` is that of the lot being reversed, so the negative lot
 * cancels it and the reversed points never expire.
 */
export function reverse(
  db: Db,
  member: MemberRef,
  context: LedgerContext & { amount: Amount; expiresAt: string | null; guard?: Guard },
): D1PreparedStatement[] {
  const where = memberWhere(member);
  const amount = amountSql(context.amount);
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, debt, lot, expires_at, ${REF_COLUMNS})
         SELECT ?, m.id, 'reverse', ?, -min(m.balance, a.p), a.p - min(m.balance, a.p), -a.p, ?, ${REF_VALUES}
         FROM loyalty_members m, (SELECT ${amount.sql} AS p) AS a WHERE ${where.sql} AND a.p > 0${guardSql(context.guard)}`,
      )
      .bind(context.id, context.source, context.expiresAt, ...refs(context), ...amount.params, ...where.params, ...(context.guard?.params ?? [])),
    ...applyRow(db, context.id),
  ];
}

/** Takes back up to `amount` of pending row `pendingId` before it is released (a refund inside the return window). */
export function reversePending(db: Db, pendingId: string, context: LedgerContext & { amount: number; guard?: Guard }): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, pending, ${REF_COLUMNS})
         SELECT ?, p.member_id, 'reverse', ?, -min(p.points, ?), ${REF_VALUES}
         FROM loyalty_pending p WHERE p.ledger_id = ? AND min(p.points, ?) > 0${guardSql(context.guard)}`,
      )
      .bind(context.id, context.source, Math.floor(context.amount), ...refs(context), pendingId, Math.floor(context.amount), ...(context.guard?.params ?? [])),
    db.d1
      .prepare('UPDATE loyalty_pending SET points = points + (SELECT pending FROM loyalty_ledger WHERE id = ?) WHERE ledger_id = ?')
      .bind(context.id, pendingId),
    ...applyRow(db, context.id),
  ];
}

/**
 * Expires what is due at `at`, first in first out: the lots expired by then, less everything spent or expired
 * before (taken from the oldest lots first), at most the balance. Marks the member expired through `at`.
 */
export function expire(db: Db, memberId: string, id: string, at: string): D1PreparedStatement[] {
  return [
    db.d1
      .prepare(
        `INSERT INTO loyalty_ledger (id, member_id, kind, source, points, occurred_at, day)
         SELECT ?, m.id, 'expire', 'expiry', -d.due, ?, ?
         FROM loyalty_members m, (
           SELECT max(0, min(m2.balance, coalesce((SELECT sum(lot) FROM loyalty_ledger WHERE member_id = m2.id AND lot <> 0 AND expires_at <= ?), 0)
             - m2.spent_total - m2.expired_total)) AS due
           FROM loyalty_members m2 WHERE m2.id = ?
         ) AS d
         WHERE m.id = ? AND d.due > 0`,
      )
      .bind(id, at, at.slice(0, 10), at, memberId, memberId),
    ...applyRow(db, id),
    db.d1.prepare('UPDATE loyalty_members SET expired_through = ? WHERE id = ?').bind(at, memberId),
  ];
}
