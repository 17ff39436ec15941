import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import { toTouchRow } from '../../src/services/touch-recorder';
import { call, DESKTOP_CHROME, json, makeCampaign, makeLink, MOBILE_SAFARI } from '../helpers';
import { migrateShardDatabases } from '../support/shards';

const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

const routedTouches = async (linkId: string) =>
  (
    await env.DB.prepare('SELECT rule, variant, after_cap FROM touches WHERE link_id = ? ORDER BY occurred_at, id')
      .bind(linkId)
      .all<{ rule: string | null; variant: string | null; after_cap: number }>()
  ).results;

const locationWithoutClick = (response: Response) => response.headers.get('Location')!.replace(/[?&]tp_click=tpc_[0-9A-Z]{26}/, '');

const RULES = [
  { label: 'iPhone', destination: 'https://apps.apple.com/app/id42?ct=qr', conditions: [{ type: 'os', value: 'ios' }] },
  {
    destination: 'https://play.google.com/store/apps/details?id=shop',
    conditions: [
      { type: 'os', value: 'android' },
      { type: 'country', value: 'de,at' },
    ],
  },
  { label: 'German', destination: 'https://shop.example/de', conditions: [{ type: 'language', value: 'de' }] },
];

describe('a link with rules', () => {
  it('sends each visitor to the first matching rule with the UTM merge and tp_click, else the default, and records the rule', async () => {
    const link = await makeLink({ utm_source: 'flyer', utm_medium: 'qr', rules: RULES });
    expect(link.rules).toEqual(RULES);
    const visit = (headers: Record<string, string>, query = '') => call('GET', `/${link.slug}${query}`, { key: null, headers });
    const iphone = await visit({ 'User-Agent': MOBILE_SAFARI, 'Accept-Language': 'de-DE' });
    expect(iphone.status).toBe(302);
    expect(iphone.headers.get('Location')).toMatch(
      /^https:\/\/apps\.apple\.com\/app\/id42\?ct=qr&utm_source=flyer&utm_medium=qr&utm_campaign=spring-sale&tp_click=tpc_[0-9A-Z]{26}$/,
    );
    const androidInGermany = await visit({ 'User-Agent': ANDROID, 'CF-IPCountry': 'DE' });
    // Tests run without Cloudflare's cf object: country is null, so rule 2 falls through to the default.
    expect(locationWithoutClick(androidInGermany)).toBe('https://shop.example/spring?utm_source=flyer&utm_medium=qr&utm_campaign=spring-sale');
    const germanDesktop = await visit({ 'User-Agent': DESKTOP_CHROME, 'Accept-Language': 'de-AT,de;q=0.9' });
    expect(locationWithoutClick(germanDesktop)).toBe('https://shop.example/de?utm_source=flyer&utm_medium=qr&utm_campaign=spring-sale');
    const englishDesktop = await visit({ 'User-Agent': DESKTOP_CHROME, 'Accept-Language': 'en-GB' });
    expect(locationWithoutClick(englishDesktop)).toBe('https://shop.example/spring?utm_source=flyer&utm_medium=qr&utm_campaign=spring-sale');
    const clickIds = [iphone, androidInGermany, germanDesktop, englishDesktop].map((r) => new URL(r.headers.get('Location')!).searchParams.get('tp_click'));
    const stored = await env.DB.prepare('SELECT id, rule, variant, after_cap FROM touches WHERE link_id = ?').bind(link.id).all();
    expect(new Map(stored.results.map((row: any) => [row.id, [row.rule, row.variant, row.after_cap]]))).toEqual(
      new Map([
        [clickIds[0], ['iPhone', null, 0]],
        [clickIds[1], [null, null, 0]],
        [clickIds[2], ['German', null, 0]],
        [clickIds[3], [null, null, 0]],
      ]),
    );
  });

  it('matches a query parameter and a time window', async () => {
    const link = await makeLink({
      rules: [
        {
          destination: 'https://shop.example/launch',
          conditions: [
            { type: 'query', value: 'src=poster' },
            { type: 'time', op: 'after', value: '2026-12-01T00:00:00Z' },
          ],
        },
        { destination: 'https://shop.example/soon', conditions: [{ type: 'time', op: 'before', value: '2026-12-01T00:00:00Z' }] },
      ],
    });
    const at = (iso: string, query: string) =>
      call('GET', `/${link.slug}${query}`, { key: null, now: () => Date.parse(iso), headers: { 'User-Agent': DESKTOP_CHROME } });
    expect(locationWithoutClick(await at('2026-11-30T23:59:59Z', '?src=poster'))).toBe('https://shop.example/soon?utm_campaign=spring-sale');
    expect(locationWithoutClick(await at('2026-12-01T00:00:00Z', '?src=poster'))).toBe('https://shop.example/launch?utm_campaign=spring-sale');
    expect(locationWithoutClick(await at('2026-12-01T00:00:01Z', '?src=mail'))).toBe('https://shop.example/spring?utm_campaign=spring-sale');
    expect(await routedTouches(link.id)).toEqual([
      { rule: 'rule 2', variant: null, after_cap: 0 },
      { rule: 'rule 1', variant: null, after_cap: 0 },
      { rule: null, variant: null, after_cap: 0 },
    ]);
  });
});

