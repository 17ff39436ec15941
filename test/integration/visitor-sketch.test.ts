import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { readDayVisitors, replaceDaySketches } from '../../src/db/visitor-sketches';
import { encodeRegisters, estimateCardinality, sketchCellsOf, sketchOf } from '../../src/domain/visitor-sketch';
import { rebuildStaleSketches } from '../../src/services/visitor-sketches';
import type { NewTouch } from '../../src/db/schema';
import { call, json, makeCampaign, makeLink } from '../helpers';
import { storeTouches, touchRow } from '../support/attribution-fixture';

const DAYS = ['2071-05-01', '2071-05-02', '2071-05-03'];
const CHANNELS = ['email', 'offline', 'social'] as const;
const DEVICES = ['mobile', 'desktop'] as const;

/**
 * 1,800 human touches of 900 visitors (each seen twice, on different days or
 * links) over 3 days, 2 campaigns, 3 channels and 2 devices, plus 60 bot touches.
 */
async function storeTraffic() {
  const campaigns = [await makeCampaign({ name: 'Sketch A' }), await makeCampaign({ name: 'Sketch B' })];
  const links = new Map<string, string>();
  for (const campaign of campaigns) {
    for (const channel of CHANNELS) {
      const kind = channel === 'email' ? 'email' : channel === 'offline' ? 'qr' : 'link';
      links.set(`${campaign.id}|${channel}`, (await makeLink({ campaign_id: campaign.id, kind, channel })).id);
    }
  }
  const rows: NewTouch[] = [];
  for (let v = 0; v < 900; v++) {
    for (const k of [0, 1]) {
      const campaign = campaigns[(v + k) % 2];
      const channel = CHANNELS[(v * 7 + k) % 3];
      rows.push(
        touchRow({
          campaign_id: campaign.id,
          link_id: links.get(`${campaign.id}|${channel}`)!,
          channel,
          visitor_id: `v_SKETCH${String(v).padStart(18, '0')}`,
          device_class: DEVICES[v % 2],
          occurred_at: `${DAYS[(v + k * 2) % 3]}T${String(v % 24).padStart(2, '0')}:00:00.000Z`,
        }),
      );
    }
  }
  for (let b = 0; b < 60; b++) {
    rows.push(
      touchRow({
        campaign_id: campaigns[0].id,
        link_id: links.get(`${campaigns[0].id}|email`)!,
        channel: 'email',
        visitor_id: `h_BOT${b}`,
        device_class: 'bot',
        is_bot: 1,
        bot_reason: 'user_agent',
        occurred_at: `${DAYS[0]}T05:00:00.000Z`,
      }),
    );
  }
  await storeTouches(rows);
  return { campaigns, links, humans: rows.filter((row) => row.is_bot === 0) };
}

const setup = storeTraffic();
const range = `from=${DAYS[0]}&to=${DAYS[2]}`;
const report = async (path: string, limit?: string) => {
  const response = await call('GET', `/api/v1/reports/${path}`, {
    now: () => Date.parse('2071-05-10T00:00:00Z'),
    env: limit === undefined ? undefined : { EXACT_VISITORS_LIMIT: limit },
  });
  expect(response.status).toBe(200);
  return json(response);
};
const visitorsBy = (rows: NewTouch[], key: (row: NewTouch) => string) => {
  const sets = new Map<string, Set<string>>();
  for (const row of rows) sets.set(key(row), (sets.get(key(row)) ?? new Set()).add(row.visitor_id!));
  return sets;
};
const estimateOf = (visitors: Set<string> | undefined) => estimateCardinality(sketchOf(visitors ?? []));

