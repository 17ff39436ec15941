import { describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, makeKey, makeLink, MOBILE_SAFARI } from '../helpers';
import { newBrowser, signedIn, signIn, visit } from '../support/dashboard';

const today = () => new Date().toISOString().slice(0, 10);
const kpi = (html: string, key: string) =>
  new RegExp(`data-kpi="${key}"><span class="kpi-label">[^<]*</span><strong class="kpi-value">([^<]*)</strong>`).exec(html)?.[1];
const section = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf('</section>', html.indexOf(`id="${id}"`)));
/** The chart card: its bars, its table and its legend (it holds sections of its own). */
const chartCard = (html: string) => html.slice(html.indexOf('id="by-channel"'), html.indexOf('class="top-grid"'));

/** A campaign with an email link (2 phone visits, one from a referring page) and a QR link (1 desktop scan). */
async function traffic() {
  const email = await makeLink({ utm_medium: 'email', utm_source: 'newsletter', slug: `ov-mail-${crypto.randomUUID().slice(0, 8)}` });
  const qr = await makeLink({ campaign_id: email.campaign_id, kind: 'qr', slug: `ov-qr-${crypto.randomUUID().slice(0, 8)}` });
  const fromMail = await call('GET', `/${email.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI, Referer: 'https://mail.example/inbox' } });
  await call('GET', `/${email.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI, 'CF-Connecting-IP': '198.51.100.7' } });
  await call('GET', `/${qr.slug}?qr=1`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
  const clickId = new URL(fromMail.headers.get('Location')!).searchParams.get('tp_click')!;
  return { email, qr, campaignId: email.campaign_id as string, clickId };
}