describe('a link with variants', () => {
  it('keeps a visitor on its variant and records it', async () => {
    const link = await makeLink({
      variants: [
        { destination: 'https://shop.example/a', weight: 1, label: 'control' },
        { destination: 'https://shop.example/b', weight: 1 },
      ],
    });
    const seen = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const visitor = `v_01JDQ${String(i).padStart(21, '0')}`;
      const first = locationWithoutClick(await call('GET', `/${link.slug}`, { key: null, headers: { Cookie: `tp_vid=${visitor}` } }));
      const again = locationWithoutClick(await call('GET', `/${link.slug}`, { key: null, headers: { Cookie: `tp_vid=${visitor}` } }));
      expect(again).toBe(first);
      seen.set(visitor, first);
    }
    const destinations = new Set(seen.values());
    expect(destinations).toEqual(new Set(['https://shop.example/a?utm_campaign=spring-sale', 'https://shop.example/b?utm_campaign=spring-sale']));
    const stored = (
      await env.DB.prepare('SELECT visitor_id, variant FROM touches WHERE link_id = ?').bind(link.id).all<{ visitor_id: string; variant: string }>()
    ).results;
    expect(stored).toHaveLength(80);
    for (const row of stored)
      expect(seen.get(row.visitor_id)).toBe(
        row.variant === 'control' ? 'https://shop.example/a?utm_campaign=spring-sale' : 'https://shop.example/b?utm_campaign=spring-sale',
      );
  });
});

describe('a click cap', () => {
  it('lets exactly max_clicks of 50 parallel visits through, sends the rest to the fallback, and records all 50', async () => {
    const link = await makeLink({ max_clicks: 20, fallback_url: 'https://shop.example/sold-out', utm_medium: 'qr' });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI, Cookie: `tp_vid=v_01JDQ${String(i).padStart(21, '0')}` } }),
      ),
    );
    const locations = responses.map(locationWithoutClick);
    expect(responses.every((r) => r.status === 302)).toBe(true);
    expect(locations.filter((l) => l === 'https://shop.example/spring?utm_medium=qr&utm_campaign=spring-sale')).toHaveLength(20);
    expect(locations.filter((l) => l === 'https://shop.example/sold-out?utm_medium=qr&utm_campaign=spring-sale')).toHaveLength(30);
    const counts = await env.DB.prepare('SELECT after_cap, COUNT(*) AS n FROM touches WHERE link_id = ? GROUP BY after_cap ORDER BY after_cap')
      .bind(link.id)
      .all();
    expect(counts.results).toEqual([
      { after_cap: 0, n: 20 },
      { after_cap: 1, n: 30 },
    ]);
  });

  it('answers 410 after the cap without a fallback, still counting the visit after the cap; a bot takes no place', async () => {
    const link = await makeLink({ max_clicks: 1 });
    expect((await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': 'curl/8.5.0' } })).status).toBe(302);
    expect((await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } })).status).toBe(302);
    const late = await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } });
    expect([late.status, late.headers.get('Location'), late.headers.get('Set-Cookie')]).toEqual([410, null, null]);
    expect((await routedTouches(link.id)).map((t) => t.after_cap)).toEqual([0, 0, 1]);
    // Raising the cap lets the next visit through at once (the edit evicts the cached link).
    await call('PATCH', `/api/v1/links/${link.id}`, { body: { max_clicks: 3 } });
    expect((await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } })).status).toBe(302);
  });

  it('sends visitors after expires_at to the fallback, marked after the cap; archived links still answer 410', async () => {
    const link = await makeLink({ expires_at: '2026-01-01T00:00:00Z', fallback_url: 'https://shop.example/ended' });
    const response = await call('GET', `/${link.slug}`, { key: null, now: () => Date.parse('2026-02-01T00:00:00Z') });
    expect(locationWithoutClick(response)).toBe('https://shop.example/ended?utm_campaign=spring-sale');
    expect(await routedTouches(link.id)).toEqual([{ rule: null, variant: null, after_cap: 1 }]);
    await call('POST', `/api/v1/links/${link.id}/archive`);
    expect((await call('GET', `/${link.slug}`, { key: null, now: () => Date.parse('2026-02-01T00:00:00Z') })).status).toBe(410);
    // An archived link was retired: its 410 records nothing.
    expect(await routedTouches(link.id)).toEqual([{ rule: null, variant: null, after_cap: 1 }]);
  });

  it('counts a visit after expires_at without a fallback (410, marked after the cap)', async () => {
    const link = await makeLink({ expires_at: '2026-01-01T00:00:00Z' });
    const response = await call('GET', `/${link.slug}`, { key: null, now: () => Date.parse('2026-02-01T00:00:00Z') });
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('</html>');
    expect(await routedTouches(link.id)).toEqual([{ rule: null, variant: null, after_cap: 1 }]);
  });
});

