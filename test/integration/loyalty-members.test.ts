/** A member through the API: figures in one read, history a page at a time, wallet links made and revoked. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAtomically } from '../../src/db/client';
import { credit, pend } from '../../src/db/loyalty-ledger';
import { call, json, makeKey } from '../helpers';
import { setProgram } from '../support/loyalty';
import { db, memberWith } from '../support/loyalty-members';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const now = () => NOW;
const ref = () => `cust ${crypto.randomUUID()}/x`;
const path = (customer: string, rest = '') => `/api/v1/loyalty/members/${encodeURIComponent(customer)}${rest}`;

beforeAll(() =>
  setProgram({
    tiers: [
      { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      { name: 'Silver', min_points_12m: 500, multiplier: 1.25 },
      { name: 'Gold', min_points_12m: 2000, multiplier: 1.5 },
    ],
  }),
);

describe('loyalty members', () => {
  it('answers balance, pending, debt, the tier of the last 12 months and the wallet link', async () => {
    const customer = ref();
    const member = await memberWith(customer, 300, '2026-01-10T00:00:00.000Z');
    // Earned in December 2025: outside this month and the eleven before it.
    await runAtomically(
      db(),
      credit(db(), { memberId: member }, { id: 'led_old_1', kind: 'earn', source: 'review', amount: 1000, at: '2025-12-20T00:00:00.000Z', expiresAt: null }),
    );
    await runAtomically(
      db(),
      credit(db(), { memberId: member }, { id: 'led_new_1', kind: 'earn', source: 'survey', amount: 250, at: '2026-12-01T00:00:00.000Z', expiresAt: null }),
    );
    await runAtomically(
      db(),
      pend(
        db(),
        { memberId: member },
        { id: 'led_pend_1', source: 'purchase', amount: 40, at: '2026-12-01T10:00:00.000Z', availableAt: '2026-12-15T10:00:00.000Z' },
      ),
    );

    const response = await call('GET', path(customer), { key: await makeKey(['loyalty:read']), now });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toEqual({
      member_id: member,
      balance: 1550,
      pending: 40,
      debt: 0,
      tier: 'Silver',
      points_12m: 550,
      wallet_url: expect.stringMatching(new RegExp(`^https://tp\\.test/w/${member}\\.1\\.[0-9a-f]{32}$`)),
    });
  });

  it('answers 404 for a customer who is not a member', async () => {
    const response = await call('GET', path('never-joined'));
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Member not found' } });
    expect((await call('GET', path('never-joined', '/history'))).status).toBe(404);
    expect((await call('POST', path('never-joined', '/wallet-link'))).status).toBe(404);
    expect((await call('POST', path('never-joined', '/wallet-link/revoke'))).status).toBe(404);
  });

  it('pages through the history newest first', async () => {
    const customer = ref();
    const member = await memberWith(customer, 0);
    for (let day = 1; day <= 5; day++) {
      await runAtomically(
        db(),
        credit(
          db(),
          { memberId: member },
          { id: `led_hist_${day}`, kind: 'earn', source: 'code_entry', amount: day * 10, at: `2026-11-0${day}T08:00:00.000Z`, expiresAt: null },
        ),
      );
    }
    const first = await json(await call('GET', path(customer, '/history?limit=2')));
    expect(first).toEqual({
      data: [
        {
          id: 'led_hist_5',
          kind: 'earn',
          source: 'code_entry',
          points: 50,
          pending: 0,
          debt: 0,
          occurred_at: '2026-11-05T08:00:00.000Z',
          event_id: null,
          redemption_id: null,
          challenge_id: null,
        },
        {
          id: 'led_hist_4',
          kind: 'earn',
          source: 'code_entry',
          points: 40,
          pending: 0,
          debt: 0,
          occurred_at: '2026-11-04T08:00:00.000Z',
          event_id: null,
          redemption_id: null,
          challenge_id: null,
        },
      ],
      next_cursor: '2026-11-04T08:00:00.000Z~led_hist_4',
    });
    const second = await json(await call('GET', path(customer, `/history?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`)));
    expect(second.data.map((row: any) => row.id)).toEqual(['led_hist_3', 'led_hist_2']);
    const third = await json(await call('GET', path(customer, `/history?limit=2&cursor=${encodeURIComponent(second.next_cursor)}`)));
    expect(third).toMatchObject({ data: [{ id: 'led_hist_1' }], next_cursor: null });
    const bad = await call('GET', path(customer, '/history?cursor=nonsense'));
    expect((await json(bad)).error).toEqual({ code: 'validation_error', message: 'cursor: must be a next_cursor of this list' });
  });

  it('gives the wallet link to loyalty:write and revokes every earlier one', async () => {
    const customer = ref();
    const member = await memberWith(customer, 10);
    const writer = await makeKey(['loyalty:write']);
    const link = await json(await call('POST', path(customer, '/wallet-link'), { key: writer }));
    expect(link.wallet_url).toMatch(new RegExp(`/w/${member}\\.1\\.`));

    const revoked = await json(await call('POST', path(customer, '/wallet-link/revoke'), { key: writer }));
    expect(revoked.wallet_url).toMatch(new RegExp(`/w/${member}\\.2\\.[0-9a-f]{32}$`));
    const version = await env.DB.prepare('SELECT wallet_version FROM loyalty_members WHERE id = ?').bind(member).first();
    expect(version).toEqual({ wallet_version: 2 });
    expect((await json(await call('POST', path(customer, '/wallet-link'), { key: writer }))).wallet_url).toBe(revoked.wallet_url);
  });
});
