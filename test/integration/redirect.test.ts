import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sketchSlot } from '../../src/domain/visitor-sketch';
import { call, DESKTOP_CHROME, json, makeLink, MOBILE_SAFARI } from '../helpers';

const touchesOf = async (linkId: string) =>
  (await env.DB.prepare('SELECT * FROM touches WHERE link_id = ? ORDER BY id').bind(linkId).all<Record<string, any>>()).results;

const clickIdOf = (response: Response) => new URL(response.headers.get('Location')!).searchParams.get('tp_click');

describe('GET /:slug', () => {
  it('redirects with utm and click id, sets the visitor cookie, and logs exactly one touch', async () => {
    const link = await makeLink({ slug: 'mail-march', utm_source: 'newsletter', utm_medium: 'email', destination: 'https://shop.example/p?x=1#buy' });
    const response = await call('GET', '/mail-march', {
      key: null,
      headers: { 'User-Agent': MOBILE_SAFARI, Referer: 'https://mail.example.com/inbox', 'CF-Connecting-IP': '203.0.113.9' },
      now: () => Date.parse('2026-04-02T08:15:00Z'),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const clickId = clickIdOf(response);
    expect(clickId).toMatch(/^tpc_[0-9A-Z]{26}$/);
    expect(response.headers.get('Location')).toBe(
      `https://shop.example/p?x=1&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&tp_click=${clickId}#buy`,
    );
    const cookie = response.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^tp_vid=v_[0-9A-Z]{26}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const visitorId = cookie.slice('tp_vid='.length, cookie.indexOf(';'));

    const touches = await touchesOf(link.id);
    expect(touches).toEqual([
      {
        id: clickId,
        type: 'click',
        occurred_at: '2026-04-02T08:15:00.000Z',
        campaign_id: link.campaign_id,
        link_id: link.id,
        channel: 'email',
        visitor_id: visitorId,
        visitor_kind: 'cookie',
        device_class: 'mobile',
        os: 'iOS',
        browser: 'Mobile Safari',
        is_bot: 0,
        bot_reason: null,
        user_agent: MOBILE_SAFARI,
        rid_hash: null,
        country: null,
        region: null,
        city: null,
        referrer_host: 'mail.example.com',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring-sale',
        referrer_hash: null,
        visitor_hll: sketchSlot(visitorId),
        rule: null,
        variant: null,
        after_cap: 0,
      },
    ]);
    const stats = (await json(await call('GET', `/api/v1/links/${link.id}`))).stats;
    expect(stats).toEqual({ clicks: 1, scans: 0, unique_visitors: 1 });
  });

  it('keeps an existing visitor cookie', async () => {
    const link = await makeLink();
    const visitor = 'v_01JDQ0000000000000000000AB';
    const response = await call('GET', `/${link.slug}`, { key: null, headers: { Cookie: `tp_vid=${visitor}`, 'User-Agent': DESKTOP_CHROME } });
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect((await touchesOf(link.id))[0]).toMatchObject({ visitor_id: visitor, visitor_kind: 'cookie', device_class: 'desktop' });
  });

  it('counts ?qr=1 as an offline scan', async () => {
    const link = await makeLink({ utm_medium: 'email' });
    await call('GET', `/${link.slug}?qr=1`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } });
    expect((await touchesOf(link.id))[0]).toMatchObject({ type: 'scan', channel: 'offline', device_class: 'mobile' });
    expect((await json(await call('GET', `/api/v1/links/${link.id}`))).stats).toEqual({ clicks: 0, scans: 1, unique_visitors: 1 });
  });

  it.each([
    ['curl/8.5.0', 'user_agent'],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'link_preview'],
  ])('logs %s as a bot and leaves it out of stats', async (ua, reason) => {
    const link = await makeLink();
    const response = await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': ua } });
    expect(response.status).toBe(302);
    expect((await touchesOf(link.id))[0]).toMatchObject({ is_bot: 1, bot_reason: reason, device_class: 'bot' });
    expect((await json(await call('GET', `/api/v1/links/${link.id}`))).stats).toEqual({ clicks: 0, scans: 0, unique_visitors: 0 });
  });

  it('answers HEAD but logs it as a bot', async () => {
    const link = await makeLink();
    const response = await call('HEAD', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    expect(response.status).toBe(302);
    expect((await touchesOf(link.id))[0]).toMatchObject({ is_bot: 1, bot_reason: 'head_request' });
  });

  it.each([['DNT'], ['Sec-GPC']])('sets no cookie under %s: 1 and uses a daily hash instead', async (header) => {
    const link = await makeLink();
    const headers = { [header]: '1', 'User-Agent': DESKTOP_CHROME, 'CF-Connecting-IP': '198.51.100.7' };
    const day = () => Date.parse('2026-05-05T10:00:00Z');
    const first = await call('GET', `/${link.slug}`, { key: null, headers, now: day });
    const second = await call('GET', `/${link.slug}`, { key: null, headers, now: () => day() + 3600_000 });
    const nextDay = await call('GET', `/${link.slug}`, { key: null, headers, now: () => day() + 86_400_000 });
    for (const response of [first, second, nextDay]) expect(response.headers.get('Set-Cookie')).toBeNull();
    const touches = await touchesOf(link.id);
    expect(touches.map((t) => t.visitor_kind)).toEqual(['hash', 'hash', 'hash']);
    expect(touches[0].visitor_id).toMatch(/^h_[0-9a-f]{32}$/);
    expect(touches[1].visitor_id).toBe(touches[0].visitor_id);
    expect(touches[2].visitor_id).not.toBe(touches[0].visitor_id);
    const stored = JSON.stringify(touches);
    expect(stored).not.toContain('198.51.100.7');
  });

  it('forwards query parameters when the link asks, never overriding its utm values', async () => {
    const link = await makeLink({ utm_source: 'flyer', forward_query: true });
    const response = await call('GET', `/${link.slug}?utm_source=evil&utm_medium=print&gclid=g1&qr=1`, { key: null });
    const clickId = clickIdOf(response);
    expect(response.headers.get('Location')).toBe(
      `https://shop.example/spring?utm_source=flyer&utm_campaign=spring-sale&utm_medium=print&gclid=g1&tp_click=${clickId}`,
    );
    expect((await touchesOf(link.id))[0]).toMatchObject({ type: 'scan', utm_source: 'flyer', utm_medium: 'print' });
  });

  it('does not forward query parameters by default', async () => {
    const link = await makeLink();
    const response = await call('GET', `/${link.slug}?gclid=g1`, { key: null });
    expect(response.headers.get('Location')).toBe(`https://shop.example/spring?utm_campaign=spring-sale&tp_click=${clickIdOf(response)}`);
  });

  it('answers an unknown slug with a 404 page and logs an orphan visit', async () => {
    const response = await call('GET', '/no-such-link', { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toContain('text/html');
    expect(await response.text()).toContain('Link not found');
    const orphan = await env.DB.prepare("SELECT slug, is_bot, device_class FROM orphan_visits WHERE slug = 'no-such-link'").first();
    expect(orphan).toEqual({ slug: 'no-such-link', is_bot: 0, device_class: 'desktop' });
  });

  it('serves a slug created after a 404 was cached', async () => {
    expect((await call('GET', '/later-slug', { key: null })).status).toBe(404);
    await makeLink({ slug: 'later-slug' });
    expect((await call('GET', '/later-slug', { key: null })).status).toBe(302);
  });

  it('logs one touch per request under a burst', async () => {
    const link = await makeLink();
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } })),
    );
    const clickIds = responses.map(clickIdOf);
    const touches = await touchesOf(link.id);
    expect(touches).toHaveLength(40);
    expect(touches.map((t) => t.id).sort()).toEqual([...clickIds].sort());
  });
});

describe('short links and the dashboard', () => {
  it('answers a redirect without the dashboard page headers', async () => {
    const link = await makeLink();
    const response = await call('GET', `/${link.slug}`, { key: null });
    expect(response.status).toBe(302);
    expect([...response.headers.keys()].sort()).toEqual(['cache-control', 'location', 'set-cookie']);
  });
});
