/**
 * The journey reader (services/journeys.ts) over hot and archived touches of one visitor: archived touches before
 * the hot ones join, and a touch written late for a day already archived (hot, between two archived touches)
 * takes its place in time — the paths equal those read before anything was archived.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ArchiveReader } from '../../src/services/archive-reads';
import { visitorPaths } from '../../src/services/journeys';
import { archiveDueTouches } from '../../src/services/touch-archive';
import { clockOf, db, storeTouches, touchRow } from '../support/attribution-fixture';

const clock = clockOf(2044);
const HOT_DAYS = 60;
const touch = (visitor: string, channel: 'email' | 'offline' | 'social' | 'paid', day: number, hours = 0) =>
  touchRow({ visitor_id: visitor, channel, occurred_at: new Date(clock.at(day) + hours * 3_600_000).toISOString() });
const byPath = (rows: Array<{ path: string; visitors: number }>) => [...rows].sort((a, b) => a.path.localeCompare(b.path));
const paths = async (archive: ArchiveReader | null) => byPath(await visitorPaths(db(), archive, clock.date(0), clock.date(80)));

describe('journeys over hot and archived touches', () => {
  it('merges each visitor’s archived and hot touches in time order, a late touch of an archived day included', async () => {
    await storeTouches([
      // v_JA: day 1 archived, day 70 hot (joined). v_JB: day 2 archived only. v_JC: day 70 hot only.
      touch('v_JA', 'email', 1),
      touch('v_JA', 'social', 70),
      touch('v_JB', 'paid', 2),
      touch('v_JC', 'offline', 70),
      // v_JD: two touches of day 3, archived; its late touch of day 3 (between them) arrives after the move.
      touch('v_JD', 'email', 3, 1),
      touch('v_JD', 'social', 3, 5),
    ]);
    const late = touch('v_JD', 'offline', 3, 3);
    const reader = new ArchiveReader(db(), env.ARCHIVE);
    // 64 days after day 0 the first hot day is day 4: days 1, 2 and 3 move (a part each).
    expect((await archiveDueTouches(db(), env.ARCHIVE, HOT_DAYS, clock.at(64))).parts.map((part) => part.rows)).toEqual([1, 1, 2]);
    await storeTouches([late]);
    const hot = await env.DB.prepare('SELECT visitor_id, channel FROM touches ORDER BY visitor_id').all();
    expect(hot.results).toEqual([
      { visitor_id: 'v_JA', channel: 'social' },
      { visitor_id: 'v_JC', channel: 'offline' },
      { visitor_id: 'v_JD', channel: 'offline' },
    ]);
    expect(await paths(reader)).toEqual([
      { path: 'email>offline>social', visitors: 1 },
      { path: 'email>social', visitors: 1 },
      { path: 'offline', visitors: 1 },
      { path: 'paid', visitors: 1 },
    ]);
    // D1 alone (no archive): what the reader had before, the archived days missing.
    expect(await paths(null)).toEqual([
      { path: 'offline', visitors: 2 },
      { path: 'social', visitors: 1 },
    ]);
  });
});