describe('validation and PATCH', () => {
  const refused = async (body: Record<string, unknown>) => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, destination: 'https://shop.example/', ...body } });
    expect(response.status).toBe(400);
    return (await json(response)).error;
  };

  it.each([
    [
      { rules: [{ destination: 'https://a.example/', conditions: [{ type: 'weather', value: 'rain' }] }] },
      'rules: rule 1: unknown condition type "weather" (one of device, os, language, country, time, query)',
    ],
    [{ rules: [{ destination: 'https://a.example/', conditions: [] }] }, 'rules: rule 1 needs at least one condition'],
    [{ rules: [{ destination: 'https://a.example/', conditions: [{ type: 'os', value: 'ios', extra: 1 }] }] }, 'unknown field: rules.0.conditions.0.extra'],
    [
      {
        variants: [
          { destination: 'https://a.example/', weight: 1 },
          { destination: 'https://b.example/', weight: 0 },
        ],
      },
      'variants: variants: variant 2 weight must be a positive number',
    ],
    [{ variants: [{ destination: 'https://a.example/', weight: 1 }] }, 'variants: variants needs at least 2 variants (or none)'],
    [{ fallback_url: 'javascript:alert(1)' }, 'fallback_url: must be an http or https URL'],
    [{ max_clicks: 0 }, 'max_clicks: must be a whole number from 1 to 1000000000'],
    [{ max_clicks: 2.5 }, 'max_clicks: must be a whole number from 1 to 1000000000'],
    [{ max_clicks: '20' }, 'max_clicks: must be a whole number from 1 to 1000000000'],
  ])('refuses %o', async (body, message) => {
    expect(await refused(body)).toEqual({ code: 'validation_error', message });
  });

  it('edits rules, variants, cap and fallback with PATCH; null clears them; the redirect follows at once', async () => {
    const link = await makeLink();
    expect(link).toMatchObject({ rules: [], variants: [], max_clicks: null, fallback_url: null });
    const patched = await call('PATCH', `/api/v1/links/${link.id}`, {
      body: {
        rules: [RULES[0]],
        variants: [
          { destination: 'https://shop.example/x', weight: 3 },
          { destination: 'https://shop.example/y', weight: 1, label: 'Y' },
        ],
        max_clicks: 5,
        fallback_url: 'https://shop.example/gone',
      },
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({
      rules: [RULES[0]],
      variants: [
        { destination: 'https://shop.example/x', weight: 3 },
        { destination: 'https://shop.example/y', weight: 1, label: 'Y' },
      ],
      max_clicks: 5,
      fallback_url: 'https://shop.example/gone',
    });
    expect(locationWithoutClick(await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } }))).toBe(
      'https://apps.apple.com/app/id42?ct=qr&utm_campaign=spring-sale',
    );
    const bad = await call('PATCH', `/api/v1/links/${link.id}`, {
      body: {
        variants: [
          { destination: 'https://a.example/', weight: -1 },
          { destination: 'https://a.example/', weight: 1 },
        ],
      },
    });
    expect(await json(bad)).toEqual({ error: { code: 'validation_error', message: 'variants: variants: variant 1 weight must be a positive number' } });
    const cleared = await json(await call('PATCH', `/api/v1/links/${link.id}`, { body: { rules: null, variants: [], max_clicks: null, fallback_url: null } }));
    expect(cleared).toMatchObject({ rules: [], variants: [], max_clicks: null, fallback_url: null });
    expect(locationWithoutClick(await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } }))).toBe(
      'https://shop.example/spring?utm_campaign=spring-sale',
    );
    expect(await routedTouches(link.id)).toEqual([
      { rule: 'iPhone', variant: null, after_cap: 0 },
      { rule: null, variant: null, after_cap: 0 },
    ]);
  });
});

