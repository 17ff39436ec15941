import { describe, expect, it } from 'vitest';
import { BASE, call, json, makeCampaign, makeKey, makeLink, MOBILE_SAFARI } from '../helpers';
import { mintCodes } from '../support/codes';
import { csrfOf, signedIn, visit } from '../support/dashboard';

let ip = 0;
const scan = (slug: string) => call('GET', `/${slug}?qr=1`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI, 'CF-Connecting-IP': `192.0.2.${++ip}` } });
const redeem = (code: string) =>
  call('POST', '/api/v1/codes/redeem', { key: null, body: { code }, headers: { 'User-Agent': MOBILE_SAFARI, 'CF-Connecting-IP': `192.0.2.${++ip}` } });
const validate = (code: string) => call('POST', '/api/v1/promo-codes/validate', { body: { code } });

/** The list items of a confirm page. */
const consequences = (html: string) => [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1].replace(/&#39;/g, "'"));

describe('confirm steps: archive a campaign or a link, revoke a key', () => {
  it('says what archiving a campaign stops, archives it on confirmation, and restores it', async () => {
    const campaign = await makeCampaign({ name: 'Sommer', landing_url: 'https://shop.example/' });
    const printed = await makeLink({ campaign_id: campaign.id, kind: 'qr' });
    await makeLink({ campaign_id: campaign.id });
    await scan(printed.slug);
    const { codes } = await mintCodes({ campaign_id: campaign.id, count: 3 });
    await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: 'SOMMER26' } });
    const referral = await json(await call('POST', '/api/v1/referrals', { body: { campaign_id: campaign.id, customer_ref: 'c-1' } }));

    const browser = await signedIn();
    const list = await (await visit(browser, 'GET', '/campaigns')).text();
    expect(list).toContain(`<a class="button secondary" href="/campaigns/${campaign.id}/archive?back=list" aria-label="Archive: Sommer">Archive…</a>`);
    const confirm = await visit(browser, 'GET', `/campaigns/${campaign.id}/archive?back=list`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('<h1 id="confirm-title">Archive the campaign “Sommer”?</h1>');
    expect(consequences(html)).toEqual([
      "Links answering 410 'expired' instead of redirecting: 2. Of these, scanned from a printed QR code so far: 1 — printed QR codes answer 'expired' too.",
      "Action codes answering 'expired' when a customer enters them: 3 (batches: 1).",
      'Promo codes refused at checkout as expired: 1.',
      "Referral links answering 410 'expired': 1.",
      'Its visits, conversions and reports are kept.',
    ]);
    expect(html).toContain('You can restore it at any time: everything works again at once (links archived one by one stay archived).');
    expect(html).toContain(`<form class="actions" method="post" action="/campaigns/${campaign.id}/archive?back=list">`);
    expect(html).toContain('<a href="/campaigns">Cancel</a>');
    // Looking is harmless: nothing is archived until the form is posted with its token.
    expect((await call('GET', `/${printed.slug}`, { key: null })).status).toBe(302);
    expect((await visit(browser, 'POST', `/campaigns/${campaign.id}/archive?back=list`, { _csrf: 'forged' })).status).toBe(403);
    expect((await call('GET', `/${printed.slug}`, { key: null })).status).toBe(302);

    const archived = await visit(browser, 'POST', `/campaigns/${campaign.id}/archive?back=list`, { _csrf: csrfOf(html) });
    expect([archived.status, archived.headers.get('Location')]).toEqual([303, '/campaigns?notice=archived']);
    expect((await call('GET', `/${printed.slug}`, { key: null })).status).toBe(410);
    expect((await call('GET', `/${printed.slug}?qr=1`, { key: null })).status).toBe(410);
    expect((await call('GET', `/r/${referral.code}`, { key: null })).status).toBe(410);
    const refused = await redeem(codes[0]);
    expect([refused.status, (await json(refused)).error.code]).toEqual([410, 'code_expired']);
    const promo = await validate('SOMMER26');
    expect([promo.status, (await json(promo)).error]).toEqual([410, { code: 'code_expired', message: 'This code has been withdrawn' }]);
    const notice = await (await visit(browser, 'GET', '/campaigns?notice=archived')).text();
    expect(notice).toContain(
      '<p class="notice ok" role="status">The campaign is archived. Its links, QR codes and codes answer &#39;expired&#39; until you restore it.</p>',
    );
    // The archived campaign's own page says so and offers the restore.
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text();
    expect(page).toContain('<div class="notice archived" role="status"><p>This campaign is archived:');
    expect(page).toContain(`<form class="inline" method="post" action="/campaigns/${campaign.id}/restore">`);
    expect((await visit(browser, 'GET', `/campaigns/${campaign.id}/archive`)).headers.get('Location')).toBe('/campaigns');

    const restored = await visit(browser, 'POST', `/campaigns/${campaign.id}/restore`, { _csrf: csrfOf(html), back: 'campaign' });
    expect([restored.status, restored.headers.get('Location')]).toEqual([303, `/campaigns/${campaign.id}?section=settings&notice=restored`]);
    expect((await call('GET', `/${printed.slug}`, { key: null })).status).toBe(302);
    expect((await redeem(codes[0])).status).toBe(200);
    expect((await validate('SOMMER26')).status).toBe(200);
  });

  it('asks in German, and archives from the settings section back to it', async () => {
    const campaign = await makeCampaign({ name: 'Leer' });
    const browser = await signedIn();
    const settings = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=settings`)).text();
    expect(settings).toContain(`<a class="button secondary" href="/campaigns/${campaign.id}/archive?back=campaign">Archive campaign…</a>`);
    const german = await (
      await visit(browser, 'GET', `/campaigns/${campaign.id}/archive?back=campaign`, undefined, { headers: { 'Accept-Language': 'de-DE' } })
    ).text();
    expect(german).toContain('<h1 id="confirm-title">Kampagne „Leer“ archivieren?</h1>');
    expect(consequences(german)).toEqual(['Die Kampagne hat keine aktiven Links.', 'Besuche, Conversions und Berichte bleiben erhalten.']);
    expect(german).toContain('<button type="submit" class="danger">Archivieren</button>');
    const archived = await visit(browser, 'POST', `/campaigns/${campaign.id}/archive?back=campaign`, { _csrf: csrfOf(german) });
    expect(archived.headers.get('Location')).toBe(`/campaigns/${campaign.id}?section=settings&notice=archived`);
    expect((await (await call('GET', `/api/v1/campaigns/${campaign.id}`)).json<any>()).status).toBe('archived');
  });

  it('says what archiving a link stops, archives it on confirmation, and restores it from its page', async () => {
    const link = await makeLink({ destination: 'https://shop.example/poster' });
    await scan(link.slug);
    const browser = await signedIn();
    const base = `/campaigns/${link.campaign_id}/links/${link.id}`;
    const edit = await (await visit(browser, 'GET', `/campaigns/${link.campaign_id}?section=links&edit=${link.id}`)).text();
    expect(edit).toContain(`<a class="button secondary" href="${base}/archive">Archive link…</a>`);
    const html = await (await visit(browser, 'GET', `${base}/archive`)).text();
    expect(html).toContain(`<h1 id="confirm-title">Archive the link ${BASE}/${link.slug}?</h1>`);
    expect(consequences(html)).toEqual([
      `Its short URL ${BASE}/${link.slug} answers 410 'expired' instead of redirecting to https://shop.example/poster.`,
      "Clicks so far: 0; scans so far: 1. A printed QR code of it answers 'expired' too.",
      'Its visits, conversions and reports are kept.',
    ]);
    expect(html).toContain(`<a href="${base}">Cancel</a>`);
    const archived = await visit(browser, 'POST', `${base}/archive`, { _csrf: csrfOf(html) });
    expect([archived.status, archived.headers.get('Location')]).toEqual([303, `${base}?notice=link-archived`]);
    expect((await call('GET', `/${link.slug}?qr=1`, { key: null })).status).toBe(410);
    const page = await (await visit(browser, 'GET', `${base}?notice=link-archived`)).text();
    expect(page).toContain('<p class="notice ok" role="status">The link is archived: its short URL answers &#39;expired&#39;.</p>');
    expect(page).toContain(`<form class="inline" method="post" action="${base}/restore">`);
    expect((await visit(browser, 'GET', `${base}/archive`)).headers.get('Location')).toBe(base);
    const restored = await visit(browser, 'POST', `${base}/restore`, { _csrf: csrfOf(html), back: 'link' });
    expect(restored.headers.get('Location')).toBe(`${base}?notice=link-restored`);
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(302);
  });

  it('says what revoking a key does, revokes it on confirmation, and not for a key without admin', async () => {
    const key = await json(await call('POST', '/api/v1/keys', { body: { name: 'Shop analyst', scopes: ['reports:read'] } }));
    const secret: string = key.key;
    const browser = await signedIn();
    const list = await (await visit(browser, 'GET', '/settings/keys')).text();
    expect(list).toContain(`<a class="button secondary" href="/settings/keys/${key.id}/revoke" aria-label="Revoke: ${key.name}">Revoke…</a>`);
    const html = await (await visit(browser, 'GET', `/settings/keys/${key.id}/revoke`)).text();
    expect(html).toContain(`<h1 id="confirm-title">Revoke the API key “${key.name}”?</h1>`);
    expect(consequences(html)).toEqual([
      `Every program or person using this key (starts with ${key.key_prefix}…, scopes reports:read) gets 401 from now on; other servers may accept it for up to 30 seconds more.`,
      'Last used: never.',
    ]);
    expect(html).toContain('This cannot be undone: create a new key if it is needed again.');
    expect((await call('GET', '/api/v1/reports/channels', { key: secret })).status).toBe(200);
    const revoked = await visit(browser, 'POST', `/settings/keys/${key.id}/revoke`, { _csrf: csrfOf(html) });
    expect([revoked.status, revoked.headers.get('Location')]).toEqual([303, '/settings/keys?notice=revoked']);
    expect((await call('GET', '/api/v1/reports/channels', { key: secret })).status).toBe(401);
    expect(await (await visit(browser, 'GET', '/settings/keys?notice=revoked')).text()).toContain('<p class="notice ok" role="status">The key is revoked.</p>');
    expect((await visit(browser, 'GET', `/settings/keys/${key.id}/revoke`)).status).toBe(404);
    const writer = await signedIn(await makeKey(['links:write']));
    expect((await visit(writer, 'GET', `/settings/keys/${key.id}/revoke`)).status).toBe(403);
  });
});
