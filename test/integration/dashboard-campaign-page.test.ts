import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Bindings } from '../../src/env';
import { ADMIN, BASE, call, DESKTOP_CHROME, json, makeCampaign, makeKey, makeLink, MOBILE_SAFARI } from '../helpers';
import { mintCodes } from '../support/codes';
import { countingDb } from '../support/counting-db';
import { csrfOf, newBrowser, signIn, visit, type Browser } from '../support/dashboard';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const NOW = () => T0 + 3 * 3_600_000;
let ip = 0;

/** A visit of a short URL at T0 as Cloudflare would deliver it: its own client IP, optional country, referrer and QR marker. */
async function open(slug: string, options: { qr?: boolean; ua?: string; country?: string; referer?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = { 'User-Agent': options.ua ?? MOBILE_SAFARI, 'CF-Connecting-IP': `198.51.100.${++ip % 250}` };
  if (options.referer) headers.Referer = options.referer;
  if (options.cookie) headers.Cookie = options.cookie;
  const init = { headers, redirect: 'manual', cf: options.country ? { country: options.country } : undefined } as RequestInit;
  const ctx = createExecutionContext();
  const response = await createApp({ now: () => T0 }).fetch(new Request(`${BASE}/${slug}${options.qr ? '?qr=1' : ''}`, init), env as Bindings, ctx);
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(302);
  return new URL(response.headers.get('Location')!).searchParams.get('tp_click')!;
}

const convert = async (body: Record<string, unknown>) => {
  const response = await call('POST', '/api/v1/conversions', {
    body: { type: 'sale', currency: 'EUR', occurred_at: new Date(T0 + 60_000).toISOString(), ...body },
    now: () => T0 + 60_000,
  });
  expect([200, 201]).toContain(response.status);
  return json(response);
};

async function admin(): Promise<Browser> {
  const browser = newBrowser();
  await signIn(browser, ADMIN, { now: NOW });
  return browser;
}

const page = async (browser: Browser, path: string, headers: Record<string, string> = {}) => {
  const response = await visit(browser, 'GET', path, undefined, { now: NOW, headers });
  expect(response.status).toBe(200);
  return response.text();
};

/** The HTML of the table row carrying `attribute` (e.g. data-link="lnk_…"). */
const rowOf = (html: string, attribute: string) => {
  const start = html.indexOf(`<tr ${attribute}>`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
};
/** The text of the cell `data-metric` (or `data-col`) = name in a row. */
const cell = (row: string, name: string) => new RegExp(`data-(?:metric|col)="${name}">([^<]*)<`).exec(row)?.[1];

describe('campaign page: sections and figures', () => {
  it('reads as many D1 statements for 20 links, batches and promotions as for 2, in every section and on a link page', async () => {
    const browser = await admin();
    const statementsFor = async (n: number) => {
      const campaign = await makeCampaign({ name: `Rows ${n}` });
      const links = [];
      for (let i = 0; i < n; i++) {
        const link = await makeLink({ campaign_id: campaign.id, destination: `https://shop.example/${i}`, utm_medium: 'print' });
        const clickId = await open(link.slug, { country: 'DE' });
        await convert({ order_id: `rows-${n}-${i}`, click_id: clickId, value: 10 });
        await mintCodes({ campaign_id: campaign.id, prefix: `R${i}` });
        await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: `ROWS${n}X${i}` } });
        links.push(link);
      }
      const counts: Record<string, number> = {};
      for (const path of [
        ...['links', 'qr', 'codes', 'promos', 'referrals', 'settings'].map((section) => `/campaigns/${campaign.id}?section=${section}`),
        `/campaigns/${campaign.id}/links/${links[0].id}`,
        `/campaigns/${campaign.id}/archive`,
      ]) {
        const counting = countingDb();
        const response = await visit(browser, 'GET', path, undefined, { now: NOW, env: { DB: counting.DB, PUBLIC_ORIGIN: BASE } });
        expect([path, response.status]).toEqual([path, 200]);
        counts[path.replace(campaign.id, ':id').replace(links[0].id, ':link')] = counting.statements();
      }
      return counts;
    };
    const two = await statementsFor(2);
    const twenty = await statementsFor(20);
    expect(twenty).toEqual(two);
    for (const count of Object.values(two)) expect(count).toBeGreaterThan(0);
  });

  it('shows each link with its clicks, scans, visitors, conversions and revenue over the picked period', async () => {
    const campaign = await makeCampaign({ name: 'Poster Köln' });
    const poster = await makeLink({ campaign_id: campaign.id, utm_medium: 'print', label: 'Poster', kind: 'qr' });
    const mail = await makeLink({ campaign_id: campaign.id, utm_medium: 'email' });
    const first = await open(poster.slug, { country: 'DE', referer: 'https://news.example/article' });
    await open(poster.slug, { country: 'DE' });
    await open(poster.slug, { qr: true, ua: DESKTOP_CHROME, country: 'AT' });
    await open(mail.slug);
    await convert({ order_id: 'poster-1', click_id: first, value: 40 });

    const browser = await admin();
    const html = await page(browser, `/campaigns/${campaign.id}`);
    expect(html).toContain('<nav class="sections" aria-label="Campaign sections">');
    expect(html).toContain(`<a href="/campaigns/${campaign.id}?section=links" aria-current="page">Links</a>`);
    expect(html).toContain('<input id="r-from" name="from" type="date" value="2026-02-09"/>');
    expect(html).toContain('<input id="r-to" name="to" type="date" value="2026-03-10"/>');
    const row = rowOf(html, `data-link="${poster.id}"`);
    expect(row).toContain(`<a href="/campaigns/${campaign.id}/links/${poster.id}" aria-label="Details: ${poster.short_url}">`);
    expect(row).toContain('<div class="muted">Poster · QR code</div>');
    expect(row).toContain('<td data-label="Channel">Offline</td>');
    expect([cell(row, 'clicks'), cell(row, 'scans'), cell(row, 'visitors'), cell(row, 'conversions'), cell(row, 'revenue')]).toEqual([
      '2',
      '1',
      '3',
      '1',
      '€40.00',
    ]);
    const other = rowOf(html, `data-link="${mail.id}"`);
    expect(other).toContain('<td data-label="Channel">Email</td>');
    expect([cell(other, 'clicks'), cell(other, 'scans'), cell(other, 'visitors'), cell(other, 'conversions'), cell(other, 'revenue')]).toEqual([
      '1',
      '0',
      '1',
      '0',
      '€0.00',
    ]);
    // A period without those days shows zeros; the German page formats money the German way.
    const before = rowOf(await page(browser, `/campaigns/${campaign.id}?section=links&from=2026-01-01&to=2026-03-09`), `data-link="${poster.id}"`);
    expect([cell(before, 'clicks'), cell(before, 'conversions'), cell(before, 'revenue')]).toEqual(['0', '0', '0']);
    const german = rowOf(await page(browser, `/campaigns/${campaign.id}`, { 'Accept-Language': 'de' }), `data-link="${poster.id}"`);
    expect(cell(german, 'revenue')).toBe('40,00\u00a0€');
    expect(german).toContain('<td data-label="Kanal">Offline</td>');

    // The link page: figures, chart, channels × devices, countries, referrers, the credited conversion.
    const detail = await page(browser, `/campaigns/${campaign.id}/links/${poster.id}`);
    expect(detail).toContain(`<h1><code data-short-url="true">${poster.short_url}</code></h1>`);
    expect(detail).toContain('<p class="muted">Poster · Offline · QR code · active</p>');
    const stats = (name: string) => new RegExp(`data-metric="${name}"><dt>[^<]*</dt><dd>([^<]*)</dd>`).exec(detail)?.[1];
    expect(['visits', 'clicks', 'scans', 'visitors', 'conversions', 'revenue'].map(stats)).toEqual(['3', '2', '1', '3', '1', '€40.00']);
    const chart = JSON.parse(/<figure class="chart" data-chart="([^"]*)"/.exec(detail)![1].replace(/&quot;/g, '"'));
    expect(chart.days).toHaveLength(30);
    expect(chart.days.at(-1)).toBe('2026-03-10');
    expect(chart.series).toEqual([{ name: 'Offline', values: [...Array(29).fill(0), 3] }]);
    expect(detail).toContain('<polyline class="c0"');
    const devices = detail.slice(detail.indexOf('id="devices"'), detail.indexOf('id="countries"'));
    expect(
      [
        ...devices.matchAll(
          /<tr><th scope="row" class="key">([^<]*)<\/th><td data-label="Device" data-col="device">([^<]*)<\/td><td class="num" data-label="Visits" data-col="visits">([^<]*)<\/td><td class="num" data-label="Conversions" data-col="conversions">([^<]*)</g,
        ),
      ].map((m) => m.slice(1)),
    ).toEqual([
      ['Offline', 'Phone', '2', '1'],
      ['Offline', 'Desktop', '1', '0'],
    ]);
    const breakdown = (id: string, next: string) =>
      [
        ...detail
          .slice(detail.indexOf(`id="${id}"`), detail.indexOf(next))
          .matchAll(/<td class="wrap" data-col="value">([^<]*)<\/td><td class="num" data-col="visits">([^<]*)</g),
      ].map((m) => [m[1], m[2]]);
    expect(breakdown('countries', 'id="referrers"')).toEqual([
      ['Germany', '2'],
      ['Austria', '1'],
    ]);
    expect(breakdown('referrers', 'id="conversions"')).toEqual([
      ['none (typed, app, QR or email client)', '2'],
      ['news.example', '1'],
    ]);
    const conversions = detail.slice(detail.indexOf('id="conversions"'));
    expect(conversions).toContain(
      '<th scope="row" class="key">10 Mar 2026</th><td data-label="Type">sale</td><td class="num" data-label="Order value">€40.00</td><td class="num" data-label="Share">100%</td><td class="num" data-label="Credited revenue">€40.00</td>',
    );
    // A busy link's visitors are estimated from its day sketches; the page says so and still splits by device.
    const busy = await visit(browser, 'GET', `/campaigns/${campaign.id}/links/${poster.id}`, undefined, { now: NOW, env: { EXACT_VISITORS_LIMIT: '1' } });
    expect(busy.status).toBe(200);
    const busyHtml = await busy.text();
    expect(busyHtml).toContain('<div class="stat" data-metric="visitors"><dt>Unique visitors (≈)</dt><dd>3</dd></div>');
    expect(busyHtml).toContain('<td class="num" data-label="Visits" data-col="visits">2</td>');
    const busyList = await visit(browser, 'GET', `/campaigns/${campaign.id}`, undefined, { now: NOW, env: { EXACT_VISITORS_LIMIT: '1' } });
    expect(cell(rowOf(await busyList.text(), `data-link="${poster.id}"`), 'visitors')).toBe('3');
    // The other link of the campaign has no conversion; a link of another campaign is not found under this one.
    expect(await page(browser, `/campaigns/${campaign.id}/links/${mail.id}`)).toContain('No conversions credited to this link in this period.');
    const stranger = await makeLink();
    expect((await visit(browser, 'GET', `/campaigns/${campaign.id}/links/${stranger.id}`, undefined, { now: NOW })).status).toBe(404);
  });

  it('lists code batches with minted, entered, accepted, redeemed and credited conversions, and promotions with redemptions and limits', async () => {
    const campaign = await makeCampaign({ name: 'Packaging' });
    const { batch, codes } = await mintCodes({ campaign_id: campaign.id, count: 3, prefix: 'PK', reward: 'Coffee' });
    const entry = (code: string) =>
      call('POST', '/api/v1/codes/redeem', {
        key: null,
        body: { code },
        headers: { 'User-Agent': MOBILE_SAFARI, 'CF-Connecting-IP': '203.0.113.77' },
        now: () => T0,
      });
    const accepted = await entry(codes[0]);
    expect(accepted.status).toBe(200);
    const visitorId = /tp_vid=([^;]+);/.exec(accepted.headers.get('Set-Cookie')!)![1];
    expect((await entry(codes[0])).status).toBe(410);
    await convert({ order_id: 'pack-1', visitor_id: visitorId, value: 12.5 });
    const promo = await json(
      await call('POST', '/api/v1/promo-codes', {
        body: { campaign_id: campaign.id, code: 'SPRING26', discount: '10 %', max_redemptions: 10, max_per_customer: 1, min_order_value: 20 },
      }),
    );
    await convert({ order_id: 'promo-1', promo_code: 'SPRING26', value: 30 });

    const browser = await admin();
    const batches = await page(browser, `/campaigns/${campaign.id}?section=codes`);
    const row = rowOf(batches, `data-batch="${batch.id}"`);
    expect(row).toContain('<th scope="row" class="key">Codes PK…<div class="muted">Coffee · ');
    expect(row).not.toContain(batch.id.slice(0, 12) + '</');
    expect(['minted', 'entered', 'accepted', 'redeemed', 'conversions', 'revenue'].map((name) => cell(row, name))).toEqual(['3', '2', '1', '1', '1', '€12.50']);
    expect(row).toContain('<td data-label="Valid">always</td>');
    expect(batches).toContain('credited to its code entries or redemptions under Last touch.');

    const promos = await page(browser, `/campaigns/${campaign.id}?section=promos`);
    const promoRow = rowOf(promos, `data-promo="${promo.id}"`);
    expect(promoRow).toContain('<code>SPRING26</code>');
    expect(promoRow).toContain('<td data-label="Limits">at most 10 in total · 1 per customer · order ≥ 20</td>');
    expect(['redemptions', 'conversions', 'revenue'].map((name) => cell(promoRow, name))).toEqual(['1 / 10', '1', '€30.00']);
  });

  it('mints and creates with picked dates and times, read as UTC, and shows stored times in the pickers', async () => {
    const browser = await admin();
    const campaign = await makeCampaign({ name: 'Pickers' });
    const form = await page(browser, `/campaigns/${campaign.id}?section=codes`);
    expect(form).toContain(
      '<label for="b-starts_at">Valid from (UTC, optional)</label><input id="b-starts_at" name="starts_at" type="datetime-local" value=""/>',
    );
    const csrf = csrfOf(form);
    const post = (path: string, body: Record<string, string>) => visit(browser, 'POST', path, { _csrf: csrf, ...body }, { now: NOW });
    const minted = await post(`/campaigns/${campaign.id}/code-batches`, { count: '2', starts_at: '2026-04-01T09:30', expires_at: '2026-12-31T23:59' });
    expect(minted.status).toBe(303);
    expect(minted.headers.get('Location')).toBe(`/campaigns/${campaign.id}?section=codes`);
    const stored = (await json(await call('GET', `/api/v1/code-batches?campaign_id=${campaign.id}`))).data[0];
    expect([stored.starts_at, stored.expires_at]).toEqual(['2026-04-01T09:30:00.000Z', '2026-12-31T23:59:00.000Z']);
    expect(await page(browser, `/campaigns/${campaign.id}?section=codes`)).toContain('<td data-label="Valid">from 1 Apr 2026 · until 31 Dec 2026</td>');

    const promo = await post(`/campaigns/${campaign.id}/promo-codes`, { code: 'PICKED1', starts_at: '2026-05-01T00:00', ends_at: '2026-04-01T00:00' });
    expect(promo.status).toBe(400);
    const failed = await promo.text();
    // What was picked stays in the pickers, the error next to the field.
    expect(failed).toContain('<input id="p-ends_at" name="ends_at" type="datetime-local" value="2026-04-01T00:00" aria-invalid="true"');
    expect(failed).toContain('<span class="error" id="p-ends_at-error">must be after starts_at</span>');

    const saved = await post(`/campaigns/${campaign.id}/edit`, { name: 'Pickers', starts_at: '2026-09-01T08:00', ends_at: '' });
    expect(saved.headers.get('Location')).toBe(`/campaigns/${campaign.id}?section=settings&notice=saved`);
    expect((await json(await call('GET', `/api/v1/campaigns/${campaign.id}`))).starts_at).toBe('2026-09-01T08:00:00.000Z');
    const settings = await page(browser, `/campaigns/${campaign.id}?section=settings&notice=saved`);
    expect(settings).toContain('<p class="notice ok" role="status">Saved.</p>');
    expect(settings).toContain('<input id="c-starts_at" name="starts_at" type="datetime-local" value="2026-09-01T08:00"/>');
  });

  it('creates a referral link for a customer from the page: the same customer gets the same link', async () => {
    const browser = await admin();
    const campaign = await makeCampaign({ name: 'Friends', landing_url: 'https://shop.example/welcome' });
    const section = await page(browser, `/campaigns/${campaign.id}?section=referrals`);
    expect(section).toContain(`<form class="stack" method="post" action="/campaigns/${campaign.id}/referrals">`);
    const csrf = csrfOf(section);
    const created = await visit(browser, 'POST', `/campaigns/${campaign.id}/referrals`, { _csrf: csrf, customer_ref: 'cust-7', destination: '' }, { now: NOW });
    expect(created.status).toBe(303);
    const code = /referral=([^#&]+)#new-referral$/.exec(created.headers.get('Location')!)![1];
    const shown = await page(browser, created.headers.get('Location')!.replace(/#.*/, ''));
    expect(shown).toContain(`<output class="preview" id="referral-url" data-referral="${code}">${BASE}/r/${code}</output>`);
    const again = await visit(browser, 'POST', `/campaigns/${campaign.id}/referrals`, { _csrf: csrf, customer_ref: 'cust-7' }, { now: NOW });
    expect(again.headers.get('Location')).toBe(created.headers.get('Location'));
    const api = await call('POST', '/api/v1/referrals', { body: { campaign_id: campaign.id, customer_ref: 'cust-7' } });
    expect([api.status, (await json(api)).code]).toEqual([200, code]);
    const redirect = await call('GET', `/r/${code}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI } });
    expect(redirect.headers.get('Location')).toMatch(/^https:\/\/shop\.example\/welcome\?/);

    const empty = await visit(browser, 'POST', `/campaigns/${campaign.id}/referrals`, { _csrf: csrf, customer_ref: '' }, { now: NOW });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/id="r-customer_ref"[^>]*aria-invalid="true"/);
    // Without a landing page or destination there is nowhere to send friends: said next to the form.
    const bare = await makeCampaign({ name: 'Bare' });
    const refused = await visit(browser, 'POST', `/campaigns/${bare.id}/referrals`, { _csrf: csrf, customer_ref: 'cust-8' }, { now: NOW });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<span class="error" id="r-destination-error">required, the campaign has no landing_url</span>');
    expect((await visit(browser, 'POST', `/campaigns/${campaign.id}/referrals`, { _csrf: 'forged', customer_ref: 'x' }, { now: NOW })).status).toBe(403);
  });

  it('shows a links:write key no figures and a reports:read key no forms', async () => {
    const campaign = await makeCampaign();
    const link = await makeLink({ campaign_id: campaign.id });
    const writer = newBrowser();
    await signIn(writer, await makeKey(['links:write']), { now: NOW });
    const links = await page(writer, `/campaigns/${campaign.id}`);
    expect(cell(rowOf(links, `data-link="${link.id}"`), 'clicks')).toBe('–');
    expect(links).toContain('Figures need the reports:read scope.');
    expect(await page(writer, `/campaigns/${campaign.id}/links/${link.id}`)).toContain('<p class="muted">Figures need the reports:read scope.</p>');
    const reader = newBrowser();
    await signIn(reader, await makeKey(['reports:read']), { now: NOW });
    for (const section of ['links', 'codes', 'promos', 'referrals', 'settings']) {
      expect(await page(reader, `/campaigns/${campaign.id}?section=${section}`)).not.toContain('method="post" action="/campaigns/');
    }
    expect((await visit(reader, 'GET', `/campaigns/${campaign.id}/archive`, undefined, { now: NOW })).status).toBe(403);
  });
});