describe('dashboard overview', () => {
  it('opens on the key figures of the API, a stacked chart by channel with today marked partial, and top lists that filter', async () => {
    const { email, qr, campaignId } = await traffic();
    const api = await (await call('GET', `/api/v1/reports/channels?from=${today()}&to=${today()}&campaign_id=${campaignId}`)).json<any>();
    const visits = api.rows.reduce((sum: number, row: any) => sum + row.visits, 0);
    expect(visits).toBe(3);
    const browser = await signedIn();
    const response = await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Overview</h1>');
    expect(kpi(html, 'visits')).toBe('3');
    expect(kpi(html, 'conversions')).toBe('0');
    expect(kpi(html, 'conversion_rate')).toBe('0%');
    expect(html).toContain(`<a href="/?range=today&amp;campaign_id=${campaignId}" aria-current="true">Today</a>`);
    expect(html).toContain(`<a href="/?range=7d&amp;campaign_id=${campaignId}">7 days</a>`);
    // The chart: one bar (today, partial) with an email and an offline segment, named for the reader.
    const chart = chartCard(html);
    expect(chart).toContain('<g class="day partial" data-day="' + today() + '">');
    expect(chart.match(/<rect /g)).toHaveLength(2);
    expect(chart).toMatch(/<rect class="c0"[^>]*data-series="offline"><title>Offline · [^:]+ \(today so far \(the day is still running\)\): 1<\/title>/);
    expect(chart).toMatch(/<rect class="c2"[^>]*data-series="email"><title>Email · [^:]+: 2<\/title>/);
    expect(chart).toContain('aria-label="Hide Email"');
    // Top lists: the campaign, both links, the two device classes, the referrer host; rows link to filters.
    expect(section(html, 'top-links')).toContain(`href="/?range=today&amp;campaign_id=${campaignId}&amp;link_id=${email.id}"`);
    expect(section(html, 'top-links')).toContain(`>${qr.slug}</a>`);
    expect(section(html, 'top-devices')).toMatch(/>Phone<\/a><\/th><td class="num">2<\/td><td class="num">0<\/td>/);
    expect(section(html, 'top-devices')).toMatch(/>Desktop<\/a><\/th><td class="num">1<\/td>/);
    expect(section(html, 'top-referrers')).toMatch(/>mail\.example<\/a><\/th><td class="num">1<\/td>/);
    expect(section(html, 'top-referrers')).toMatch(/<th scope="row">none \(typed, scanned or app\)<\/th><td class="num">2<\/td>/);
    expect(html).toContain('Conversions credited by Last touch: All credit to the last interaction before the purchase.');
    expect(html).toContain('Days are UTC days (00:00–24:00 UTC).');
  });

  it('narrows every figure by a filter chip and leaves hidden channels out of the chart', async () => {
    const { email, campaignId } = await traffic();
    const browser = await signedIn();
    const byLink = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}&link_id=${email.id}`)).text();
    expect(kpi(byLink, 'visits')).toBe('2');
    expect(byLink).toContain(`<span class="muted">Link:</span> ${email.slug}`);
    expect(byLink).toContain(`aria-label="Remove filter ${email.slug}"`);
    const byDevice = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}&device=desktop`)).text();
    expect(kpi(byDevice, 'visits')).toBe('1');
    expect(section(byDevice, 'top-referrers')).toMatch(/none \(typed, scanned or app\)<\/th><td class="num">1<\/td>/);
    const hidden = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}&hide=email`)).text();
    const chart = chartCard(hidden);
    expect(chart.match(/<rect /g)).toHaveLength(1);
    expect(chart).not.toContain('data-series="email"><title>');
    expect(chart).toContain('aria-label="Show Email"');
    expect(chart).toContain('<span class="muted"> (hidden)</span>');
    expect(kpi(hidden, 'visits')).toBe('3');
  });

  it('speaks German, reports a bad date next to its field, and sends keys without reports:read to the campaigns', async () => {
    const { campaignId } = await traffic();
    const browser = await signedIn();
    await visit(browser, 'GET', '/settings/language/de?back=/');
    const german = await (await visit(browser, 'GET', `/?range=7d&campaign_id=${campaignId}`)).text();
    expect(german).toContain('<h1>Übersicht</h1>');
    expect(german).toContain('aria-label="E-Mail ausblenden"');
    expect(german).toContain('Conversions zugeordnet nach Letzter Kontakt');
    const bad = await visit(browser, 'GET', '/?from=2026-02-30&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<span class="error" id="f-from-error">is not a calendar date</span>');
    const writer = newBrowser();
    await signIn(writer, await makeKey(['links:write']));
    const landing = await visit(writer, 'GET', '/');
    expect(landing.status).toBe(302);
    expect(landing.headers.get('Location')).toBe('/campaigns');
    expect((await visit(newBrowser(), 'GET', '/')).status).toBe(302);
  });

  it('narrows to the visits from one referring site and the conversions credited to them', async () => {
    const { campaignId, clickId } = await traffic();
    const sale = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: `ov-${clickId}`, click_id: clickId, value: 50, currency: 'EUR' },
    });
    expect(sale.status).toBe(201);
    const browser = await signedIn();
    const all = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}`)).text();
    expect([kpi(all, 'visits'), kpi(all, 'conversions'), kpi(all, 'revenue')]).toEqual(['3', '1', '€50.00']);
    expect(section(all, 'top-referrers')).toContain(
      `<a href="/?range=today&amp;campaign_id=${campaignId}&amp;referrer=mail.example" aria-label="Show only mail.example">mail.example</a>`,
    );
    const html = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}&referrer=mail.example`)).text();
    expect([kpi(html, 'visits'), kpi(html, 'unique_visitors'), kpi(html, 'conversions'), kpi(html, 'revenue'), kpi(html, 'conversion_rate')]).toEqual([
      '1',
      '1',
      '1',
      '€50.00',
      '100%',
    ]);
    expect(html).toContain('<span class="muted">Referrer:</span> mail.example');
    expect(chartCard(html).match(/<rect /g)).toHaveLength(1);
    expect(section(html, 'top-referrers')).toMatch(/>mail\.example<\/a><\/th><td class="num">1<\/td>/);
    expect(section(html, 'top-referrers')).not.toContain('none (typed, scanned or app)');
    expect(section(html, 'top-devices')).toMatch(/>Phone<\/a><\/th><td class="num">1<\/td><td class="num">1<\/td>/);
    // A country filter replaces the referrer one; a malformed value is ignored.
    const ignored = await (await visit(browser, 'GET', `/?range=today&campaign_id=${campaignId}&country=germany`)).text();
    expect(kpi(ignored, 'visits')).toBe('3');
  });
});
