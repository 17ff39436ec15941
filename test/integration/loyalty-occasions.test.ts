/**
 * Points that arrive by themselves — a sale, an action code entry, a referred sale — booked once even when
 * delivered twice; the retry queue; the cron's release and expiry with exact balances; erasure.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createDb, runAtomically } from '../../src/db/client';
import { debit } from '../../src/db/loyalty-ledger';
import { queueOccasion } from '../../src/db/loyalty-occasions';
import type { Bindings } from '../../src/env';
import { runLoyaltyCron } from '../../src/services/loyalty-cron';
import { BASE, call, json, makeCampaign } from '../helpers';
import { storeTouches, touchRow } from '../support/attribution-fixture';
import { mintCodes } from '../support/codes';
import { convert, referralOf, rewardedCampaign, visit } from '../support/referral-fixture';
import { at, hashOf, makeRule, memberOf, postEvent, resetLoyalty, setProgram } from '../support/loyalty';

beforeEach(async () => {
  await resetLoyalty();
  await env.DB.prepare('DELETE FROM loyalty_pending_occasions').run();
});

const db = () => createDb(env.DB);
const eventsOf = async (hash: string) =>
  (
    await env.DB.prepare(
      `SELECT e.idempotency_key, e.type, e.points, e.status, e.campaign_id, e.channel, e.country, e.region, e.conversion_id, e.code_entry_id
       FROM loyalty_events e JOIN loyalty_members m ON m.id = e.member_id WHERE m.customer_hash = ? ORDER BY e.type, e.id`,
    )
      .bind(hash)
      .all()
  ).results;

describe('points from a sale', () => {
  it("books a sale's purchase points with its last touch's campaign, channel and place, once even when the order is posted twice", async () => {
    await setProgram();
    const campaign = await makeCampaign({ name: 'Tour' });
    const base = await makeRule({ kind: 'purchase', points: 1 });
    const tour = await makeRule({
      kind: 'purchase',
      points: 2,
      campaign_id: campaign.id,
      channel: 'email',
      place: { countries: ['DE'], regions: ['Bavaria'] },
    });
    const click = touchRow({ campaign_id: campaign.id, channel: 'email', country: 'DE', region: 'Bavaria', occurred_at: '2026-03-10T11:00:00.000Z' });
    await storeTouches([click]);
    const sale = { order_id: 'o-1', click_id: click.id, customer_ref: 'cust-1', value: 42.5 };
    const [first, again] = await Promise.all([convert(0, sale), convert(0, sale)]);
    expect([first.status, again.status].sort()).toEqual([200, 201]);
    const conversionId = (await json(first)).id;

    const hash = await hashOf('cust-1');
    expect(await eventsOf(hash)).toEqual([
      {
        idempotency_key: `conversion:${conversionId}`,
        type: 'purchase',
        points: 42 + 84,
        status: 'available',
        campaign_id: campaign.id,
        channel: 'email',
        country: 'DE',
        region: 'Bavaria',
        conversion_id: conversionId,
        code_entry_id: null,
      },
    ]);
    expect(await memberOf(hash)).toMatchObject({ balance: 126 });
    const ledger = await env.DB.prepare('SELECT kind, source, points, conversion_id, event_id IS NOT NULL AS has_event FROM loyalty_ledger').all();
    expect(ledger.results).toEqual([{ kind: 'earn', source: 'purchase', points: 126, conversion_id: conversionId, has_event: 1 }]);
    const entries = await env.DB.prepare('SELECT rule_id, points FROM loyalty_entries ORDER BY rule_id').all();
    expect(entries.results).toEqual([
      { rule_id: base.id, points: 42 },
      { rule_id: tour.id, points: 84 },
    ]);
  });

  it('keeps purchase points pending with the conversion on the pending row; a lead or a sale without customer earns nothing', async () => {
    await setProgram({ pending_days: 30 });
    await makeRule({ kind: 'purchase', points: 1 });
    const response = await convert(0, { order_id: 'o-2', customer_ref: 'cust-2', value: 10 });
    const conversionId = (await json(response)).id;
    expect(
      await env.DB.prepare('SELECT conversion_id, points, available_at FROM loyalty_pending')
        .all()
        .then((r) => r.results),
    ).toEqual([{ conversion_id: conversionId, points: 10, available_at: '2026-04-09T12:00:00.000Z' }]);
    await convert(1, { type: 'lead', customer_ref: 'cust-3' });
    await convert(2, { order_id: 'o-anon', value: 99 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_events').first())!.n).toBe(1);
  });
});

/** POST /api/v1/codes/redeem from a request the edge placed in `country`/`region`. */
async function redeemFrom(code: string, customerRef: string, cf: { country: string; region: string }) {
  const request = new Request(`${BASE}/api/v1/codes/redeem`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '203.0.113.9' },
    body: JSON.stringify({ code, customer_ref: customerRef }),
    cf,
  } as RequestInit);
  const ctx = createExecutionContext();
  const response = await createApp({ now: at('2026-12-02T10:00:00.000Z') }).fetch(request, env as Bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('points from an action code entry', () => {
  it('books an accepted entry with a customer: campaign, channel offline, the place of the request', async () => {
    await setProgram();
    const campaign = await makeCampaign({ name: 'Packs' });
    const rule = await makeRule({ kind: 'code_entry', points: 15, campaign_id: campaign.id, channel: 'offline' });
    const munich = await makeRule({ kind: 'code_entry', points: 15, place: { regions: ['bavaria'] } });
    await makeRule({ kind: 'code_entry', points: 99, place: { countries: ['AT'] } });
    const { codes } = await mintCodes({ campaign_id: campaign.id, count: 2 });
    expect((await redeemFrom(codes[0], 'cust-1', { country: 'DE', region: 'Bavaria' })).status).toBe(200);
    // The same code again is refused (used up): nothing more is booked.
    await redeemFrom(codes[0], 'cust-1', { country: 'DE', region: 'Bavaria' });
    const hash = await hashOf('cust-1');
    const entryId = (await env.DB.prepare("SELECT id FROM code_entries WHERE result = 'accepted'").first<{ id: string }>())!.id;
    expect(await eventsOf(hash)).toEqual([
      {
        idempotency_key: `code_entry:${entryId}`,
        type: 'code_entry',
        points: 30,
        status: 'available',
        campaign_id: campaign.id,
        channel: 'offline',
        country: 'DE',
        region: 'Bavaria',
        conversion_id: null,
        code_entry_id: entryId,
      },
    ]);
    expect((await env.DB.prepare('SELECT rule_id FROM loyalty_entries ORDER BY rule_id').all()).results).toEqual([
      { rule_id: rule.id },
      { rule_id: munich.id },
    ]);
    expect(await memberOf(hash)).toMatchObject({ balance: 30 });
  });
});

describe('points from a referral', () => {
  it("pays the referrer's referral points and the friend's welcome points for a referred sale, once", async () => {
    await setProgram();
    await makeRule({ kind: 'referral', points: 500 });
    await makeRule({ kind: 'referral_welcome', points: 200 });
    await makeRule({ kind: 'purchase', points: 1 });
    const campaign = await rewardedCampaign();
    const referral = await referralOf(campaign.id, 'alice');
    const bob = await visit(referral.code, 1);
    const sale = { order_id: 'o-bob', click_id: bob.clickId, customer_ref: 'bob', value: 50 };
    await convert(30, sale);
    await convert(31, sale);
    const alice = await hashOf('alice');
    const bobHash = await hashOf('bob');
    expect((await eventsOf(alice)).map((e: any) => [e.type, e.points, e.channel, e.campaign_id])).toEqual([['referral', 500, 'referral', campaign.id]]);
    expect((await eventsOf(bobHash)).map((e: any) => [e.type, e.points])).toEqual([
      ['purchase', 50],
      ['referral_welcome', 200],
    ]);
    expect(await memberOf(alice)).toMatchObject({ balance: 500 });
    expect(await memberOf(bobHash)).toMatchObject({ balance: 250 });
  });
});

describe('segment rules from purchase history', () => {
  it("pays by the customer's ABC segment and acquisition channel, computed from their sales", async () => {
    await setProgram();
    const rule = await makeRule({ kind: 'review', points: 10, segment: { abc: ['A'], acquisition_channels: ['email'] } });
    await makeRule({ kind: 'review', points: 1000, segment: { acquisition_channels: ['social'] } });
    const click = touchRow({ channel: 'email', occurred_at: '2026-03-10T11:00:00.000Z' });
    await storeTouches([click]);
    await convert(0, { order_id: 'big', click_id: click.id, customer_ref: 'big-spender', value: 1000 });
    await convert(1, { order_id: 'small', customer_ref: 'small-spender', value: 10 });
    const later = '2026-03-11T12:00:00.000Z';
    // big-spender: 1000 of 1010 → A, acquired by email; small-spender: C, acquired direct.
    expect((await postEvent({ type: 'review', idempotency_key: 'b', customer_ref: 'big-spender' }, later)).body).toMatchObject({
      points: 10,
      entries: [{ rule_id: rule.id, points: 10 }],
    });
    expect((await postEvent({ type: 'review', idempotency_key: 's', customer_ref: 'small-spender' }, later)).body.points).toBe(0);
    // A customer who never bought has no segment.
    expect((await postEvent({ type: 'review', idempotency_key: 'n', customer_ref: 'newcomer' }, later)).body.points).toBe(0);
  });
});

describe('the retry queue', () => {
  it('books a queued occasion in the cron, and an occasion delivered twice (queued after it was booked) only once', async () => {
    await setProgram();
    await makeRule({ kind: 'review', points: 40 });
    const hash = await hashOf('cust-q');
    const occasion = { type: 'review', customerHash: hash, idempotencyKey: 'review:q1', occurredAt: Date.parse('2026-12-01T00:00:00Z') };
    await queueOccasion(db(), 'review:q1', hash, JSON.stringify(occasion), 'D1 was down', '2026-12-01T00:00:00.000Z');
    expect(await runLoyaltyCron(db(), Date.parse('2026-12-01T00:05:00Z'))).toEqual({ released: 0, expired: 0, retried: 1 });
    expect(await memberOf(hash)).toMatchObject({ balance: 40 });
    // Delivered again: queued once more (its first outcome was unknown to the caller) — the key books nothing new.
    await queueOccasion(db(), 'review:q1', hash, JSON.stringify(occasion), 'timeout', '2026-12-01T00:06:00.000Z');
    expect((await runLoyaltyCron(db(), Date.parse('2026-12-01T00:10:00Z'))).retried).toBe(1);
    expect(await memberOf(hash)).toMatchObject({ balance: 40 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_events').first())!.n).toBe(1);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_pending_occasions').first())!.n).toBe(0);
  });
});

