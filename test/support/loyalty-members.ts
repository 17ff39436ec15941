/** Members with points for tests of the spending side: made with the ledger's own primitives, as the earning side does. */
import { env } from 'cloudflare:workers';
import { createDb, runAtomically } from '../../src/db/client';
import { credit, ensureMember } from '../../src/db/loyalty-ledger';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { newId } from '../../src/lib/ids';

export const db = () => createDb(env.DB);

/** The member of customer `ref` (created when new), credited `points` earned at `at` (by a review). Resolves to the member id. */
export async function memberWith(ref: string, points: number, at = '2026-11-01T10:00:00.000Z', expiresAt: string | null = null): Promise<string> {
  const hash = await customerHashOf(env as Bindings, ref);
  const statements = [ensureMember(db(), hash, newId('member'), at)];
  if (points > 0) {
    statements.push(...credit(db(), { customerHash: hash }, { id: newId('ledger'), kind: 'earn', source: 'review', amount: points, at, expiresAt }));
  }
  await runAtomically(db(), statements);
  const row = await env.DB.prepare('SELECT id FROM loyalty_members WHERE customer_hash = ?').bind(hash).first<{ id: string }>();
  return row!.id;
}

/** The member's stored counters. */
export const memberRow = (id: string) =>
  env.DB.prepare('SELECT balance, pending, debt, spent_total FROM loyalty_members WHERE id = ?')
    .bind(id)
    .first<{ balance: number; pending: number; debt: number; spent_total: number }>();