describe('visitor sketches', () => {
  it('are built by the touch trigger exactly as the JS sketch builds them, without bots', async () => {
    const { humans, campaigns } = await setup;
    const stored = async (shape: number, where: string, ...binds: string[]) =>
      (
        await env.DB.prepare(`SELECT registers FROM visitor_sketch WHERE shape = ? AND ${where}`)
          .bind(shape, ...binds)
          .first<{ registers: string }>()
      )?.registers;
    const day = DAYS[0];
    const ofDay = humans.filter((row) => row.occurred_at.startsWith(day));
    expect(await stored(0, "day = ? AND campaign_id = '*' AND channel = '*' AND device_class = '*' AND link_id = '*'", day)).toBe(
      encodeRegisters(sketchOf(ofDay.map((row) => row.visitor_id!))),
    );
    const cell = ofDay.filter((row) => row.campaign_id === campaigns[0].id && row.channel === 'email' && row.device_class === 'mobile');
    expect(cell.length).toBeGreaterThan(10);
    expect(await stored(4, "day = ? AND campaign_id = ? AND channel = 'email' AND device_class = 'mobile' AND link_id = '*'", day, campaigns[0].id)).toBe(
      encodeRegisters(sketchOf(cell.map((row) => row.visitor_id!))),
    );
    const bots = await env.DB.prepare("SELECT COUNT(*) AS n FROM visitor_sketch WHERE device_class = 'bot'").first<{ n: number }>();
    expect(bots?.n).toBe(0);
    const cells = await env.DB.prepare('SELECT shape, COUNT(*) AS n FROM visitor_sketch WHERE day >= ? AND day <= ? GROUP BY shape ORDER BY shape')
      .bind(DAYS[0], DAYS[2])
      .all();
    // One cell per day and value combination of the shape's dimensions that the human touches hold.
    const distinct = (key: (row: NewTouch) => string) => new Set(humans.map((row) => `${row.occurred_at.slice(0, 10)}|${key(row)}`)).size;
    expect(cells.results).toEqual([
      { shape: 0, n: distinct(() => '') },
      { shape: 1, n: distinct((row) => row.campaign_id!) },
      { shape: 2, n: distinct((row) => `${row.channel}|${row.device_class}`) },
      { shape: 3, n: distinct((row) => row.link_id!) },
      { shape: 4, n: distinct((row) => `${row.campaign_id}|${row.channel}|${row.device_class}`) },
    ]);
    expect(cells.results.map((row) => row.n)).toEqual([3, 6, 12, 12, 12]);
  });

  it('answer unique visitors per channel above the exact limit, the rest of the report unchanged', async () => {
    const { humans } = await setup;
    const exact = await report(`channels?${range}`);
    const estimated = await report(`channels?${range}`, '1799');
    expect(exact.unique_visitors_estimated).toBe(false);
    expect(estimated.unique_visitors_estimated).toBe(true);
    const sets = visitorsBy(humans, (row) => row.channel);
    expect(estimated.rows.map((row: any) => [row.channel, row.unique_visitors])).toEqual(
      exact.rows.map((row: any) => [row.channel, estimateOf(sets.get(row.channel))]),
    );
    expect(exact.rows.map((row: any) => [row.channel, row.unique_visitors])).toEqual(exact.rows.map((row: any) => [row.channel, sets.get(row.channel)!.size]));
    for (const [i, row] of estimated.rows.entries()) {
      expect({ ...row, unique_visitors: 0 }).toEqual({ ...exact.rows[i], unique_visitors: 0 });
      expect(Math.abs(row.unique_visitors - exact.rows[i].unique_visitors) / exact.rows[i].unique_visitors).toBeLessThan(0.1);
    }
  });

  it('stays exact up to the limit (1,800 human visits)', async () => {
    expect((await report(`channels?${range}`, '1800')).unique_visitors_estimated).toBe(false);
  });

  it('answer campaigns, links, devices and the daily series from their own cells', async () => {
    const { humans, campaigns } = await setup;
    const cases: Array<[string, (row: NewTouch) => string, (row: any) => string]> = [
      ['campaigns', (t) => t.campaign_id!, (r) => r.campaign_id],
      ['links', (t) => t.link_id!, (r) => r.link_id],
      ['devices', (t) => `${t.channel}|${t.device_class}`, (r) => `${r.channel}|${r.device_class}`],
      ['timeseries', (t) => t.occurred_at.slice(0, 10), (r) => r.bucket],
      [`channels?campaign_id=${campaigns[1].id}&x=`, (t) => (t.campaign_id === campaigns[1].id ? t.channel : 'other'), (r) => r.channel],
    ];
    for (const [path, touchKey, rowKey] of cases) {
      const sep = path.includes('?') ? '&' : '?';
      const body = await report(`${path}${sep}${range}`, '0');
      expect(body.unique_visitors_estimated).toBe(true);
      const sets = visitorsBy(humans, touchKey);
      const rows = body.rows.filter((row: any) => row.visits > 0);
      expect(rows.length).toBe(path === 'timeseries' ? 3 : [...sets.keys()].filter((k) => k !== 'other').length);
      expect(rows.map((row: any) => row.unique_visitors)).toEqual(rows.map((row: any) => estimateOf(sets.get(rowKey(row)))));
    }
  });
});

describe('a sketch rebuild', () => {
  it('writes every cell of every shape of a busy day, in several statements, as the trigger built them', async () => {
    const { humans } = await setup;
    const day = DAYS[1];
    const cellsOf = async () =>
      (
        await env.DB.prepare(
          'SELECT shape, campaign_id, channel, device_class, link_id, registers FROM visitor_sketch WHERE day = ? ORDER BY shape, campaign_id, channel, device_class, link_id',
        )
          .bind(day)
          .all()
      ).results;
    const built = await cellsOf();
    const db = createDb(env.DB);
    const { visitors, touches } = await readDayVisitors(db, day);
    expect(visitors.length).toBe(
      new Set(humans.filter((row) => row.occurred_at.startsWith(day)).map((row) => `${row.visitor_id}|${row.link_id}|${row.device_class}`)).size,
    );
    const cells = sketchCellsOf(visitors);
    expect(cells.length).toBe(built.length);
    expect(await replaceDaySketches(db, day, cells, touches, 4)).toBe(true);
    expect(await cellsOf()).toEqual(built);
  });
});

