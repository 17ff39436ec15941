import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import { createDb } from '../../src/db/client';
import { deleteExpiredEvents } from '../../src/db/retention';
import { call, DESKTOP_CHROME, json, makeLink } from '../helpers';

describe('retention', () => {
  it('deletes raw touches older than the cutoff and keeps the report counts', async () => {
    const link = await makeLink();
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: () => Date.parse('2020-01-02T10:00:00Z') });
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: () => Date.parse('2020-03-02T10:00:00Z') });
    const before = await json(await call('GET', `/api/v1/reports/links?from=2020-01-01&to=2020-03-31&campaign_id=${link.campaign_id}`));
    const deleted = await deleteExpiredEvents(createDb(env.DB), '2020-02-01T00:00:00.000Z', 1, 3);
    expect(deleted.touches).toBe(1);
    const left = await env.DB.prepare('SELECT occurred_at FROM touches WHERE link_id = ?').bind(link.id).all();
    expect(left.results).toEqual([{ occurred_at: '2020-03-02T10:00:00.000Z' }]);
    const after = await json(await call('GET', `/api/v1/reports/links?from=2020-01-01&to=2020-03-31&campaign_id=${link.campaign_id}`));
    expect(after.rows).toEqual(before.rows);
    expect(after.rows[0]).toMatchObject({ visits: 2, clicks: 2 });
  });

  it('runs from the cron trigger when RETENTION_DAYS is set', async () => {
    const link = await makeLink();
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: () => Date.parse('2019-06-01T10:00:00Z') });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), { ...(env as Bindings), RETENTION_DAYS: '400' }, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM touches WHERE link_id = ?').bind(link.id).first();
    expect(left).toEqual({ n: 0 });
  });
});
