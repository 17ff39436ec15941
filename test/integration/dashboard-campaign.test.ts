import { describe, expect, it } from 'vitest';
import { call, makeCampaign, makeKey, makeLink, BASE } from '../helpers';
import { countingDb } from '../support/counting-db';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';

describe('dashboard campaign pages', () => {
  it('reads as many statements for a campaign of 30 links as for one of 1', async () => {
    const browser = await signedIn();
    const statementsFor = async (links: number) => {
      const campaign = await makeCampaign({ name: `Links ${links}` });
      for (let i = 0; i < links; i++) await makeLink({ campaign_id: campaign.id, destination: `https://shop.example/${i}` });
      const counting = countingDb();
      const page = await visit(browser, 'GET', `/campaigns/${campaign.id}`, undefined, { env: { DB: counting.DB, PUBLIC_ORIGIN: BASE } });
      expect(page.status).toBe(200);
      return counting.statements();
    };
    const one = await statementsFor(1);
    expect(await statementsFor(30)).toBe(one);
  });

  it('creates a campaign and a link through the forms (POST-redirect-GET)', async () => {
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/')).text());
    const created = await visit(browser, 'POST', '/campaigns', { _csrf: csrf, name: 'Flyer Köln', utm_campaign: '', landing_url: 'https://shop.example/' });
    const path = created.headers.get('Location')!;
    const campaignId = path.split('/')[2];
    const page = await (await visit(browser, 'GET', path)).text();
    expect(page).toContain('<h1>Flyer Köln</h1>');
    expect(page).toContain('data-campaign-utm="flyer-koln"');
    const link = await visit(browser, 'POST', `${path}/links`, {
      _csrf: csrf,
      destination: 'https://shop.example/a?x=1',
      utm_source: 'flyer',
      utm_medium: 'print',
      kind: 'qr',
      channel: '',
    });
    expect(link.status).toBe(303);
    const linkId = /link=([^#]+)/.exec(link.headers.get('Location')!)![1];
    const api = await (await call('GET', `/api/v1/links/${linkId}`)).json<any>();
    expect(api).toMatchObject({ campaign_id: campaignId, kind: 'qr', channel: 'offline', utm_source: 'flyer', utm_medium: 'print' });
    expect(link.headers.get('Location')).toBe(`${path}?section=qr&link=${linkId}#qr`);
    const withLink = await (await visit(browser, 'GET', `${path}?section=qr&link=${linkId}`)).text();
    expect(withLink).toContain(`src="/links/${linkId}/qr?format=png&amp;size=256&amp;ecc=M&amp;fg=%23000000&amp;bg=%23ffffff"`);
  });

  it('shows API validation errors next to the field', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const csrf = csrfOf(await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text());
    const response = await visit(browser, 'POST', `/campaigns/${campaign.id}/links`, { _csrf: csrf, destination: 'ftp://nope', kind: 'link' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="f-destination"[^>]*aria-invalid="true"/);
    expect(html).toContain('<span class="error" id="f-destination-error">');
    const empty = await visit(browser, 'POST', '/campaigns', { _csrf: csrf, name: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="f-name-error"');
  });

  it('serves the QR image, print sheet and batch CSV to the session, not without it', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const csrf = csrfOf(await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text());
    const link = await visit(browser, 'POST', `/campaigns/${campaign.id}/links`, { _csrf: csrf, destination: 'https://shop.example/', kind: 'link' });
    const linkId = /link=([^#]+)/.exec(link.headers.get('Location')!)![1];
    const png = await visit(browser, 'GET', `/links/${linkId}/qr?format=png&size=128`);
    expect(png.status).toBe(200);
    expect(png.headers.get('Content-Type')).toBe('image/png');
    const svg = await visit(browser, 'GET', `/links/${linkId}/qr?format=svg&download=1`);
    expect(svg.headers.get('Content-Disposition')).toMatch(/attachment; filename=".+-qr.svg"/);
    expect((await visit(newBrowser(), 'GET', `/links/${linkId}/qr`)).status).toBe(302);
    const sheet = await visit(browser, 'GET', `/campaigns/${campaign.id}/qr-sheet`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const batch = await visit(browser, 'POST', `/campaigns/${campaign.id}/code-batches`, { _csrf: csrf, count: '3', prefix: 'FX', reward: '' });
    expect(batch.status).toBe(303);
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=codes`)).text();
    const csvPath = /href="(\/codes\/batches\/[^"]+\/codes\.csv)"/.exec(page)![1];
    const csv = await (await visit(browser, 'GET', csvPath)).text();
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
    const promo = await visit(browser, 'POST', `/campaigns/${campaign.id}/promo-codes`, { _csrf: csrf, code: 'SUMMER26', discount: '10 %' });
    expect(promo.status).toBe(303);
    expect(await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=promos`)).text()).toContain('<code>SUMMER26</code>');
  });

  it('shows a reports:read key the campaign without any form', async () => {
    const campaign = await makeCampaign();
    const browser = await signedIn(await makeKey(['reports:read']));
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text();
    expect(page).not.toContain('method="post" action="/campaigns/');
    expect((await visit(browser, 'GET', `/codes/batches/x/codes.csv`)).status).toBe(403);
  });

  it('edits a campaign: changed fields saved, emptied optional ones cleared, errors next to the field', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign({ name: 'Herbst', landing_url: 'https://shop.example/old', description: 'alt' });
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=settings`)).text();
    const csrf = csrfOf(page);
    expect(page).toContain(`action="/campaigns/${campaign.id}/edit"`);
    expect(page).toContain('id="c-landing_url" name="landing_url" type="url" value="https://shop.example/old"');
    const saved = await visit(browser, 'POST', `/campaigns/${campaign.id}/edit`, {
      _csrf: csrf,
      name: 'Herbst 2026',
      landing_url: 'https://shop.example/new',
      description: '',
      starts_at: '2026-09-01T00:00:00Z',
      ends_at: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/campaigns/${campaign.id}?section=settings&notice=saved`);
    const api = await (await call('GET', `/api/v1/campaigns/${campaign.id}`)).json<any>();
    expect(api).toMatchObject({
      name: 'Herbst 2026',
      landing_url: 'https://shop.example/new',
      description: null,
      starts_at: '2026-09-01T00:00:00.000Z',
      ends_at: null,
    });

    const bad = await visit(browser, 'POST', `/campaigns/${campaign.id}/edit`, {
      _csrf: csrf,
      name: '',
      landing_url: 'ftp://x',
      starts_at: '2026-09-01T00:00:00Z',
      ends_at: '2026-08-01T00:00:00Z',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="c-name"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/id="c-landing_url"[^>]*value="ftp:\/\/x"[^>]*aria-invalid="true"/);
    expect((await (await call('GET', `/api/v1/campaigns/${campaign.id}`)).json<any>()).name).toBe('Herbst 2026');
    const window = await visit(browser, 'POST', `/campaigns/${campaign.id}/edit`, {
      _csrf: csrf,
      name: 'Herbst 2026',
      starts_at: '2026-09-01T00:00:00Z',
      ends_at: '2026-08-01T00:00:00Z',
    });
    expect(window.status).toBe(400);
    expect(await window.text()).toContain('<span class="error" id="c-ends_at-error">must not be before starts_at</span>');
    expect((await visit(browser, 'POST', `/campaigns/${campaign.id}/edit`, { _csrf: 'forged', name: 'X' })).status).toBe(403);
  });

  it('edits and archives a link from its row: the redirect follows at once', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const csrf = csrfOf(await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text());
    const created = await visit(browser, 'POST', `/campaigns/${campaign.id}/links`, {
      _csrf: csrf,
      destination: 'https://shop.example/a',
      kind: 'link',
      label: 'Poster',
    });
    const linkId = /link=([^#]+)/.exec(created.headers.get('Location')!)![1];
    const { slug } = await (await call('GET', `/api/v1/links/${linkId}`)).json<any>();
    expect((await call('GET', `/${slug}`, { key: null })).headers.get('Location')).toMatch(/^https:\/\/shop\.example\/a\?/);

    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text();
    expect(page).toContain(`href="/campaigns/${campaign.id}?section=links&amp;edit=${linkId}#edit-link"`);
    expect(page).not.toContain('id="edit-link"');
    const form = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=links&edit=${linkId}`)).text();
    expect(form).toContain('id="l-destination" name="destination" type="url" value="https://shop.example/a"');
    const saved = await visit(browser, 'POST', `/campaigns/${campaign.id}/links/${linkId}/edit`, {
      _csrf: csrf,
      destination: 'https://shop.example/b',
      label: '',
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/campaigns/${campaign.id}?section=links&edit=${linkId}#edit-link`);
    expect(await (await call('GET', `/api/v1/links/${linkId}`)).json<any>()).toMatchObject({
      destination: 'https://shop.example/b',
      label: null,
      expires_at: '2099-01-01T00:00:00.000Z',
    });
    expect((await call('GET', `/${slug}`, { key: null })).headers.get('Location')).toMatch(/^https:\/\/shop\.example\/b\?/);

    const bad = await visit(browser, 'POST', `/campaigns/${campaign.id}/links/${linkId}/edit`, { _csrf: csrf, destination: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="l-destination"[^>]*aria-invalid="true"/);
    const other = await makeCampaign();
    expect((await visit(browser, 'POST', `/campaigns/${other.id}/links/${linkId}/edit`, { _csrf: csrf, destination: 'https://x.example/' })).status).toBe(404);

    const archived = await visit(browser, 'POST', `/campaigns/${campaign.id}/links/${linkId}/archive`, { _csrf: csrf });
    expect(archived.status).toBe(303);
    expect((await call('GET', `/${slug}`, { key: null })).status).toBe(410);
    // The archived link's form offers its restore, which brings the short URL back.
    const archivedForm = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=links&edit=${linkId}`)).text();
    expect(archivedForm).toContain(`action="/campaigns/${campaign.id}/links/${linkId}/restore"`);
    expect(archivedForm).toContain('Restore this link (its short URL redirects again)');
    const restored = await visit(browser, 'POST', `/campaigns/${campaign.id}/links/${linkId}/restore`, { _csrf: csrf });
    expect(restored.status).toBe(303);
    expect((await call('GET', `/${slug}`, { key: null })).status).toBe(302);
  });

  it('archives a campaign from the list and restores it from there: its links redirect again', async () => {
    const browser = await signedIn();
    const link = await makeLink();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/')).text());
    expect((await visit(browser, 'POST', `/campaigns/${link.campaign_id}/archive`, { _csrf: csrf })).status).toBe(303);
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(410);
    const list = await (await visit(browser, 'GET', '/campaigns?limit=200')).text();
    expect(list).toContain(`action="/campaigns/${link.campaign_id}/restore"`);
    expect((await visit(browser, 'POST', `/campaigns/${link.campaign_id}/restore`, { _csrf: csrf })).status).toBe(303);
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(302);
    expect((await visit(browser, 'POST', `/campaigns/${link.campaign_id}/restore`, {})).status).toBe(403);
  });

  it('mints batches and promotions with every option, and serves generated promo codes as CSV', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const csrf = csrfOf(await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text());
    const batch = await visit(browser, 'POST', `/campaigns/${campaign.id}/code-batches`, {
      _csrf: csrf,
      count: '5',
      prefix: 'PK',
      reward: 'Coffee',
      max_redemptions_per_code: '3',
      starts_at: '2026-01-01T00:00:00Z',
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(batch.status).toBe(303);
    const batches = await (await call('GET', `/api/v1/code-batches?campaign_id=${campaign.id}`)).json<any>();
    expect(batches.data).toHaveLength(1);
    expect(batches.data[0]).toMatchObject({
      count: 5,
      prefix: 'PK',
      reward: 'Coffee',
      max_redemptions_per_code: 3,
      starts_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2099-01-01T00:00:00.000Z',
    });

    const promo = await visit(browser, 'POST', `/campaigns/${campaign.id}/promo-codes`, {
      _csrf: csrf,
      code: '',
      count: '4',
      prefix: 'FR',
      discount: '5 EUR',
      max_redemptions: '',
      max_per_customer: '1',
      min_order_value: '19.90',
      starts_at: '2026-01-01T00:00:00Z',
      ends_at: '2099-01-01T00:00:00Z',
    });
    expect(promo.status).toBe(303);
    const promos = await (await call('GET', `/api/v1/promo-codes?campaign_id=${campaign.id}`)).json<any>();
    expect(promos.data).toHaveLength(1);
    expect(promos.data[0]).toMatchObject({
      kind: 'unique',
      count: 4,
      prefix: 'FR',
      discount: '5 EUR',
      max_redemptions: null,
      max_per_customer: 1,
      min_order_value: 19.9,
      starts_at: '2026-01-01T00:00:00.000Z',
      ends_at: '2099-01-01T00:00:00.000Z',
    });
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=promos`)).text();
    const csvPath = `/codes/promos/${promos.data[0].id}/codes.csv`;
    expect(page).toContain(`href="${csvPath}"`);
    const csv = await (await visit(browser, 'GET', csvPath)).text();
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('code,promo_code_id,campaign_id,redemptions');
    expect(lines.slice(1).map((line) => line.split(',').slice(1).join(','))).toEqual(Array(4).fill(`${promos.data[0].id},${campaign.id},0`));
    expect(lines.slice(1).every((line) => line.startsWith('FR'))).toBe(true);
    expect(csv).toBe(await (await call('GET', `/api/v1/promo-codes/${promos.data[0].id}/codes.csv`)).text());
    expect((await visit(newBrowser(), 'GET', csvPath)).status).toBe(302);

    const neither = await visit(browser, 'POST', `/campaigns/${campaign.id}/promo-codes`, { _csrf: csrf, code: '', count: '' });
    expect(neither.status).toBe(400);
    expect(await neither.text()).toContain('give either code (a vanity code) or count (generated unique codes)');
    const window = await visit(browser, 'POST', `/campaigns/${campaign.id}/promo-codes`, {
      _csrf: csrf,
      code: 'WINDOW1',
      starts_at: '2026-02-01T00:00:00Z',
      ends_at: '2026-01-01T00:00:00Z',
    });
    expect(window.status).toBe(400);
    expect(await window.text()).toContain('<span class="error" id="p-ends_at-error">must be after starts_at</span>');
    expect((await call('GET', `/api/v1/promo-codes?campaign_id=${campaign.id}`)).status).toBe(200);
    expect((await (await call('GET', `/api/v1/promo-codes?campaign_id=${campaign.id}`)).json<any>()).data).toHaveLength(1);
  });

  it('answers 404 as a page for an unknown campaign', async () => {
    const browser = await signedIn();
    const response = await visit(browser, 'GET', '/campaigns/cmp_nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/text\/html/);
  });
});
