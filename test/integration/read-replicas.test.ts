/**
 * Reads that may lag the primary (the redirect's link lookup, reports) go through a D1 session that starts at the
 * nearest read replica; a link the replica has not got yet is asked of the primary, so a new link never 404s.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeLink, MOBILE_SAFARI } from '../helpers';

/** env.DB, recording the sessions asked of it; `lagging` sessions find no link (a replica that has not caught up). */
function replicatedDb(options: { lagging: boolean }) {
  const sessions: string[] = [];
  const onPrimary: string[] = [];
  const onReplica: string[] = [];
  const session = {
    prepare(query: string) {
      onReplica.push(query);
      // A replica behind the primary: the same statement, but links it does not hold yet.
      const lagged = options.lagging && /from "links"/i.test(query) ? query.replace(/ where /i, ' WHERE 0 AND ') : query;
      return env.DB.prepare(lagged);
    },
    batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
  };
  const DB = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'withSession') {
        return (constraint: string) => {
          sessions.push(constraint);
          return session;
        };
      }
      if (property === 'prepare') return (query: string) => (onPrimary.push(query), target.prepare(query));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { DB, sessions, onPrimary, onReplica };
}

const linkReads = (queries: string[]) => queries.filter((q) => /from "links"/i.test(q)).length;

describe('read replicas (D1 Sessions API)', () => {
  it('looks a new slug up on a replica, and on the primary when the replica has not got it yet', async () => {
    const link = await makeLink({ destination: 'https://shop.example/replica' });
    const db = replicatedDb({ lagging: true });
    const response = await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI }, env: { DB: db.DB } });
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(/^https:\/\/shop\.example\/replica\?/);
    expect(db.sessions).toEqual(['first-unconstrained']);
    expect([linkReads(db.onReplica), linkReads(db.onPrimary)]).toEqual([1, 1]);
  });

  it('answers from the replica alone when it holds the link', async () => {
    const link = await makeLink({ destination: 'https://shop.example/replica-2' });
    const db = replicatedDb({ lagging: false });
    const response = await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI }, env: { DB: db.DB } });
    expect(response.status).toBe(302);
    expect([linkReads(db.onReplica), linkReads(db.onPrimary)]).toEqual([1, 0]);
  });

  it('reads a report from a replica session, with the same answer as from the primary', async () => {
    await makeLink();
    const path = '/api/v1/reports/channels?from=2026-01-01&to=2026-12-31';
    const direct = await json(await call('GET', path));
    const db = replicatedDb({ lagging: false });
    const viaReplica = await call('GET', path, { env: { DB: db.DB } });
    expect(await json(viaReplica)).toEqual(direct);
    expect(db.sessions).toEqual(['first-unconstrained']);
    expect(db.onReplica.length).toBeGreaterThan(0);
    expect(db.onPrimary.filter((q) => /touch_daily|credit_daily|visitor_daily/.test(q))).toEqual([]);
  });
});
