import { describe, expect, it } from 'vitest';
import { ADMIN, call, makeKey, makeLink } from '../helpers';
import { en, vocabName } from '../../src/ui/texts/index';
import { newBrowser, signIn, visit } from '../support/dashboard';
import { at, referralOf, rewardedCampaign, visit as referralVisit } from '../support/referral-fixture';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('dashboard reports page', () => {
  it('shows routed visits per link, rule and variant, as the rules report answers them, with its CSV', async () => {
    const link = await makeLink({
      rules: [{ label: 'Poster', destination: 'https://shop.example/poster', conditions: [{ type: 'query', value: 'src=poster' }] }],
      variants: [
        { destination: 'https://shop.example/a', weight: 1, label: 'Gold' },
        { destination: 'https://shop.example/b', weight: 1, label: 'Blue' },
      ],
    });
    await call('GET', `/${link.slug}?src=poster`, { key: null, headers: { 'User-Agent': PHONE, Cookie: 'tp_vid=v_01JRULES00000000000000000A' } });
    await call('GET', `/${link.slug}?src=poster`, { key: null, headers: { 'User-Agent': PHONE, Cookie: 'tp_vid=v_01JRULES00000000000000000B' } });
    const today = new Date().toISOString().slice(0, 10);
    const filter = `from=${today}&to=${today}&campaign_id=${link.campaign_id}&model=last_touch`;
    const api = await (await call('GET', `/api/v1/reports/rules?${filter}`)).json<any>();
    expect(api.rows.map((row: any) => [row.slug, row.rule, row.variant, row.after_cap, row.visits, row.unique_visitors])).toEqual([
      [link.slug, 'Poster', null, false, 2, 2],
    ]);
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const html = await (await visit(browser, 'GET', `/reports?${filter}`)).text();
    const rules = html.slice(html.indexOf('id="rules"'), html.indexOf('id="codes"'));
    expect(rules).toContain(`<td data-col="slug">${link.slug}</td>`);
    expect(rules).toContain('<td data-col="rule">Poster</td>');
    expect(rules).toContain('<td class="num" data-col="visits">2</td>');
    const csvHref = /href="(\/reports\/data\/rules\?[^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
    const csv = await visit(browser, 'GET', csvHref);
    expect(await csv.text()).toBe(await (await call('GET', `/api/v1/reports/rules?${filter}&format=csv`)).text());
  });

  it('shows the channel numbers of the report API for the same filters, and its CSV', async () => {
    const link = await makeLink({ utm_medium: 'email', utm_source: 'newsletter' });
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': PHONE } });
    await call('GET', `/${link.slug}?qr=1`, { key: null, headers: { 'User-Agent': PHONE } });
    const today = new Date().toISOString().slice(0, 10);
    const filter = `from=${today}&to=${today}&campaign_id=${link.campaign_id}&model=linear`;
    const api = await (await call('GET', `/api/v1/reports/channels?${filter}`)).json<any>();
    expect(api.rows.length).toBeGreaterThan(0);
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const response = await visit(browser, 'GET', `/reports?${filter}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const channels = html.slice(html.indexOf('id="channels"'), html.indexOf('id="timeseries"'));
    for (const row of api.rows) {
      expect(channels).toContain(`<td data-col="channel">${vocabName(en, 'channel', row.channel)}</td>`);
      expect(channels).toContain(`<td class="num" data-col="visits">${row.visits}</td>`);
    }
    expect(html).toContain('<td data-col="channel">Email</td>');
    expect(html).toMatch(/<rect class="c0"[^>]*data-series="offline">/);
    for (const kind of ['devices', 'codes', 'loyalty', 'customers', 'email', 'referrals', 'timeseries']) expect(html).toContain(`href="/reports/data/${kind}?`);
    const csvHref = /href="(\/reports\/data\/channels\?[^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
    const csv = await visit(browser, 'GET', csvHref);
    expect(csv.status).toBe(200);
    const apiCsv = await (await call('GET', `/api/v1/reports/channels?${filter}&format=csv`)).text();
    expect(await csv.text()).toBe(apiCsv);
    expect((await visit(newBrowser(), 'GET', csvHref)).status).toBe(302);
    expect(channels).toContain('<th scope="col" class="num">Unique visitors</th>');
    expect(html).not.toContain('id="estimated-note"');

    // Above EXACT_VISITORS_LIMIT human visits, unique visitors are estimates: the page says so.
    const busy = await (await visit(browser, 'GET', `/reports?${filter}`, undefined, { env: { EXACT_VISITORS_LIMIT: '1' } })).text();
    expect(busy).toContain('<th scope="col" class="num">Unique visitors (≈)</th>');
    expect(busy).toContain(
      '<p class="muted" id="estimated-note">Busy range: unique visitors are estimated (HyperLogLog, about ±3 %); every other figure is exact.</p>',
    );
  });

  it('shows a campaign its referrers of the last 30 days', async () => {
    const campaign = await rewardedCampaign({ name: 'Friends' });
    const referral = await referralOf(campaign.id, 'cust-42');
    await referralVisit(referral.code, 5);
    const browser = newBrowser();
    await signIn(browser, ADMIN, { now: at(60) });
    const html = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=referrals`, undefined, { now: at(60) })).text();
    const section = html.slice(html.indexOf('id="referrals"'));
    expect(section).toContain(`<td data-col="referrer">${referral.code}</td>`);
    expect(section).toContain('<td class="num" data-col="visits">1</td>');
  });

  it('shows date errors next to the field and refuses keys without reports:read', async () => {
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const response = await visit(browser, 'GET', '/reports?from=2026-02-30');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="f-from-error"');
    const writer = newBrowser();
    await signIn(writer, await makeKey(['links:write']));
    expect((await visit(writer, 'GET', '/reports')).status).toBe(403);
    expect((await visit(writer, 'GET', '/reports/data/channels')).status).toBe(403);
  });

  it('speaks German by Accept-Language and by the switch, with German number formats', async () => {
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const german = await (await visit(browser, 'GET', '/reports', undefined, { headers: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' } })).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain('<h1>Berichte</h1>');
    const switched = await visit(browser, 'GET', '/settings/language/en?back=/reports');
    expect(switched.headers.get('Location')).toBe('/reports');
    const english = await (await visit(browser, 'GET', '/reports', undefined, { headers: { 'Accept-Language': 'de-DE' } })).text();
    expect(english).toContain('<h1>Reports</h1>');
    expect((await visit(browser, 'GET', '/settings/language/de?back=//evil.example')).headers.get('Location')).toBe('/');
  });

  it('serves the static assets with long cache headers', async () => {
    const page = await (await visit(newBrowser(), 'GET', '/signin')).text();
    const css = /href="(\/assets\/app\.css\?v=[^"]+)"/.exec(page)![1];
    const response = await visit(newBrowser(), 'GET', css);
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const js = await visit(newBrowser(), 'GET', '/assets/app.js');
    expect(js.headers.get('Cache-Control')).toBe('public, max-age=3600');
    expect(await js.text()).toContain('output[data-utm-preview]');
  });
});