describe('the cron: pending → available → expired', () => {
  it('releases pending points after the return window and expires lots first in first out, with exact balances', async () => {
    await setProgram({ pending_days: 14, expiry_days: 30 });
    await makeRule({ kind: 'purchase', points: 1 });
    await makeRule({ kind: 'review', points: 10 });
    const hash = await hashOf('cust-1');
    const order = await postEvent({ type: 'purchase', idempotency_key: 'o1', value: 59.9, currency: 'EUR' }, '2026-12-02T10:00:00.000Z');
    expect(order.body.status).toBe('pending');
    const cron = (iso: string) => runLoyaltyCron(db(), Date.parse(iso));

    expect(await cron('2026-12-16T09:59:59.000Z')).toEqual({ released: 0, expired: 0, retried: 0 });
    expect(await memberOf(hash)).toMatchObject({ balance: 0, pending: 59 });
    expect(await cron('2026-12-16T10:00:00.000Z')).toEqual({ released: 1, expired: 0, retried: 0 });
    expect(await memberOf(hash)).toMatchObject({ balance: 59, pending: 0, earned_total: 59 });
    const released = await env.DB.prepare("SELECT points, expires_at, conversion_id, event_id FROM loyalty_ledger WHERE kind = 'release'").first();
    expect(released).toEqual({ points: 59, expires_at: '2027-01-15T10:00:00.000Z', conversion_id: null, event_id: order.body.id });
    expect((await env.DB.prepare('SELECT status FROM loyalty_events WHERE id = ?').bind(order.body.id).first())!.status).toBe('available');

    await postEvent({ type: 'review', idempotency_key: 'r1' }, '2026-12-20T10:00:00.000Z'); // expires 2027-01-19T10:00
    const member = await memberOf(hash);
    await runAtomically(
      db(),
      debit(db(), { memberId: member.id }, { id: 'led_spend_1', kind: 'spend', source: 'reward', amount: 20, at: '2026-12-25T00:00:00.000Z' }),
    );
    expect(await memberOf(hash)).toMatchObject({ balance: 49 });

    // The purchase lot (59) expires less the 20 spent from it first: 39; the review's 10 stay.
    expect(await cron('2027-01-15T10:00:00.000Z')).toEqual({ released: 0, expired: 1, retried: 0 });
    expect(await memberOf(hash)).toMatchObject({ balance: 10, expired_total: 39, spent_total: 20 });
    expect(await cron('2027-01-16T00:00:00.000Z')).toEqual({ released: 0, expired: 0, retried: 0 });
    expect(await cron('2027-01-19T10:00:00.000Z')).toEqual({ released: 0, expired: 1, retried: 0 });
    expect(await memberOf(hash)).toMatchObject({ balance: 0, expired_total: 49 });
  });
});