describe('the queue path', () => {
  it('keeps the rule, variant and after-cap mark of a queued touch', async () => {
    const link = await makeLink();
    const row = await toTouchRow(env as Bindings, {
      id: 'tpc_01JQUEUE0000000000000000RV',
      type: 'click',
      occurredAt: Date.parse('2026-06-01T12:00:00Z'),
      campaignId: link.campaign_id,
      linkId: link.id,
      channel: 'email',
      visitorId: 'v_01JQUEUE0000000000000000AB',
      utm: {},
      rule: 'iPhone',
      variant: 'B',
      afterCap: true,
      facts: { method: 'GET', userAgent: MOBILE_SAFARI, referer: null, ip: '', country: 'DE', region: null, city: null },
    });
    const batch = createMessageBatch('touches', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: row }]);
    await worker.queue(batch, env as Bindings);
    await getQueueResult(batch, createExecutionContext());
    expect(await routedTouches(link.id)).toEqual([{ rule: 'iPhone', variant: 'B', after_cap: 1 }]);
  });
});

describe('GET /api/v1/links/{id}/routing', () => {
  it('breaks human visits, visitors and last-touch conversions down by rule and variant, with each split', async () => {
    const link = await makeLink({
      rules: [{ label: 'Android', destination: 'https://shop.example/android', conditions: [{ type: 'os', value: 'android' }] }],
      variants: [
        { destination: 'https://shop.example/a', weight: 1 },
        { destination: 'https://shop.example/b', weight: 1 },
      ],
      max_clicks: 7,
      fallback_url: 'https://shop.example/over',
    });
    const visit = async (visitor: number, agent = DESKTOP_CHROME) => {
      const response = await call('GET', `/${link.slug}`, {
        key: null,
        headers: { 'User-Agent': agent, Cookie: `tp_vid=v_01JDQ${String(visitor).padStart(21, '0')}` },
      });
      const location = new URL(response.headers.get('Location')!);
      return { path: location.pathname, clickId: location.searchParams.get('tp_click')! };
    };
    const visits = [
      await visit(1),
      await visit(1),
      await visit(2),
      await visit(3),
      await visit(4),
      await visit(5, ANDROID),
      await visit(6, 'curl/8.5.0'),
      await visit(7),
      await visit(8),
    ];
    const variantOf = (path: string) => (path === '/a' ? 'A' : path === '/b' ? 'B' : null);
    // Visits 1-7 (a bot's takes no place) reach their destinations, the 8th human one gets the fallback.
    expect(visits.map((v) => v.path).slice(-1)).toEqual(['/over']);
    const humans = [0, 1, 2, 3, 4, 7];
    const conversion = (clickId: string, order: string) => call('POST', '/api/v1/conversions', { body: { type: 'sale', order_id: order, click_id: clickId } });
    expect((await conversion(visits[0].clickId, 'o1')).status).toBe(201);
    expect((await conversion(visits[5].clickId, 'o2')).status).toBe(201);
    expect((await conversion(visits[8].clickId, 'o3')).status).toBe(201);

    const expected = new Map<string, { visits: number; visitors: Set<number>; conversions: number }>();
    const add = (key: string, visitor: number, converted: number) => {
      const cell = expected.get(key) ?? { visits: 0, visitors: new Set<number>(), conversions: 0 };
      cell.visits++;
      cell.visitors.add(visitor);
      cell.conversions += converted;
      expected.set(key, cell);
    };
    for (const i of humans) add(JSON.stringify([null, variantOf(visits[i].path), false]), [1, 1, 2, 3, 4, 5, 6, 7][i], i === 0 ? 1 : 0);
    add(JSON.stringify(['Android', null, false]), 5, 1);
    add(JSON.stringify([null, null, true]), 8, 1);

    const report = await json(await call('GET', `/api/v1/links/${link.id}/routing`));
    expect(report.model).toBe('last_touch');
    expect(report.min_visitors_per_variant).toBe(100);
    expect(new Map(report.rows.map((row: any) => [JSON.stringify([row.rule, row.variant, row.after_cap]), row]))).toEqual(
      new Map(
        [...expected].map(([key, cell]) => {
          const [rule, variant, afterCap] = JSON.parse(key);
          const visitors = cell.visitors.size;
          return [
            key,
            {
              rule,
              variant,
              after_cap: afterCap,
              visits: cell.visits,
              unique_visitors: visitors,
              conversions: cell.conversions,
              conversion_rate: Math.round((cell.conversions / visitors) * 10_000) / 10_000,
            },
          ];
        }),
      ),
    );
    const arm = (name: string) => {
      const keys = [...expected].filter(([key]) => JSON.parse(key)[1] === name && JSON.parse(key)[0] === null);
      return { visitors: keys.reduce((n, [, c]) => n + c.visitors.size, 0), conversions: keys.reduce((n, [, c]) => n + c.conversions, 0) };
    };
    expect(report.experiments).toEqual([
      {
        rule: null,
        variants: [
          {
            variant: 'A',
            ...arm('A'),
            conversion_rate: arm('A').visitors ? Math.round((arm('A').conversions / arm('A').visitors) * 10_000) / 10_000 : 0,
            verdict: 'control',
            z: null,
            p_value: null,
          },
          {
            variant: 'B',
            ...arm('B'),
            conversion_rate: arm('B').visitors ? Math.round((arm('B').conversions / arm('B').visitors) * 10_000) / 10_000 : 0,
            verdict: 'not_enough_data',
            z: null,
            p_value: null,
          },
        ],
      },
    ]);
    expect((await call('GET', '/api/v1/links/lnk_nope/routing')).status).toBe(404);
  });
});

