/** The ledger primitives against the real local D1: exact counters, debt paid first, FIFO expiry, races. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb, runAtomically } from '../../src/db/client';
import { credit, debit, ensureMember, expire, pend, release, reverse, reversePending } from '../../src/db/loyalty-ledger';
import { findMember } from '../../src/db/loyalty-members';

const db = () => createDb(env.DB);
let serial = 0;
const nextId = () => `led_${String(++serial).padStart(6, '0')}`;

async function newMember(): Promise<string> {
  const id = `mbr_${++serial}`;
  await runAtomically(db(), [ensureMember(db(), `hash-${id}`, id, '2026-01-01T00:00:00.000Z')]);
  return id;
}

async function counters(memberId: string) {
  const member = await env.DB.prepare('SELECT balance, pending, debt, earned_total, spent_total, expired_total FROM loyalty_members WHERE id = ?')
    .bind(memberId)
    .first();
  const sums = await env.DB.prepare('SELECT sum(points) AS points, sum(pending) AS pending, sum(debt) AS debt FROM loyalty_ledger WHERE member_id = ?')
    .bind(memberId)
    .first<{ points: number; pending: number; debt: number }>();
  // The stored counters are the ledger's sums, always.
  expect([member!.balance, member!.pending, member!.debt]).toEqual([sums!.points ?? 0, sums!.pending ?? 0, sums!.debt ?? 0]);
  return member;
}

const earn = (memberId: string, amount: number, at: string, expiresAt: string | null = null) =>
  runAtomically(db(), credit(db(), { memberId }, { id: nextId(), kind: 'earn', source: 'review', amount, at, expiresAt }));
const spend = (memberId: string, amount: number, at: string) =>
  runAtomically(db(), debit(db(), { memberId }, { id: nextId(), kind: 'spend', source: 'reward', amount, at }));

describe('loyalty ledger', () => {
  it('creates a member once per customer and earns into the balance', async () => {
    const first = await runAtomically(db(), [
      ensureMember(db(), 'hash-same', 'mbr_a', '2026-01-01T00:00:00.000Z'),
      ensureMember(db(), 'hash-same', 'mbr_b', '2026-01-02T00:00:00.000Z'),
      ...credit(
        db(),
        { customerHash: 'hash-same' },
        { id: nextId(), kind: 'earn', source: 'signup', amount: 50, at: '2026-01-02T00:00:00.000Z', expiresAt: null },
      ),
    ]);
    expect(first).toHaveLength(5);
    const rows = await env.DB.prepare("SELECT id, balance, last_activity_at FROM loyalty_members WHERE customer_hash = 'hash-same'").all();
    expect(rows.results).toEqual([{ id: 'mbr_a', balance: 50, last_activity_at: '2026-01-02T00:00:00.000Z' }]);
    expect(
      await env.DB.prepare("SELECT month, earned FROM loyalty_member_months WHERE member_id = 'mbr_a'")
        .all()
        .then((r) => r.results),
    ).toEqual([{ month: '2026-01', earned: 50 }]);
  });

  it('spends only what the balance covers: twenty parallel spends of a balance for one give exactly one', async () => {
    const member = await newMember();
    await earn(member, 100, '2026-01-05T00:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 20 }, () => spend(member, 80, '2026-01-06T00:00:00.000Z')));
    expect(results.filter((batch) => batch[0].meta.changes === 1)).toHaveLength(1);
    expect(await counters(member)).toEqual({ balance: 20, pending: 0, debt: 0, earned_total: 100, spent_total: 80, expired_total: 0 });
  });

  it('reverses into debt when the points were spent, and later earnings pay the debt first', async () => {
    const member = await newMember();
    await earn(member, 100, '2026-01-05T00:00:00.000Z', '2027-01-05T00:00:00.000Z');
    await spend(member, 60, '2026-01-06T00:00:00.000Z');
    await runAtomically(
      db(),
      reverse(
        db(),
        { memberId: member },
        { id: nextId(), source: 'refund', amount: 100, at: '2026-01-07T00:00:00.000Z', expiresAt: '2027-01-05T00:00:00.000Z' },
      ),
    );
    expect(await counters(member)).toEqual({ balance: 0, pending: 0, debt: 60, earned_total: 0, spent_total: 60, expired_total: 0 });
    await earn(member, 100, '2026-02-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z');
    expect(await counters(member)).toEqual({ balance: 40, pending: 0, debt: 0, earned_total: 100, spent_total: 60, expired_total: 0 });
    // FIFO: the reversed lot never expires; of the second lot, the 60 paid as debt count as spent, so 40 expire.
    await runAtomically(db(), expire(db(), member, nextId(), '2027-01-10T00:00:00.000Z'));
    expect((await counters(member))!.balance).toBe(40);
    await runAtomically(db(), expire(db(), member, nextId(), '2027-02-02T00:00:00.000Z'));
    expect(await counters(member)).toEqual({ balance: 0, pending: 0, debt: 0, earned_total: 100, spent_total: 60, expired_total: 40 });
  });

  it('expires first in first out: what was spent comes from the oldest lot', async () => {
    const member = await newMember();
    await earn(member, 100, '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
    await earn(member, 50, '2026-02-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    await spend(member, 70, '2026-03-01T00:00:00.000Z');
    await runAtomically(db(), expire(db(), member, nextId(), '2026-04-02T00:00:00.000Z'));
    expect(await counters(member)).toEqual({ balance: 50, pending: 0, debt: 0, earned_total: 150, spent_total: 70, expired_total: 30 });
    // Running again at the same time expires nothing more.
    await runAtomically(db(), expire(db(), member, nextId(), '2026-04-02T00:00:00.000Z'));
    expect((await counters(member))!.expired_total).toBe(30);
    await runAtomically(db(), expire(db(), member, nextId(), '2026-05-02T00:00:00.000Z'));
    expect(await counters(member)).toEqual({ balance: 0, pending: 0, debt: 0, earned_total: 150, spent_total: 70, expired_total: 80 });
  });

  it('holds pending points apart, reverses part of them, then releases the rest', async () => {
    const member = await newMember();
    const pendingId = nextId();
    await runAtomically(
      db(),
      pend(
        db(),
        { memberId: member },
        { id: pendingId, source: 'purchase', amount: 90, at: '2026-01-01T00:00:00.000Z', availableAt: '2026-01-15T00:00:00.000Z', conversionId: 'cnv_1' },
      ),
    );
    expect(await counters(member)).toEqual({ balance: 0, pending: 90, debt: 0, earned_total: 0, spent_total: 0, expired_total: 0 });
    await runAtomically(db(), reversePending(db(), pendingId, { id: nextId(), source: 'refund', amount: 30, at: '2026-01-03T00:00:00.000Z' }));
    expect(await counters(member)).toEqual({ balance: 0, pending: 60, debt: 0, earned_total: 0, spent_total: 0, expired_total: 0 });
    await runAtomically(db(), release(db(), pendingId, nextId(), '2026-01-15T00:00:00.000Z', null));
    expect(await counters(member)).toEqual({ balance: 60, pending: 0, debt: 0, earned_total: 60, spent_total: 0, expired_total: 0 });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM loyalty_pending WHERE member_id = ?').bind(member).first('n')).toBe(0);
    // Releasing again finds nothing to release.
    await runAtomically(db(), release(db(), pendingId, nextId(), '2026-01-16T00:00:00.000Z', null));
    expect((await counters(member))!.balance).toBe(60);
  });

  it('spends under a guard only: no row and no change when the guard fails', async () => {
    const member = await newMember();
    await earn(member, 10, '2026-01-01T00:00:00.000Z');
    await runAtomically(
      db(),
      debit(
        db(),
        { memberId: member },
        { id: nextId(), kind: 'spend', source: 'reward', amount: 5, at: '2026-01-02T00:00:00.000Z', guard: { sql: '1 = ?', params: [0] } },
      ),
    );
    expect(await counters(member)).toEqual({ balance: 10, pending: 0, debt: 0, earned_total: 10, spent_total: 0, expired_total: 0 });
  });

  it('reads a member with the points of the last 12 months in one statement', async () => {
    const member = await newMember();
    await earn(member, 30, '2025-11-20T00:00:00.000Z');
    await earn(member, 70, '2026-01-03T00:00:00.000Z');
    await earn(member, 5, '2026-12-01T00:00:00.000Z');
    await spend(member, 40, '2026-12-01T10:00:00.000Z');
    const figures = await findMember(db(), { id: member }, Date.parse('2026-12-02T00:00:00Z'));
    expect(figures).toEqual({
      id: member,
      balance: 65,
      pending: 0,
      debt: 0,
      tier: null,
      walletVersion: 1,
      points12m: 75,
      earnedTotal: 105,
      spentTotal: 40,
      expiredTotal: 0,
      joinedAt: '2026-01-01T00:00:00.000Z',
      lastActivityAt: '2026-12-01T10:00:00.000Z',
    });
    expect(await findMember(db(), { customerHash: `hash-${member}` }, Date.parse('2026-12-02T00:00:00Z'))).toEqual(figures);
    expect(await findMember(db(), { customerHash: 'nobody' }, Date.now())).toBeUndefined();
  });
});
