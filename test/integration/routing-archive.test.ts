/**
 * The rule and variant breakdown past the hot window (schema/0033): the sharded fixture plus routed visits on the QR
 * link, stored with one touch database and with three, then archived by the minute cron (raw touches and credits to
 * R2). The link's routing report and the reports by rule read the routing rollups, so they answer byte-identically
 * before and after, and with one shard and three.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewTouch } from '../../src/db/schema';
import type { Bindings } from '../../src/env';
import { runCron as cron } from '../support/cron';
import { call } from '../helpers';
import { clock, FROM, L_EMAIL, L_QR, oneShard, qr, runFixture, setReferrer, threeShards, TO, touch, touchCount, V } from '../support/sharded-fixture';
import { migrateShardDatabases } from '../support/shards';

/** 100 days after the fixture's first day: every touch and every credit is past the hot window. */
const LATER = clock.at(100);

const one = (): Partial<Bindings> => ({ ...oneShard(), ARCHIVE: env.SOLO_ARCHIVE });
const three = (): Partial<Bindings> => ({ ...threeShards(), ARCHIVE: env.ARCHIVE });
const mainOf = (overrides: Partial<Bindings>) => (overrides.TOUCH_SHARDS === '3' ? env.DB : env.SOLO_DB);
const shardDatabases = (overrides: Partial<Bindings>): D1Database[] =>
  overrides.TOUCH_SHARDS === '3' ? [env.DB, env.TOUCH_DB_1, env.TOUCH_DB_2] : [env.SOLO_DB];

