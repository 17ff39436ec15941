import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ADMIN, makeKey } from '../helpers';
import { csrfOf, newBrowser, signIn, visit, type Browser } from '../support/dashboard';

const NOW = Date.parse('2031-06-10T12:00:00Z');
const now = () => NOW;
const page = async (browser: Browser, path: string) => (await visit(browser, 'GET', path, undefined, { now })).text();
const post = async (browser: Browser, path: string, form: Record<string, string>) =>
  visit(browser, 'POST', path, { _csrf: csrfOf(await page(browser, '/loyalty/draws')), ...form }, { now });

/** A browser signed in at NOW with `key`. */
async function session(key: string): Promise<Browser> {
  const browser = newBrowser();
  await signIn(browser, key, { now });
  return browser;
}
const reader = async () => session(await makeKey(['reports:read']));
const signedIn = () => session(ADMIN);

describe('/loyalty', () => {
  it('shows the program report with a CSV link per table, in the navigation', async () => {
    const browser = await reader();
    const html = await page(browser, '/loyalty?from=2031-06-01&to=2031-06-10');
    expect(html).toContain('<a href="/loyalty" aria-current="page">Bonus program</a>');
    for (const id of ['lp-comparison', 'lp-sources', 'lp-channels', 'lp-liability', 'lp-rewards', 'lp-engagement', 'lp-tiers'])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('href="/reports/data/loyalty-program?from=2031-06-01&amp;to=2031-06-10&amp;format=csv&amp;table=liability"');
    const csv = await visit(browser, 'GET', '/reports/data/loyalty-program?from=2031-06-01&to=2031-06-10&format=csv&table=members', undefined, { now });
    expect(await csv.text()).toBe('total,joined,active_30d,active_90d\r\n0,0,0,0\r\n');
  });

  it('is refused to a session that reads neither reports nor the program, which still sees the draws', async () => {
    const browser = await session(await makeKey(['links:write']));
    expect((await visit(browser, 'GET', '/loyalty', undefined, { now })).status).toBe(403);
    // A marketer sees the draws and their winners, though.
    expect((await visit(browser, 'GET', '/loyalty/draws', undefined, { now })).status).toBe(200);
  });
});

describe('/loyalty/draws', () => {
  it('lets an admin create a draw and run it once closed; the seed shows only after', async () => {
    const admin = await signedIn();
    const created = await post(admin, '/loyalty/draws', {
      name: 'June draw',
      source: 'events',
      event_type: 'review',
      starts_at: '2031-06-01T00:00',
      ends_at: '2031-06-05T00:00',
      prizes: '2',
    });
    expect(created.status).toBe(303);
    const id = /#draw-(drw_\w+)$/.exec(created.headers.get('Location')!)![1];
    const stored = await env.DB.prepare('SELECT seed, seed_hash FROM draws WHERE id = ?').bind(id).first<{ seed: string; seed_hash: string }>();
    const before = await page(admin, '/loyalty/draws?done=created');
    expect(before).toContain('Draw created.');
    expect(before).toContain(stored!.seed_hash);
    expect(before).not.toContain(stored!.seed);
    expect(before).toContain(`action="/loyalty/draws/${id}/run"`);
    const ran = await visit(admin, 'POST', `/loyalty/draws/${id}/run`, { _csrf: csrfOf(before) }, { now });
    expect(ran.status).toBe(303);
    const after = await page(admin, '/loyalty/draws?done=ran');
    expect(after).toContain(stored!.seed);
    expect(after).toContain('No entries, no winners.');
    expect(after).not.toContain(`action="/loyalty/draws/${id}/run"`);
  });

  it('shows a wrong field next to it', async () => {
    const admin = await signedIn();
    const wrong = await post(admin, '/loyalty/draws', { name: 'x', source: 'events', starts_at: '2031-06-05T00:00', ends_at: '2031-06-01T00:00', prizes: '1' });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('<span class="error" id="f-ends_at-error">must be after starts_at</span>');
    expect(html).toContain('<span class="error" id="f-event_type-error">is required when source is events</span>');
  });

  it('shows draws to a reader without the create form or run buttons, and refuses their posts', async () => {
    const browser = await reader();
    const html = await page(browser, '/loyalty/draws');
    expect(html).toContain('June draw');
    expect(html).not.toContain('id="draw-create"');
    const refused = await visit(browser, 'POST', '/loyalty/draws', { _csrf: csrfOf(html), name: 'x' }, { now });
    expect(refused.status).toBe(403);
    const { id } = (await env.DB.prepare("SELECT id FROM draws WHERE name = 'June draw'").first<{ id: string }>())!;
    const entries = await visit(browser, 'GET', `/loyalty/draws/${id}/entries.csv`, undefined, { now });
    expect(await entries.text()).toBe('entry_id,member_id,occurred_at\r\n');
  });
});
