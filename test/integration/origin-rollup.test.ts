/**
 * The origin drill-down (one country or referring host, and the top countries / referring hosts among a filter's
 * visits) over archived days (schema/0032's origin rollups): the sharded-touches journeys plus visits from several
 * countries and referring hosts, stored with one touch database and with three, then archived by the minute cron
 * (raw touches and credits): every origin-narrowed report — traffic, exact unique visitors, conversions and revenue
 * under two models — and every top list are byte-identical before and after, and between one shard and three.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { countVisitorsFrom, sumTrafficFrom } from '../../src/db/origin-reads';
import { insertTouches } from '../../src/db/touches';
import { topFacetValues } from '../../src/db/facet-rollups';
import type { NewTouch } from '../../src/db/schema';
import { mainDb } from '../../src/db/shards';
import type { Bindings } from '../../src/env';
import { buildOverview } from '../../src/services/overview';
import { buildReport } from '../../src/services/reports';
import { C1, clock, credits, email, FROM, qr, runFixture, setReferrer, social, TO, touch, touchCount, V } from '../support/sharded-fixture';
import { bindings, cron, one, shardDatabases, three } from '../support/archived-shards';
import { touchRow } from '../support/attribution-fixture';
import { migrateShardDatabases } from '../support/shards';

/** 100 days after the fixture's first day: every touch and every conversion is past the 60-day hot window. */
const LATER = clock.at(100);

/** Visits from Germany, France and Austria, some through news.example, one a bot's; they join the fixture's journeys. */
const originTouches = (): NewTouch[] => [
  touch('tpc_OR_B1', V.bob, 2, { ...social, country: 'FR', referrer_host: 'news.example' }),
  touch('tpc_OR_E1', V.erin, 2, { ...email, country: 'DE', referrer_host: 'news.example' }),
  touch('tpc_OR_C1', V.carol, 3, { ...qr, country: 'DE' }),
  touch('tpc_OR_C2', V.carol, 5, { ...social, country: 'DE', referrer_host: 'news.example' }),
  touch('tpc_OR_X1', V.scanner, 2, { ...email, is_bot: 1, bot_reason: 'user_agent', device_class: 'bot', country: 'DE' }),
  touch('tpc_OR_D1', V.dave, 8, { ...email, country: 'AT', referrer_host: 'news.example' }),
];

/** The touches from each origin, across the fixture and originTouches (the oracle for the credits' check). */
const FROM_ORIGIN: Record<string, string[]> = {
  'country DE': ['tpc_SH_A1', 'tpc_OR_E1', 'tpc_OR_C1', 'tpc_OR_C2', 'tpc_OR_X1'],
  'referrer news.example': ['tpc_OR_B1', 'tpc_OR_E1', 'tpc_OR_C2', 'tpc_OR_D1'],
};

const ORIGINS = [
  { facet: 'country' as const, value: 'DE' },
  { facet: 'country' as const, value: 'AT' },
  { facet: 'country' as const, value: 'FR' },
  { facet: 'referrer' as const, value: 'news.example' },
  { facet: 'referrer' as const, value: 'mail.example' },
];
const MODELS = ['linear', 'last_touch'] as const;

/** Every origin-narrowed read the reports and the overview make, as JSON, keyed by what was asked. */
async function originTexts(overrides: Partial<Bindings>): Promise<Record<string, string>> {
  const db = mainDb(bindings(overrides));
  const query = { from: FROM, to: TO, lookbackDays: 30, storedLookbackDays: 30, interval: 'day' as const, exactVisitorsLimit: 20_000 };
  const texts: Record<string, string> = {};
  for (const origin of ORIGINS) {
    const name = `${origin.facet} ${origin.value}`;
    for (const model of MODELS) {
      for (const kind of ['channels', 'campaigns', 'links', 'devices', 'timeseries'] as const) {
        texts[`${name} ${model} ${kind}`] = JSON.stringify(await buildReport(db, kind, { ...query, model, origin }));
      }
      texts[`${name} ${model} overview`] = JSON.stringify(await buildOverview(db, { ...query, model, origin }));
      texts[`${name} ${model} campaign`] = JSON.stringify(await buildReport(db, 'channels', { ...query, model, origin, campaignId: C1 }));
    }
  }
  for (const facet of ['country', 'referrer'] as const) {
    for (const origin of [undefined, ...ORIGINS]) {
      texts[`top ${facet} of ${origin?.value ?? 'all'}`] = JSON.stringify(await topFacetValues(db, facet, { ...query, origin }, 5));
    }
  }
  return texts;
}

