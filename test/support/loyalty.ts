/** Shared set-up of the bonus program's tests: the program, rules and events through the API, and a member's counters. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { hmacHex } from '../../src/lib/crypto';
import { call, json } from '../helpers';

export const PROGRAM = {
  name: 'Bean Club',
  points_name: 'Beans',
  point_value: 0.01,
  currency: 'EUR',
  pending_days: 0,
  expiry_days: null,
  tiers: [] as Array<{ name: string; min_points_12m: number; multiplier: number }>,
  enrollment: 'automatic',
};

/** Sets the program (fields over PROGRAM); fails the test unless it is saved. */
export async function setProgram(fields: Record<string, unknown> = {}): Promise<any> {
  const response = await call('PUT', '/api/v1/loyalty/program', { body: { ...PROGRAM, ...fields } });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

/** Creates a rule and returns its JSON. */
export async function makeRule(fields: Record<string, unknown>): Promise<any> {
  const response = await call('POST', '/api/v1/loyalty/rules', { body: { name: 'Rule', points: 10, ...fields } });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

/** A clock at `iso`. */
export const at = (iso: string) => () => Date.parse(iso);

/** Posts an event at `iso`; resolves to status and body. */
export async function postEvent(body: Record<string, unknown>, iso = '2026-12-02T10:00:00.000Z'): Promise<{ status: number; body: any }> {
  const response = await call('POST', '/api/v1/loyalty/events', { body: { customer_ref: 'cust-1', ...body }, now: at(iso) });
  return { status: response.status, body: await json(response) };
}

/** The member of `customerRef`'s counters, checked against the sums of their ledger rows. */
export async function memberOf(customerHash: string) {
  const member = await env.DB.prepare(
    'SELECT id, balance, pending, debt, earned_total, spent_total, expired_total, tier FROM loyalty_members WHERE customer_hash = ?',
  )
    .bind(customerHash)
    .first<any>();
  if (!member) return null;
  const sums = await env.DB.prepare(
    'SELECT coalesce(sum(points), 0) AS p, coalesce(sum(pending), 0) AS q, coalesce(sum(debt), 0) AS d FROM loyalty_ledger WHERE member_id = ?',
  )
    .bind(member.id)
    .first<any>();
  expect([member.balance, member.pending, member.debt]).toEqual([sums.p, sums.q, sums.d]);
  return member;
}

/** The stored hash of a customer_ref under the tests' HASH_SECRET. */
export const hashOf = (customerRef: string): Promise<string> => hmacHex('test-hash-secret', customerRef);

const LOYALTY_TABLES = [
  'loyalty_program',
  'loyalty_rules',
  'loyalty_members',
  'loyalty_member_months',
  'loyalty_events',
  'loyalty_entries',
  'loyalty_ledger',
  'loyalty_pending',
  'loyalty_challenges',
  'loyalty_challenge_completions',
];

/** Storage is shared by the tests of a file: each loyalty test starts from no program, rules or members. */
export async function resetLoyalty(): Promise<void> {
  await env.DB.batch([
    ...LOYALTY_TABLES.map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
    env.DB.prepare("DELETE FROM settings WHERE key = 'loyalty_expiry_watermark'"),
  ]);
}