describe('the cron: the expiry scan', () => {
  it('reads from its watermark on, a bounded number of lots a run, and reaches every member', async () => {
    await setProgram({ expiry_days: 10 });
    await makeRule({ kind: 'review', points: 10 });
    for (const [n, day] of [
      [1, '01'],
      [2, '02'],
      [3, '03'],
    ] as const) {
      await postEvent({ type: 'review', idempotency_key: `w${n}`, customer_ref: `lot-${n}` }, `2026-12-${day}T00:00:00.000Z`);
    }
    const watermark = () => env.DB.prepare("SELECT value FROM settings WHERE key = 'loyalty_expiry_watermark'").first('value');
    const cron = (iso: string) => runLoyaltyCron(db(), Date.parse(iso), { releases: 25, expiries: 2, occasions: 20 });
    expect(await cron('2027-01-01T00:00:00.000Z')).toEqual({ released: 0, expired: 2, retried: 0 });
    expect(await watermark()).toBe('2026-12-12T00:00:00.000Z');
    expect(await cron('2027-01-01T00:00:00.000Z')).toEqual({ released: 0, expired: 1, retried: 0 });
    expect(await watermark()).toBe('2027-01-01T00:00:00.000Z');
    expect(await cron('2027-01-02T00:00:00.000Z')).toEqual({ released: 0, expired: 0, retried: 0 });
    for (const n of [1, 2, 3]) expect(await memberOf(await hashOf(`lot-${n}`))).toMatchObject({ balance: 0, expired_total: 10 });
  });
});

