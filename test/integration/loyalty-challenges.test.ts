/** /api/v1/loyalty/challenges and their bonus: paid once when the goal is met in the period, also under parallel events; progress per member. */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { challengeProgress } from '../../src/db/loyalty-challenges';
import { call, json, makeKey } from '../helpers';
import { hashOf, makeRule, memberOf, postEvent, resetLoyalty, setProgram } from '../support/loyalty';

beforeEach(resetLoyalty);

const DECEMBER = { starts_at: '2026-12-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' };

async function makeChallenge(fields: Record<string, unknown>): Promise<any> {
  const response = await call('POST', '/api/v1/loyalty/challenges', {
    body: { name: 'Three reviews', event_type: 'review', goal: 3, bonus: 100, ...DECEMBER, ...fields },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

const review = (key: string) => ({ type: 'review', idempotency_key: key });
const bonusRows = () => env.DB.prepare("SELECT member_id, points, challenge_id, event_id FROM loyalty_ledger WHERE source = 'challenge'").all();

describe('/api/v1/loyalty/challenges', () => {
  it('creates, lists, reads and archives a challenge', async () => {
    const challenge = await makeChallenge({ description: 'Write three reviews in December' });
    expect(challenge).toEqual({
      id: expect.stringMatching(/^chl_/),
      name: 'Three reviews',
      description: 'Write three reviews in December',
      event_type: 'review',
      event_name: null,
      campaign_id: null,
      goal: 3,
      bonus: 100,
      starts_at: '2026-12-01T00:00:00.000Z',
      ends_at: '2027-01-01T00:00:00.000Z',
      status: 'active',
      archived_at: null,
      created_at: expect.any(String),
    });
    const reader = await makeKey(['loyalty:read']);
    expect(await json(await call('GET', `/api/v1/loyalty/challenges/${challenge.id}`, { key: reader }))).toEqual(challenge);
    expect((await json(await call('GET', '/api/v1/loyalty/challenges', { key: reader }))).data).toEqual([challenge]);
    const archived = await json(await call('POST', `/api/v1/loyalty/challenges/${challenge.id}/archive`));
    expect(archived.status).toBe('archived');
    expect((await json(await call('GET', '/api/v1/loyalty/challenges?status=active', { key: reader }))).data).toEqual([]);
  });

  it.each([
    [{ event_type: 'custom' }, 'event_name: required for a custom event type'],
    [{ event_name: 'x' }, 'event_name: only a custom event type has one'],
    [{ ends_at: '2026-11-01T00:00:00Z' }, 'ends_at: must be after starts_at'],
    [{ goal: 0 }, 'goal: must be 1 or more'],
  ])('refuses %o', async (fields, message) => {
    const response = await call('POST', '/api/v1/loyalty/challenges', {
      body: { name: 'C', event_type: 'review', goal: 3, bonus: 100, ...DECEMBER, ...fields },
    });
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });
});

describe('challenge bonus', () => {
  it('pays the bonus once, with the event that meets the goal inside the period; progress shows it', async () => {
    await setProgram();
    await makeRule({ kind: 'review', points: 10 });
    const challenge = await makeChallenge({});
    const hash = await hashOf('cust-1');
    await postEvent(review('early'), '2026-11-30T12:00:00.000Z'); // before the period: not counted
    await postEvent(review('r1'), '2026-12-01T12:00:00.000Z');
    const second = await postEvent(review('r2'), '2026-12-02T12:00:00.000Z');
    const member = await memberOf(hash);
    expect(await challengeProgress(createDb(env.DB), member.id, '2026-12-02T13:00:00.000Z')).toEqual([
      { challenge: expect.objectContaining({ id: challenge.id, goal: 3 }), count: 2, completedAt: null },
    ]);
    expect(second.body.points).toBe(10);
    expect((await bonusRows()).results).toEqual([]);

    const third = await postEvent(review('r3'), '2026-12-03T12:00:00.000Z');
    expect(third.body.points).toBe(10); // the event's own points; the bonus is its own ledger row
    await postEvent(review('r4'), '2026-12-04T12:00:00.000Z');
    expect((await bonusRows()).results).toEqual([{ member_id: member.id, points: 100, challenge_id: challenge.id, event_id: third.body.id }]);
    expect(await memberOf(hash)).toMatchObject({ balance: 5 * 10 + 100 });
    expect(await challengeProgress(createDb(env.DB), member.id, '2026-12-05T00:00:00.000Z')).toEqual([
      { challenge: expect.objectContaining({ id: challenge.id }), count: 3, completedAt: '2026-12-03T12:00:00.000Z' },
    ]);
    // After the period the challenge is no longer open.
    expect(await challengeProgress(createDb(env.DB), member.id, '2027-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('pays the bonus exactly once when ten events that each could meet the goal arrive at once', async () => {
    await setProgram();
    const challenge = await makeChallenge({ goal: 2, bonus: 250 });
    await postEvent(review('first'), '2026-12-05T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => postEvent(review(`p${i}`), '2026-12-05T11:00:00.000Z')));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const bonuses = (await bonusRows()).results;
    expect(bonuses).toHaveLength(1);
    expect(bonuses[0]).toMatchObject({ points: 250, challenge_id: challenge.id });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM loyalty_challenge_completions').first())!.n).toBe(1);
    expect(await memberOf(await hashOf('cust-1'))).toMatchObject({ balance: 250 });
  });
});
