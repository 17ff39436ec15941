import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/lib/crypto';
import { call, DESKTOP_CHROME, makeCampaign, makeLink } from '../helpers';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const at = (ms: number) => () => T0 + ms;

async function emailLinks(count: number) {
  const campaign = await makeCampaign({ name: 'Newsletter September' });
  const links = [];
  for (let i = 0; i < count; i++) links.push(await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email', utm_content: `block-${i}` }));
  return { campaign, links };
}

describe('email links', () => {
  it('stores the recipient id only as a keyed hash', async () => {
    const { links } = await emailLinks(1);
    const response = await call('GET', `/${links[0].slug}?rid=subscriber-4711`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    expect(response.headers.get('Location')).not.toContain('rid=');
    const row = await env.DB.prepare('SELECT * FROM touches WHERE link_id = ?').bind(links[0].id).first<Record<string, unknown>>();
    expect(row!.rid_hash).toBe(await hmacHex('test-hash-secret', 'rid:subscriber-4711'));
    expect(JSON.stringify(row)).not.toContain('subscriber-4711');
  });

  it('flags a scanner burst (5 links of one rid within 2 s) and counts a human click 10 minutes later', async () => {
    const { links } = await emailLinks(5);
    const headers = { 'User-Agent': DESKTOP_CHROME };
    for (const [i, link] of links.entries()) await call('GET', `/${link.slug}?rid=r-1`, { key: null, headers, now: at(i * 400) });
    await call('GET', `/${links[2].slug}?rid=r-1`, { key: null, headers, now: at(10 * 60_000) });
    const rows = await env.DB.prepare(
      `SELECT occurred_at, is_bot, bot_reason FROM touches WHERE link_id IN (${links.map(() => '?').join(',')}) ORDER BY occurred_at`,
    )
      .bind(...links.map((l) => l.id))
      .all();
    expect(rows.results).toEqual([
      { occurred_at: '2026-09-01T08:00:00.000Z', is_bot: 1, bot_reason: 'scanner_burst' },
      { occurred_at: '2026-09-01T08:00:00.400Z', is_bot: 1, bot_reason: 'scanner_burst' },
      { occurred_at: '2026-09-01T08:00:00.800Z', is_bot: 1, bot_reason: 'scanner_burst' },
      { occurred_at: '2026-09-01T08:00:01.200Z', is_bot: 1, bot_reason: 'scanner_burst' },
      { occurred_at: '2026-09-01T08:00:01.600Z', is_bot: 1, bot_reason: 'scanner_burst' },
      { occurred_at: '2026-09-01T08:10:00.000Z', is_bot: 0, bot_reason: null },
    ]);
  });

  it('does not flag two recipients who each click once', async () => {
    const { links } = await emailLinks(3);
    for (const [i, link] of links.entries())
      await call('GET', `/${link.slug}?rid=person-${i}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: at(i * 100) });
    const flagged = await env.DB.prepare(`SELECT COUNT(*) AS n FROM touches WHERE is_bot = 1 AND link_id IN (?, ?, ?)`)
      .bind(...links.map((l) => l.id))
      .first();
    expect(flagged).toEqual({ n: 0 });
  });
});

describe('GET /o/:slug.gif', () => {
  it('answers a 43-byte GIF with no-store and logs a human open', async () => {
    const { links } = await emailLinks(1);
    const response = await call('GET', `/o/${links[0].slug}.gif?rid=r-9`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now: at(0) });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/gif');
    expect(response.headers.get('Cache-Control')).toBe('no-store, max-age=0');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(43);
    expect(String.fromCharCode(...bytes.slice(0, 6))).toBe('GIF89a');
    const open = await env.DB.prepare('SELECT link_id, rid_hash, occurred_at, is_machine, machine_reason, device_class FROM email_opens WHERE link_id = ?')
      .bind(links[0].id)
      .first();
    expect(open).toEqual({
      link_id: links[0].id,
      rid_hash: await hmacHex('test-hash-secret', 'rid:r-9'),
      occurred_at: '2026-09-01T08:00:00.000Z',
      is_machine: 0,
      machine_reason: null,
      device_class: 'desktop',
    });
    const touches = await env.DB.prepare('SELECT COUNT(*) AS n FROM touches WHERE link_id = ?').bind(links[0].id).first();
    expect(touches).toEqual({ n: 0 });
  });

  it.each([
    ['Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', 'image_proxy'],
    ['Mozilla/5.0', 'image_proxy'],
    ['Mozilla/5.0 (compatible; Barracuda Sentinel)', 'email_scanner'],
  ])('flags an open by %s as a machine open (%s)', async (ua, reason) => {
    const { links } = await emailLinks(1);
    await call('GET', `/o/${links[0].slug}.gif`, { key: null, headers: { 'User-Agent': ua } });
    const open = await env.DB.prepare('SELECT is_machine, machine_reason FROM email_opens WHERE link_id = ?').bind(links[0].id).first();
    expect(open).toEqual({ is_machine: 1, machine_reason: reason });
  });

  it('still answers the GIF for an unknown slug, logging nothing', async () => {
    const response = await call('GET', '/o/nope-nope.gif', { key: null });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(43);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM orphan_visits WHERE slug = 'nope-nope'").first()).toEqual({ n: 0 });
  });
});