describe('with three touch shards', () => {
  it("stores each routed touch on its visitor's shard and reports them added up, with their conversions", async () => {
    await migrateShardDatabases();
    const sharded = { TOUCH_SHARDS: '3' };
    const link = await makeLink({
      variants: [
        { destination: 'https://shop.example/a', weight: 1 },
        { destination: 'https://shop.example/b', weight: 1 },
      ],
    });
    const arms: Record<string, string[]> = { A: [], B: [] };
    for (let i = 0; i < 30; i++) {
      const response = await call('GET', `/${link.slug}`, {
        key: null,
        env: sharded,
        headers: { 'User-Agent': DESKTOP_CHROME, Cookie: `tp_vid=v_01JDS${String(i).padStart(21, '0')}` },
      });
      const location = new URL(response.headers.get('Location')!);
      arms[location.pathname === '/a' ? 'A' : 'B'].push(location.searchParams.get('tp_click')!);
    }
    const onShard = async (db: D1Database) => (await db.prepare('SELECT COUNT(*) AS n FROM touches WHERE link_id = ?').bind(link.id).first<{ n: number }>())!.n;
    const perShard = [await onShard(env.DB), await onShard(env.TOUCH_DB_1), await onShard(env.TOUCH_DB_2)];
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(30);
    expect(perShard.filter((n) => n > 0).length).toBeGreaterThan(1);
    for (const [i, clickId] of [...arms.A.slice(0, 2), ...arms.B.slice(0, 1)].entries()) {
      expect((await call('POST', '/api/v1/conversions', { body: { type: 'sale', order_id: `sh-${i}`, click_id: clickId }, env: sharded })).status).toBe(201);
    }
    const report = await json(await call('GET', `/api/v1/links/${link.id}/routing`, { env: sharded }));
    expect(report.experiments[0].variants.map((v: any) => [v.variant, v.visitors, v.conversions])).toEqual([
      ['A', arms.A.length, 2],
      ['B', arms.B.length, 1],
    ]);
  });
});