describe('link stats', () => {
  it('come from the rollups: exact visitors up to the limit, estimated above it, clicks kept past retention', async () => {
    const { humans, links, campaigns } = await setup;
    const linkId = links.get(`${campaigns[0].id}|email`)!;
    const ofLink = humans.filter((row) => row.link_id === linkId);
    const visitors = new Set(ofLink.map((row) => row.visitor_id!));
    expect(visitors.size).toBeGreaterThan(100);
    const stats = async (limit?: string) =>
      (await json(await call('GET', `/api/v1/links/${linkId}`, { env: limit === undefined ? undefined : { EXACT_VISITORS_LIMIT: limit } }))).stats;
    expect(await stats()).toEqual({ clicks: ofLink.length, scans: 0, unique_visitors: visitors.size });
    expect(await stats('0')).toEqual({ clicks: ofLink.length, scans: 0, unique_visitors: estimateOf(visitors) });
    // Raw touches past retention are gone; the rollups keep the counts.
    await env.DB.prepare('DELETE FROM touches WHERE link_id = ?').bind(linkId).run();
    expect(await stats('0')).toEqual({ clicks: ofLink.length, scans: 0, unique_visitors: estimateOf(visitors) });
  });
});

describe('stale sketches', () => {
  const day = '2071-06-01';
  const shapeZero = async () =>
    (await env.DB.prepare("SELECT registers FROM visitor_sketch WHERE shape = 0 AND day = ? AND campaign_id = '*'").bind(day).first<{ registers: string }>())
      ?.registers;

  it('are rebuilt from the exact visitor sets once the day is over, without the touch reclassified as a bot', async () => {
    const campaign = await makeCampaign({ name: 'Stale' });
    const rows = Array.from({ length: 40 }, (_, i) =>
      touchRow({
        campaign_id: campaign.id,
        channel: 'email',
        visitor_id: `v_STALE${String(i).padStart(19, '0')}`,
        occurred_at: `${day}T10:${String(i).padStart(2, '0')}:00.000Z`,
      }),
    );
    await storeTouches(rows);
    const all = rows.map((row) => row.visitor_id!);
    expect(await shapeZero()).toBe(encodeRegisters(sketchOf(all)));
    expect(await env.DB.prepare('SELECT day FROM visitor_sketch_stale WHERE day = ?').bind(day).first()).toBeNull();

    await env.DB.prepare("UPDATE touches SET is_bot = 1, bot_reason = 'user_agent', device_class = 'bot' WHERE id IN (?, ?)")
      .bind(rows[0].id, rows[1].id)
      .run();
    expect(await env.DB.prepare('SELECT day FROM visitor_sketch_stale WHERE day = ?').bind(day).first()).toEqual({ day });
    expect(await shapeZero()).toBe(encodeRegisters(sketchOf(all)));

    const db = createDb(env.DB);
    expect(await rebuildStaleSketches(db, Date.parse(`${day}T23:00:00Z`))).toEqual([]);
    expect(await rebuildStaleSketches(db, Date.parse('2071-06-02T00:05:00Z'))).toEqual([day]);
    expect(await shapeZero()).toBe(encodeRegisters(sketchOf(all.slice(2))));
    const cells = await env.DB.prepare('SELECT shape, campaign_id, channel, device_class, link_id FROM visitor_sketch WHERE day = ? ORDER BY shape')
      .bind(day)
      .all();
    expect(cells.results).toEqual([
      { shape: 0, campaign_id: '*', channel: '*', device_class: '*', link_id: '*' },
      { shape: 1, campaign_id: campaign.id, channel: '*', device_class: '*', link_id: '*' },
      { shape: 2, campaign_id: '*', channel: 'email', device_class: 'desktop', link_id: '*' },
      { shape: 3, campaign_id: campaign.id, channel: '*', device_class: '*', link_id: '' },
      { shape: 4, campaign_id: campaign.id, channel: 'email', device_class: 'desktop', link_id: '*' },
    ]);
    expect(await env.DB.prepare('SELECT day FROM visitor_sketch_stale WHERE day = ?').bind(day).first()).toBeNull();
  });

  it('are not replaced when a touch arrived after the visitors were read', async () => {
    await env.DB.prepare('INSERT INTO visitor_sketch_stale (day) VALUES (?)').bind(day).run();
    const db = createDb(env.DB);
    const { visitors, touches } = await readDayVisitors(db, day);
    await storeTouches([touchRow({ channel: 'social', visitor_id: 'v_LATECOMER', occurred_at: `${day}T22:00:00.000Z` })]);
    const before = await shapeZero();
    expect(await replaceDaySketches(db, day, sketchCellsOf(visitors), touches)).toBe(false);
    expect(await shapeZero()).toBe(before);
    expect(await env.DB.prepare('SELECT day FROM visitor_sketch_stale WHERE day = ?').bind(day).first()).toEqual({ day });
    expect(await rebuildStaleSketches(db, Date.parse('2071-06-02T00:05:00Z'))).toEqual([day]);
    expect(await shapeZero()).toBe(before);
  });
});
