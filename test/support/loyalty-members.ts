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

/** Sets up the one program (replacing any). */
export async function setProgram(fields: Record<string, unknown> = {}): Promise<void> {
  const row = {
    name: 'Bean Club',
    points_name: 'Beans',
    point_value: 0.01,
    currency: 'EUR',
    pending_days: 0,
    expiry_days: null,
    tiers: JSON.stringify([
      { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      { name: 'Silver', min_points_12m: 500, multiplier: 1.25 },
      { name: 'Gold', min_points_12m: 2000, multiplier: 1.5 },
    ]),
    enrollment: 'automatic',
    referral_campaign_id: null,
    ...fields,
  };
  const columns = Object.keys(row);
  await env.DB.prepare(
    `INSERT OR REPLACE INTO loyalty_program (id, ${columns.join(', ')}, created_at, updated_at) VALUES ('program', ${columns.map(() => '?').join(', ')}, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  )
    .bind(...Object.values(row))
    .run();
}
