/**
 * The loyalty-program report on a fixture whose every number is worked out by hand below. The range is
 * 2032-01-10 to 2032-01-12 (end 2032-01-13T00:00Z; 30 days before: 2031-12-14, 90 days: 2031-10-15).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb, runAtomically } from '../../src/db/client';
import { credit, debit, ensureMember, expire, pend, release, reverse, reversePending } from '../../src/db/loyalty-ledger';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { call, DESKTOP_CHROME, json, makeCampaign, makeKey, makeLink, BASE } from '../helpers';
import { countingDb } from '../support/counting-db';

const db = () => createDb(env.DB);
const RANGE = 'from=2032-01-10&to=2032-01-12';
const later = () => Date.parse('2032-02-01T00:00:00Z');
let serial = 0;
const id = () => `led_${String(++serial).padStart(4, '0')}`;
const hashOf = (ref: string) => customerHashOf(env as Bindings, ref);

async function clickId(slug: string, at: string, visitor: string): Promise<string> {
  const headers = { 'User-Agent': DESKTOP_CHROME, Cookie: `tp_vid=${visitor}` };
  const response = await call('GET', `/${slug}`, { key: null, headers, now: () => Date.parse(at) });
  return new URL(response.headers.get('Location')!).searchParams.get('tp_click')!;
}

async function sale(orderId: string, at: string, value: number, currency: string, customerRef: string, click?: string) {
  const body = { type: 'sale', order_id: orderId, value, currency, customer_ref: customerRef, occurred_at: at, ...(click ? { click_id: click } : {}) };
  const response = await call('POST', '/api/v1/conversions', { body, now: later });
  if (response.status !== 201) throw new Error(await response.text());
}

async function member(memberId: string, hash: string, joinedAt: string, tier: string | null) {
  await runAtomically(db(), [ensureMember(db(), hash, memberId, joinedAt)]);
  await env.DB.prepare('UPDATE loyalty_members SET tier = ? WHERE id = ?').bind(tier, memberId).run();
}

async function event(memberId: string, type: string, at: string) {
  await env.DB.prepare(`INSERT INTO loyalty_events (id, idempotency_key, member_id, type, status, occurred_at, day) VALUES (?, ?, ?, ?, 'no_points', ?, ?)`)
    .bind(`lev_${++serial}`, `test:${serial}`, memberId, type, at, at.slice(0, 10))
    .run();
}

async function redemption(redemptionId: string, rewardId: string, memberId: string, cost: number, at: string) {
  await env.DB.prepare('INSERT INTO loyalty_redemptions (id, reward_id, member_id, cost, created_at, day) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(redemptionId, rewardId, memberId, cost, at, at.slice(0, 10))
    .run();
}

async function reward(rewardId: string, name: string, kind: string, cost: number, archived: boolean) {
  await env.DB.prepare('INSERT INTO loyalty_rewards (id, name, kind, cost, archived_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(rewardId, name, kind, cost, archived ? '2031-12-31T00:00:00.000Z' : null, '2031-09-01T00:00:00.000Z', '2031-09-01T00:00:00.000Z')
    .run();
}

const run = (statements: D1PreparedStatement[]) => runAtomically(db(), statements);

beforeAll(async () => {
  await call('PUT', '/api/v1/exchange-rates', { body: { rates: [{ currency: 'USD', day: '2032-01-11', rate: 0.9 }] } });

  // Customers. A (member, email): 100 on the 10th, 50 on the 12th. B (member, direct): 30.
  // C (not a member, direct): 20 EUR and 100 USD (= 90 EUR). D (not a member, email): 40. E: acquired before the range.
  const campaign = await makeCampaign({ name: 'Beans mail' });
  await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email', slug: 'beans-mail' });
  await sale('B-1', '2032-01-10T10:00:00.000Z', 100, 'EUR', 'cust-A', await clickId('beans-mail', '2032-01-10T09:00:00.000Z', 'v_01JBEANS00000000000000AAAA'));
  await sale('B-2', '2032-01-12T10:00:00.000Z', 50, 'EUR', 'cust-A');
  await sale('B-3', '2032-01-11T10:00:00.000Z', 30, 'EUR', 'cust-B');
  await sale('B-4', '2032-01-10T10:00:00.000Z', 20, 'EUR', 'cust-C');
  await sale('B-5', '2032-01-11T10:00:00.000Z', 100, 'USD', 'cust-C');
  await sale('B-6', '2032-01-11T10:00:00.000Z', 40, 'EUR', 'cust-D', await clickId('beans-mail', '2032-01-11T09:00:00.000Z', 'v_01JBEANS00000000000000DDDD'));
  await sale('B-7', '2032-01-05T10:00:00.000Z', 70, 'EUR', 'cust-E');
  await sale('B-8', '2032-01-11T10:00:00.000Z', 70, 'EUR', 'cust-E');

  // The program starts after the sales, so none of them enrolls its customer (enrollment is automatic): the
  // members are exactly those made below.
  await env.DB.prepare(
    `INSERT INTO loyalty_program (id, name, points_name, point_value, currency, tiers, created_at, updated_at)
     VALUES ('program', 'Beans Club', 'Beans', 0.01, 'EUR', ?, '2031-09-01T00:00:00.000Z', '2031-09-01T00:00:00.000Z')`,
  )
    .bind(
      JSON.stringify([
        { name: 'Silver', min_points_12m: 500, multiplier: 1.5 },
        { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      ]),
    )
    .run();

  // Members: A and B are customers; C (mbr_C) and E (mbr_E) never bought; D joins after the range.
  await member('mbr_A', await hashOf('cust-A'), '2032-01-01T00:00:00.000Z', 'Silver');
  await member('mbr_B', await hashOf('cust-B'), '2032-01-11T00:00:00.000Z', 'Bronze');
  await member('mbr_C', 'hash-no-sales', '2032-01-12T00:00:00.000Z', null);
  await member('mbr_E', 'hash-old', '2031-09-01T00:00:00.000Z', 'Gold');
  await member('mbr_D', 'hash-late', '2032-01-20T00:00:00.000Z', 'Silver');

  // Activity: A, B, C in the last 30 days; E only in the last 90 (an event and a redemption); D after the range.
  await event('mbr_A', 'purchase', '2032-01-10T10:00:00.000Z');
  await event('mbr_A', 'review', '2032-01-11T09:00:00.000Z');
  await event('mbr_A', 'review', '2032-01-12T09:00:00.000Z');
  await event('mbr_B', 'survey', '2032-01-12T08:00:00.000Z');
  await event('mbr_C', 'referral', '2032-01-12T12:00:00.000Z');
  await event('mbr_E', 'custom', '2031-11-01T00:00:00.000Z');
  await event('mbr_E', 'review', '2031-12-10T00:00:00.000Z');
  await event('mbr_D', 'signup', '2032-01-20T00:00:00.000Z');

  await reward('rwd_COFFEE', 'Coffee', 'perk', 80, false);
  await reward('rwd_TOTE', 'Tote', 'perk', 500, true);
  await reward('rwd_VOUCHER', 'Voucher', 'discount', 50, false);
  await redemption('rdm_E1', 'rwd_VOUCHER', 'mbr_E', 50, '2031-12-01T00:00:00.000Z');
  await redemption('rdm_A1', 'rwd_COFFEE', 'mbr_A', 80, '2032-01-11T12:00:00.000Z');

  // Before the range: E earns 200 (expiring 2032-01-11) and spends 50; A earns 100. Opening balance 250.
  await run(
    credit(
      db(),
      { memberId: 'mbr_E' },
      { id: id(), kind: 'earn', source: 'review', amount: 200, at: '2031-11-01T00:00:00.000Z', expiresAt: '2032-01-11T00:00:00.000Z' },
    ),
  );
  await run(
    debit(db(), { memberId: 'mbr_E' }, { id: id(), kind: 'spend', source: 'reward', amount: 50, at: '2031-12-01T00:00:00.000Z', redemptionId: 'rdm_E1' }),
  );
  await run(credit(db(), { memberId: 'mbr_A' }, { id: id(), kind: 'earn', source: 'signup', amount: 100, at: '2032-01-01T00:00:00.000Z', expiresAt: null }));
  // 10th: A 100 purchase points pending, 30 code points. End: balance 280, pending 100.
  const pendingA = id();
  await run(
    pend(
      db(),
      { memberId: 'mbr_A' },
      { id: pendingA, source: 'purchase', amount: 100, at: '2032-01-10T10:00:00.000Z', availableAt: '2032-01-12T10:00:00.000Z' },
    ),
  );
  await run(credit(db(), { memberId: 'mbr_A' }, { id: id(), kind: 'earn', source: 'code_entry', amount: 30, at: '2032-01-10T11:00:00.000Z', expiresAt: null }));
  // 11th: E's 150 left expire; B earns 60; A spends 80. End: balance 110, pending 100.
  await run(expire(db(), 'mbr_E', id(), '2032-01-11T00:00:00.000Z'));
  await run(credit(db(), { memberId: 'mbr_B' }, { id: id(), kind: 'earn', source: 'purchase', amount: 60, at: '2032-01-11T10:00:00.000Z', expiresAt: null }));
  await run(
    debit(db(), { memberId: 'mbr_A' }, { id: id(), kind: 'spend', source: 'reward', amount: 80, at: '2032-01-11T12:00:00.000Z', redemptionId: 'rdm_A1' }),
  );
  // 12th: A's 100 are released (balance 150), a refund reverses 200 (150 off the balance, 50 debt);
  // B 20 pending, 5 of them reversed; C earns 10. End: balance 70, pending 15, debt 50.
  await run(release(db(), pendingA, id(), '2032-01-12T10:00:00.000Z', null));
  await run(reverse(db(), { memberId: 'mbr_A' }, { id: id(), source: 'refund', amount: 200, at: '2032-01-12T11:00:00.000Z', expiresAt: null }));
  const pendingB = id();
  await run(
    pend(
      db(),
      { memberId: 'mbr_B' },
      { id: pendingB, source: 'purchase', amount: 20, at: '2032-01-12T10:00:00.000Z', availableAt: '2032-01-20T00:00:00.000Z' },
    ),
  );
  await run(reversePending(db(), pendingB, { id: id(), source: 'refund', amount: 5, at: '2032-01-12T12:00:00.000Z' }));
  await run(credit(db(), { memberId: 'mbr_C' }, { id: id(), kind: 'earn', source: 'referral', amount: 10, at: '2032-01-12T12:00:00.000Z', expiresAt: null }));
  // After the range: not in any figure.
  await run(credit(db(), { memberId: 'mbr_B' }, { id: id(), kind: 'earn', source: 'purchase', amount: 999, at: '2032-01-13T00:00:00.000Z', expiresAt: null }));
});

const flows = (earned: number, pending: number, spent: number, expired: number, reversed: number) => ({ earned, pending, spent, expired, reversed });
const comparison = (channel: string | null, group: string, c: number[], median: number | null, unconverted: unknown[] = []) => ({
  ...(channel === null ? {} : { channel }),
  group,
  currency: 'EUR',
  customers: c[0],
  repeat_customers: c[1],
  repeat_rate: c[2],
  orders: c[3],
  revenue: c[4],
  revenue_per_customer: c[5],
  orders_per_customer: c[6],
  median_days_between_orders: median,
  unconverted,
});

describe('GET /api/v1/reports/loyalty-program', () => {
  it('adds up the fixture exactly', async () => {
    const response = await call('GET', `/api/v1/reports/loyalty-program?${RANGE}`, { now: later });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      from: '2032-01-10',
      to: '2032-01-12',
      currency: 'EUR',
      missing_rates: [],
      program: { name: 'Beans Club', points_name: 'Beans', point_value: 0.01, currency: 'EUR' },
      members: { total: 4, joined: 2, active_30d: 3, active_90d: 4 },
      points: {
        by_source: {
          rows: [
            { source: 'code_entry', ...flows(30, 0, 0, 0, 0) },
            { source: 'expiry', ...flows(0, 0, 0, 150, 0) },
            { source: 'purchase', ...flows(160, 120, 0, 0, 0) },
            { source: 'referral', ...flows(10, 0, 0, 0, 0) },
            { source: 'refund', ...flows(0, 0, 0, 0, 205) },
            { source: 'reward', ...flows(0, 0, 80, 0, 0) },
          ],
          totals: flows(200, 120, 80, 150, 205),
        },
        by_channel: {
          // direct: B (60 earned, 20 pending, 5 reversed), C (10), E (150 expired); email: A.
          rows: [
            { channel: 'direct', members: 3, ...flows(70, 20, 0, 150, 5) },
            { channel: 'email', members: 1, ...flows(130, 100, 80, 0, 200) },
          ],
          totals: { members: 4, ...flows(200, 120, 80, 150, 205) },
        },
      },
      liability: {
        rows: [
          { day: '2032-01-10', balance: 280, pending: 100, debt: 0, value: 2.8, currency: 'EUR' },
          { day: '2032-01-11', balance: 110, pending: 100, debt: 0, value: 1.1, currency: 'EUR' },
          { day: '2032-01-12', balance: 70, pending: 15, debt: 50, value: 0.7, currency: 'EUR' },
        ],
        totals: null,
      },
      rewards: {
        rows: [
          { reward_id: 'rwd_COFFEE', name: 'Coffee', kind: 'perk', redemptions: 1, members: 1, points: 80 },
          { reward_id: 'rwd_VOUCHER', name: 'Voucher', kind: 'discount', redemptions: 0, members: 0, points: 0 },
        ],
        totals: { redemptions: 1, points: 80 },
      },
      engagement: {
        rows: [
          { activity: 'review', members: 1, share: 0.25 },
          { activity: 'survey', members: 1, share: 0.25 },
          { activity: 'referral', members: 1, share: 0.25 },
          { activity: 'any', members: 3, share: 0.75 },
        ],
        totals: null,
      },
      tiers: {
        rows: [
          { tier: 'Bronze', members: 1, share: 0.25 },
          { tier: 'Silver', members: 1, share: 0.25 },
          { tier: 'Gold', members: 1, share: 0.25 },
          { tier: 'none', members: 1, share: 0.25 },
        ],
        totals: { members: 4, share: 1 },
      },
      members_vs_non_members: {
        // [customers, repeat customers, repeat rate, orders, revenue, revenue per customer, orders per customer]
        rows: [
          comparison('direct', 'members', [1, 0, 0, 1, 30, 30, 1], null),
          comparison('direct', 'non_members', [1, 1, 1, 2, 110, 110, 2], 1),
          comparison('email', 'members', [1, 1, 1, 2, 150, 150, 2], 2),
          comparison('email', 'non_members', [1, 0, 0, 1, 40, 40, 1], null),
        ],
        totals: [comparison(null, 'members', [2, 1, 0.5, 3, 180, 90, 1.5], 2), comparison(null, 'non_members', [2, 1, 0.5, 3, 150, 75, 1.5], 1)],
      },
    });
  });

  it('gives the members against non-members as CSV by default, with a total line per group', async () => {
    const response = await call('GET', `/api/v1/reports/loyalty-program?${RANGE}&format=csv`, { now: later });
    expect(response.headers.get('Content-Disposition')).toContain('loyalty-program-members_vs_non_members-2032-01-10-2032-01-12.csv');
    expect(await response.text()).toBe(
      [
        'channel,group,currency,customers,repeat_customers,repeat_rate,orders,revenue,revenue_per_customer,orders_per_customer,median_days_between_orders,unconverted',
        'direct,members,EUR,1,0,0,1,30.00,30.00,1,,',
        'direct,non_members,EUR,1,1,1,2,110.00,110.00,2,1,',
        'email,members,EUR,1,1,1,2,150.00,150.00,2,2,',
        'email,non_members,EUR,1,0,0,1,40.00,40.00,1,,',
        'total,members,EUR,2,1,0.5,3,180.00,90.00,1.5,2,',
        'total,non_members,EUR,2,1,0.5,3,150.00,75.00,1.5,1,',
        '',
      ].join('\r\n'),
    );
  });

  it('gives each other table as CSV', async () => {
    const csv = async (table: string) => (await call('GET', `/api/v1/reports/loyalty-program?${RANGE}&format=csv&table=${table}`, { now: later })).text();
    expect(await csv('points_by_source')).toBe(
      'source,earned,pending,spent,expired,reversed\r\ncode_entry,30,0,0,0,0\r\nexpiry,0,0,0,150,0\r\npurchase,160,120,0,0,0\r\n' +
        'referral,10,0,0,0,0\r\nrefund,0,0,0,0,205\r\nreward,0,0,80,0,0\r\ntotal,200,120,80,150,205\r\n',
    );
    expect(await csv('points_by_channel')).toBe(
      'channel,members,earned,pending,spent,expired,reversed\r\ndirect,3,70,20,0,150,5\r\nemail,1,130,100,80,0,200\r\ntotal,4,200,120,80,150,205\r\n',
    );
    expect(await csv('liability')).toBe(
      'day,balance,pending,debt,value,currency\r\n2032-01-10,280,100,0,2.80,EUR\r\n2032-01-11,110,100,0,1.10,EUR\r\n2032-01-12,70,15,50,0.70,EUR\r\n',
    );
    expect(await csv('rewards')).toBe(
      'reward_id,name,kind,redemptions,members,points\r\nrwd_COFFEE,Coffee,perk,1,1,80\r\nrwd_VOUCHER,Voucher,discount,0,0,0\r\ntotal,,,1,,80\r\n',
    );
    expect(await csv('engagement')).toBe('activity,members,share\r\nreview,1,0.25\r\nsurvey,1,0.25\r\nreferral,1,0.25\r\nany,3,0.75\r\n');
    expect(await csv('tiers')).toBe('tier,members,share\r\nBronze,1,0.25\r\nSilver,1,0.25\r\nGold,1,0.25\r\nnone,1,0.25\r\ntotal,4,1\r\n');
    expect(await csv('members')).toBe('total,joined,active_30d,active_90d\r\n4,2,3,4\r\n');
  });

  it('answers keys with loyalty:read or reports:read, and refuses an unknown table', async () => {
    for (const scope of ['loyalty:read', 'reports:read']) {
      const response = await call('GET', `/api/v1/reports/loyalty-program?${RANGE}`, { key: await makeKey([scope]), now: later });
      expect(response.status).toBe(200);
    }
    const refused = await call('GET', `/api/v1/reports/loyalty-program?${RANGE}&format=csv&table=nope`, { now: later });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.code).toBe('validation_error');
  });

  it('reads as many statements for many members as for a few', async () => {
    const count = async () => {
      const { DB, statements } = countingDb();
      const response = await call('GET', `/api/v1/reports/loyalty-program?${RANGE}`, { now: later, env: { DB, PUBLIC_ORIGIN: BASE } });
      expect(response.status).toBe(200);
      return statements();
    };
    const before = await count();
    for (let i = 0; i < 12; i++) {
      const memberId = `mbr_MANY${i}`;
      await member(memberId, `hash-many-${i}`, '2032-01-10T00:00:00.000Z', 'Bronze');
      await event(memberId, 'review', '2032-01-11T00:00:00.000Z');
      await run(credit(db(), { memberId }, { id: id(), kind: 'earn', source: 'review', amount: 5, at: '2032-01-11T00:00:00.000Z', expiresAt: null }));
    }
    expect(await count()).toBe(before);
    const report = await json(await call('GET', `/api/v1/reports/loyalty-program?${RANGE}`, { now: later }));
    expect(report.members).toEqual({ total: 16, joined: 14, active_30d: 15, active_90d: 16 });
  });
});