describe('erasing a customer', () => {
  it('pseudonymises the member (customer_hash NULL) and keeps the ledger and its sums', async () => {
    await setProgram();
    await makeRule({ kind: 'review', points: 25 });
    await postEvent({ type: 'review', idempotency_key: 'e1', customer_ref: 'erase-me' });
    const hash = await hashOf('erase-me');
    const member = await memberOf(hash);
    await queueOccasion(db(), 'review:late', hash, '{}', 'x', '2026-12-02T00:00:00.000Z');
    const response = await call('DELETE', '/api/v1/customers/erase-me');
    expect(await json(response)).toMatchObject({ erased: true, rows: { loyalty_members: 1, loyalty_pending_occasions: 1 } });
    expect(await memberOf(hash)).toBeNull();
    const kept = await env.DB.prepare('SELECT customer_hash, balance, earned_total FROM loyalty_members WHERE id = ?').bind(member.id).first();
    expect(kept).toEqual({ customer_hash: null, balance: 25, earned_total: 25 });
    expect((await env.DB.prepare('SELECT sum(points) AS p FROM loyalty_ledger WHERE member_id = ?').bind(member.id).first())!.p).toBe(25);
    // The same customer_ref later is a new member.
    await postEvent({ type: 'review', idempotency_key: 'e2', customer_ref: 'erase-me' });
    expect((await memberOf(hash)).id).not.toBe(member.id);
  });
});