const creditRowsLeft = async (db: D1Database) => (await db.prepare('SELECT COUNT(*) AS n FROM conversion_paths').first<{ n: number }>())!.n;

/** The credits of `model` stored for touches of `origin` (from the raw credits, while D1 holds them). */
async function creditsFrom(db: D1Database, origin: string, model: string) {
  const rows = (await credits(db)) as Array<{ touch_id: string | null; model: string; weight: number; revenue: number | null }>;
  const mine = rows.filter((row) => row.model === model && row.touch_id !== null && FROM_ORIGIN[origin].includes(row.touch_id));
  return {
    // As the report rounds them: conversions to millionths, revenue to cents.
    conversions: Math.round(mine.reduce((sum, row) => sum + row.weight, 0) * 1e6) / 1e6,
    revenue: Math.round(mine.reduce((sum, row) => sum + (row.revenue ?? 0), 0) * 100) / 100,
  };
}

describe('the origin drill-down over archived days', () => {
  const runs = {} as Record<'one' | 'three', { before: Record<string, string>; after: Record<string, string>; expected: Record<string, unknown> }>;

  beforeAll(async () => {
    await migrateShardDatabases();
    await setReferrer();
    for (const [name, overrides] of [
      ['one', one()],
      ['three', three()],
    ] as const) {
      await runFixture(overrides, originTouches);
      const main = bindings(overrides).DB;
      const expected: Record<string, unknown> = {};
      for (const origin of Object.keys(FROM_ORIGIN)) for (const model of MODELS) expected[`${origin} ${model}`] = await creditsFrom(main, origin, model);
      const before = await originTexts(overrides);
      // Touches go first; credits follow a few runs behind (five parts a run).
      for (let run = 0; run < 4; run++) await cron(overrides, LATER);
      runs[name] = { before, after: await originTexts(overrides), expected };
    }
  }, 120_000);

  it('archived every raw touch and every credit of the range (the reads below come from the rollups alone)', async () => {
    for (const overrides of [one(), three()]) {
      expect(await Promise.all(shardDatabases(overrides).map(touchCount))).toEqual(shardDatabases(overrides).map(() => 0));
      expect(await creditRowsLeft(bindings(overrides).DB)).toBe(0);
    }
  });

  it('answers every origin-narrowed report and top list byte-identically before and after archiving, with one shard and three', () => {
    for (const run of [runs.one, runs.three]) {
      for (const [key, text] of Object.entries(run.before)) expect({ key, text: run.after[key] }).toEqual({ key, text });
    }
    for (const [key, text] of Object.entries(runs.one.after)) expect({ key, text: runs.three.after[key] }).toEqual({ key, text });
    expect(Object.keys(runs.one.after)).toHaveLength(ORIGINS.length * MODELS.length * 7 + 2 * (ORIGINS.length + 1));
  });

  it('counts the visits, bots and exact unique visitors of one country and one referring host', () => {
    const totals = (key: string) => JSON.parse(runs.three.after[key]).totals;
    // Germany: Alice's phone, Erin, Carol twice (a scan), and a bot's click.
    expect(totals('country DE linear channels')).toMatchObject({ visits: 4, unique_visitors: 3, clicks: 3, scans: 1, code_entries: 0 });
    // news.example: Bob, Erin, Carol and Dave, once each.
    expect(totals('referrer news.example linear channels')).toMatchObject({ visits: 4, unique_visitors: 4, clicks: 4, scans: 0 });
    expect(
      JSON.parse(runs.three.after['country FR last_touch channels']).rows.map((row: { channel: string; visits: number }) => [row.channel, row.visits]),
    ).toEqual([['social', 1]]);
  });

  it('credits each origin with what its touches earned under each model (the raw credits before archiving)', () => {
    for (const run of [runs.one, runs.three]) {
      for (const origin of Object.keys(FROM_ORIGIN)) {
        for (const model of MODELS) {
          const { totals } = JSON.parse(run.after[`${origin} ${model} channels`]);
          const expected = run.expected[`${origin} ${model}`] as { conversions: number; revenue: number };
          expect({ origin, model, conversions: totals.conversions, revenue: totals.revenue }).toEqual({ origin, model, ...expected });
        }
      }
    }
    // The oracle itself: Carol's last touch before her sale (50 EUR) came from Germany through news.example.
    expect(runs.one.expected).toEqual({
      'country DE linear': { conversions: 1.616667, revenue: 95.77 },
      'country DE last_touch': { conversions: 1, revenue: 50 },
      'referrer news.example linear': { conversions: 1.25, revenue: 18.33 },
      'referrer news.example last_touch': { conversions: 1, revenue: 50 },
    });
    expect(runs.three.expected).toEqual(runs.one.expected);
  });

  it('lists the top countries and referring hosts, also among one origin’s visits', () => {
    const top = (key: string) => JSON.parse(runs.three.after[key]);
    expect(top('top referrer of DE')).toEqual([
      { value: null, visits: 2 },
      { value: 'news.example', visits: 2 },
    ]);
    expect(top('top country of news.example')).toEqual([
      { value: 'DE', visits: 2 },
      { value: 'AT', visits: 1 },
      { value: 'FR', visits: 1 },
    ]);
    expect(top('top country of all').slice(0, 2)).toEqual([
      { value: null, visits: 14 },
      { value: 'DE', visits: 4 },
    ]);
  });
});