/** Routed visits of the QR link: a split (A/B), a rule with it, one after the cap, one by a bot. */
const routed = (): NewTouch[] => [
  touch('tpc_SH_V1', V.erin, 4, { ...qr, variant: 'A' }),
  touch('tpc_SH_V2', V.carol, 5, { ...qr, variant: 'B' }),
  touch('tpc_SH_V3', V.bob, 3, { ...qr, rule: 'ios', variant: 'A' }),
  touch('tpc_SH_V4', V.aliceTablet, 1, { ...qr, after_cap: 1 }),
  touch('tpc_SH_V5', V.erin, 4, { ...qr, variant: 'A' }),
  touch('tpc_SH_V6', V.scanner, 2, { ...qr, variant: 'B', is_bot: 1, bot_reason: 'user_agent', device_class: 'bot' }),
  // A crawler stored as human (before the current bot rules): a recompute turns it into a bot.
  touch('tpc_SH_V7', V.dave, 6, { ...qr, variant: 'B', user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
];

const SPLIT = JSON.stringify([
  { destination: 'https://shop.example/a', weight: 1, label: 'A' },
  { destination: 'https://shop.example/b', weight: 1, label: 'B' },
]);

const PATHS = [
  `/api/v1/links/${L_QR}/routing`,
  `/api/v1/links/${L_EMAIL}/routing`,
  ...['last_touch', 'linear', 'position'].map((model) => `/api/v1/reports/rules?from=${FROM}&to=${TO}&model=${model}`),
  `/api/v1/reports/rules?from=${FROM}&to=${TO}&campaign_id=cmp_SHARDS_SPRING&format=csv`,
  // Another lookback: credits recomputed from the candidates (archived ones read from R2), which carry their route.
  `/api/v1/reports/rules?from=${FROM}&to=${TO}&model=linear&lookback_days=5`,
];

async function texts(overrides: Partial<Bindings>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of PATHS) {
    const response = await call('GET', path, { env: overrides, now: () => LATER });
    out[path] = `${response.status} ${await response.text()}`;
  }
  return out;
}

describe('the rule and variant breakdown past the hot window', () => {
  const runs: Record<'one' | 'three', { before: Record<string, string>; after: Record<string, string>; left: number[]; ids: Map<string, string> }> =
    {} as never;

  beforeAll(async () => {
    await migrateShardDatabases();
    await setReferrer();
    for (const [name, overrides] of [
      ['one', one()],
      ['three', three()],
    ] as const) {
      const ids = await runFixture(overrides, routed);
      await mainOf(overrides).prepare('UPDATE links SET variants = ?1 WHERE id = ?2').bind(SPLIT, L_QR).run();
      const before = await texts(overrides);
      await cron(overrides, LATER);
      await cron(overrides, LATER);
      await cron(overrides, LATER);
      runs[name] = { before, after: await texts(overrides), left: await Promise.all(shardDatabases(overrides).map(touchCount)), ids };
    }
  }, 120_000);

  it('archives every raw touch and credit', async () => {
    expect(runs.one.left).toEqual([0]);
    expect(runs.three.left).toEqual([0, 0, 0]);
    for (const db of [env.SOLO_DB, env.DB]) expect((await db.prepare('SELECT COUNT(*) AS n FROM conversion_paths').first<{ n: number }>())!.n).toBe(0);
  });

  it('answers the breakdown and the reports by rule byte-identically before and after, with one shard and three', () => {
    for (const run of [runs.one, runs.three]) for (const path of PATHS) expect({ path, text: run.after[path] }).toEqual({ path, text: run.before[path] });
    for (const path of PATHS) expect({ path, text: runs.three.after[path] }).toEqual({ path, text: runs.one.after[path] });
  });

  it('counts the QR link per rule and variant: visits, distinct visitors, last-touch conversions', () => {
    const body = (path: string) => JSON.parse(runs.one.after[path].slice(4));
    // Erin's two A visits (one visitor) are her lead's last touch; Carol's B visit her 50 EUR sale's (Dave's, the
    // crawler's, is followed by his social visit); Bob's ios/A visit
    // is followed by his code entry. The three plain scans are the default destination's (no visitor set kept).
    expect(body(PATHS[0]).rows).toEqual([
      { rule: null, variant: null, after_cap: false, visits: 3, unique_visitors: null, conversions: 1, conversion_rate: null },
      { rule: null, variant: null, after_cap: true, visits: 1, unique_visitors: 1, conversions: 0, conversion_rate: 0 },
      { rule: null, variant: 'A', after_cap: false, visits: 2, unique_visitors: 1, conversions: 1, conversion_rate: 1 },
      { rule: null, variant: 'B', after_cap: false, visits: 2, unique_visitors: 2, conversions: 1, conversion_rate: 0.5 },
      { rule: 'ios', variant: 'A', after_cap: false, visits: 1, unique_visitors: 1, conversions: 0, conversion_rate: 0 },
    ]);
    expect(
      body(PATHS[0]).experiments[0].variants.map((v: { variant: string; visitors: number; conversions: number; verdict: string }) => [
        v.variant,
        v.visitors,
        v.conversions,
        v.verdict,
      ]),
    ).toEqual([
      ['A', 1, 1, 'control'],
      ['B', 2, 1, 'not_enough_data'],
    ]);
    // A plain link: its human visits and last-touch conversions, all on the default destination.
    expect(body(PATHS[1]).rows).toEqual([
      { rule: null, variant: null, after_cap: false, visits: 4, unique_visitors: null, conversions: 2, conversion_rate: null },
    ]);
  });

  it('reports visits and conversions by link, rule and variant across the campaigns, in JSON and CSV', () => {
    const report = JSON.parse(runs.one.after[PATHS[2]].slice(4));
    const pick = (row: Record<string, unknown>) => [
      row.slug,
      row.rule,
      row.variant,
      row.after_cap,
      row.visits,
      row.unique_visitors,
      row.scans,
      row.bots,
      row.conversions,
      row.revenue,
    ];
    expect(report.rows.map(pick)).toEqual([
      ['sh-qr', null, null, true, 1, 1, 1, 0, 0, 0],
      ['sh-qr', null, 'A', false, 2, 1, 2, 0, 1, 0],
      ['sh-qr', null, 'B', false, 2, 2, 2, 1, 1, 50],
      ['sh-qr', 'ios', 'A', false, 1, 1, 1, 0, 0, 0],
    ]);
    expect([report.totals.visits, report.totals.unique_visitors, report.totals.conversions, report.totals.revenue]).toEqual([6, 5, 2, 50]);
    const shorter = JSON.parse(runs.one.after[PATHS[6]].slice(4));
    expect([shorter.lookback_days, shorter.totals.visits]).toEqual([5, 6]);
    // 5 days back: Erin's lead shares 1/5 with each of her two A visits, Carol's sale 1/5 with B and Dave's 1/2 (the
    // crawler's, human until the recompute), Bob's lead 1/3 with ios/A.
    expect(shorter.rows.map((r: { rule: string | null; variant: string | null; conversions: number }) => [r.rule, r.variant, r.conversions])).toEqual([
      [null, null, 0],
      [null, 'A', 0.4],
      [null, 'B', 0.7],
      ['ios', 'A', 0.333333],
    ]);
    expect(runs.one.after[PATHS[5]]).toBe(
      [
        '200 link_id,slug,campaign_id,rule,variant,after_cap,visits,unique_visitors,clicks,scans,code_entries,bots,conversions,revenue,currency,unconverted,conversion_rate',
        'lnk_SHARDS_QR,sh-qr,cmp_SHARDS_SPRING,,,true,1,1,0,1,0,0,0,0.00,EUR,,0',
        'lnk_SHARDS_QR,sh-qr,cmp_SHARDS_SPRING,,A,false,2,1,0,2,0,0,1,0.00,EUR,,0.5',
        'lnk_SHARDS_QR,sh-qr,cmp_SHARDS_SPRING,,B,false,2,2,0,2,0,1,1,50.00,EUR,,0.5',
        'lnk_SHARDS_QR,sh-qr,cmp_SHARDS_SPRING,ios,A,false,1,1,0,1,0,0,0,0.00,EUR,,0',
        'total,,,,,,6,5,0,6,0,1,2,50.00,EUR,,0.333333',
        '',
      ].join('\r\n'),
    );
  });

  it('refuses the data-driven model by rule', async () => {
    const response = await call('GET', `/api/v1/reports/rules?from=${FROM}&to=${TO}&model=markov`, { env: one(), now: () => LATER });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'validation_error', message: 'model: markov credits channels, not rules; choose a stored model' } });
  });

  it('rebuilds the routing rollups from the archive on a recompute: the crawler’s B visit becomes a bot, with one shard and three', async () => {
    const after: Record<string, string>[] = [];
    for (const overrides of [one(), three()]) {
      const response = await call('POST', '/api/v1/maintenance/recompute', { body: { from: FROM, to: TO }, env: overrides, now: () => LATER });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ archived_touches_changed: 1 });
      // Re-attribution runs through the late-touch path within the call; the cron finishes what is left.
      await cron(overrides, LATER);
      after.push(await texts(overrides));
    }
    for (const path of PATHS) expect({ path, text: after[1][path] }).toEqual({ path, text: after[0][path] });
    const row = (variant: string) => JSON.parse(after[0][PATHS[0]].slice(4)).rows.find((r: { variant: string | null }) => r.variant === variant);
    const earlier = (variant: string) => JSON.parse(runs.one.after[PATHS[0]].slice(4)).rows.find((r: { variant: string | null }) => r.variant === variant);
    expect([earlier('B').visits, earlier('B').unique_visitors]).toEqual([2, 2]);
    expect([row('B').visits, row('B').unique_visitors, row('A').visits]).toEqual([1, 1, 2]);
    const bots = JSON.parse(after[0][PATHS[2]].slice(4)).rows.find((r: { variant: string | null }) => r.variant === 'B').bots;
    expect(bots).toBe(2);
    // Re-attributed from the archive (credits restored, rolled out and in again): nothing counted twice.
    const totals = JSON.parse(after[0][PATHS[2]].slice(4)).totals;
    expect([totals.visits, totals.conversions, totals.revenue]).toEqual([5, 2, 50]);
  });

  it('moves the routed revenue of an archived sale by its refund, with one shard and three', async () => {
    const revenueOfB = async (overrides: Partial<Bindings>) => {
      const report = await (await call('GET', PATHS[2], { env: overrides, now: () => LATER })).json<{
        rows: Array<{ variant: string | null; revenue: number }>;
      }>();
      return report.rows.find((row) => row.variant === 'B')!.revenue;
    };
    for (const [name, overrides] of [
      ['one', one()],
      ['three', three()],
    ] as const) {
      expect(await revenueOfB(overrides)).toBe(50);
      // Carol's 50 EUR sale, its last touch her B visit; its credits are in R2 and come back for the refund.
      const refund = await call('POST', `/api/v1/conversions/${runs[name].ids.get('sh-h')}/refund`, {
        body: { amount: 20, refund_id: `r-${name}` },
        env: overrides,
        now: () => LATER,
      });
      expect(refund.status).toBe(201);
      expect(await revenueOfB(overrides)).toBe(30);
    }
  });
});