describe('origin rows of a touch reclassified in D1', () => {
  it('move a touch found to be a bot from the human counts to the bots, and drop its visitor', async () => {
    const db = createDb(env.DB);
    const at = (minute: number) => `2040-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    await insertTouches(db, [
      touchRow({ id: 'tpc_OR_U1', occurred_at: at(1), channel: 'email', visitor_id: 'v_or_u1', country: 'NL', referrer_host: 'news.example' }),
      touchRow({ id: 'tpc_OR_U2', occurred_at: at(2), channel: 'email', visitor_id: 'v_or_u2', country: 'NL' }),
    ]);
    const filter = { from: '2040-05-01', to: '2040-05-01', origin: { facet: 'country' as const, value: 'NL' } };
    const read = async () => ({ traffic: await sumTrafficFrom(db, [], filter), visitors: await countVisitorsFrom(db, [], filter) });
    expect(await read()).toEqual({
      traffic: [{ dims: {}, visits: 2, clicks: 2, scans: 0, code_entries: 0, bots: 0 }],
      visitors: [{ dims: {}, visitors: 2 }],
    });
    await env.DB.prepare("UPDATE touches SET is_bot = 1, device_class = 'bot', bot_reason = 'user_agent' WHERE id = 'tpc_OR_U2'").run();
    expect(await read()).toEqual({
      traffic: [{ dims: {}, visits: 1, clicks: 1, scans: 0, code_entries: 0, bots: 1 }],
      visitors: [{ dims: {}, visitors: 1 }],
    });
    // The human row the touch left is gone, not kept at zero.
    const rows = await env.DB.prepare("SELECT visitor_id, visits, bots FROM origin_days WHERE day = '2040-05-01' ORDER BY visitor_id").all();
    expect(rows.results).toEqual([
      { visitor_id: 'v_or_u1', visits: 1, bots: 0 },
      { visitor_id: 'v_or_u2', visits: 0, bots: 1 },
    ]);
  });
});
