/** Branded domains in the dashboard: the settings page, and the link forms' domain select and preview fields. */
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey, makeLink } from '../helpers';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';

describe('dashboard domains', () => {
  it('lets links:write sessions add, list and remove domains; a reports:read session gets 403', async () => {
    const writer = await signedIn(await makeKey(['links:write']));
    const page = await (await visit(writer, 'GET', '/settings/domains')).text();
    expect(page).toContain('<p class="empty">No branded domains yet: links use this installation’s own address.</p>');
    const csrf = csrfOf(page);
    const added = await visit(writer, 'POST', '/settings/domains', { _csrf: csrf, hostname: 'Go.Dash.test' });
    expect(added.status).toBe(303);
    expect(added.headers.get('Location')).toBe('/settings/domains?notice=domain-added');
    const listed = await (await visit(writer, 'GET', '/settings/domains?notice=domain-added')).text();
    expect(listed).toContain('<p class="notice ok" role="status">Domain added.</p>');
    expect(listed).toMatch(/<tr data-domain="go\.dash\.test"><td><code>go\.dash\.test<\/code><\/td><td class="num">0<\/td><td>none<\/td>/);

    const twice = await visit(writer, 'POST', '/settings/domains', { _csrf: csrf, hostname: 'go.dash.test' });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('<span class="error" id="f-hostname-error">go.dash.test is already attached</span>');

    const reader = await signedIn(await makeKey(['reports:read']));
    expect((await visit(reader, 'GET', '/settings/domains')).status).toBe(403);
    expect((await visit(newBrowser(), 'GET', '/settings/domains')).status).toBe(302);

    const domain = (await json(await call('GET', '/api/v1/domains'))).data.find((d: any) => d.hostname === 'go.dash.test');
    const link = await makeLink({ domain: 'go.dash.test' });
    const refused = await visit(writer, 'POST', `/settings/domains/${domain.id}/remove`, { _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('go.dash.test still has 1 link: move them to another domain (PATCH the link&#39;s domain) first');
    await call('PATCH', `/api/v1/links/${link.id}`, { body: { domain: null } });
    const removed = await visit(writer, 'POST', `/settings/domains/${domain.id}/remove`, { _csrf: csrf });
    expect(removed.headers.get('Location')).toBe('/settings/domains?notice=domain-removed');
    expect((await call('GET', `/api/v1/domains/${domain.id}`)).status).toBe(404);
  });

  it('creates a link on a domain with a preview from the campaign page, and edits both', async () => {
    await call('POST', '/api/v1/domains', { body: { hostname: 'form.dash.test' } });
    const campaign = await makeCampaign({ name: 'Form Campaign' });
    const browser = await signedIn();
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}?section=links`)).text();
    expect(page.slice(page.indexOf('<select id="f-domain"'), page.indexOf('</select>', page.indexOf('<select id="f-domain"')) + 9)).toBe(
      '<select id="f-domain" name="domain"><option value="">own address</option><option value="form.dash.test">form.dash.test</option></select>',
    );
    const csrf = csrfOf(page);
    const created = await visit(browser, 'POST', `/campaigns/${campaign.id}/links`, {
      _csrf: csrf,
      destination: 'https://shop.example/form',
      slug: 'form-link',
      kind: 'link',
      domain: 'form.dash.test',
      preview_title: 'Form card',
      preview_description: '',
      preview_image_url: 'https://cdn.example/c.png',
    });
    expect(created.status).toBe(303);
    const linkId = new URL(created.headers.get('Location')!, 'https://tp.test').searchParams.get('link')!;
    expect(await json(await call('GET', `/api/v1/links/${linkId}`))).toMatchObject({
      short_url: 'https://form.dash.test/form-link',
      domain: 'form.dash.test',
      preview: { title: 'Form card', description: null, image_url: 'https://cdn.example/c.png' },
    });
    const linkPage = await (await visit(browser, 'GET', `/campaigns/${campaign.id}/links/${linkId}`)).text();
    expect(linkPage).toContain('https://form.dash.test/form-link');

    const bad = await visit(browser, 'POST', `/campaigns/${campaign.id}/links`, {
      _csrf: csrf,
      destination: 'https://shop.example/form',
      kind: 'link',
      preview_title: 'x',
      preview_image_url: 'ftp://cdn.example/c.png',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<span class="error" id="f-preview-error">must be an http or https URL</span>');

    const edited = await visit(browser, 'POST', `/campaigns/${campaign.id}/links/${linkId}/edit`, {
      _csrf: csrf,
      destination: 'https://shop.example/form',
      label: '',
      expires_at: '',
      domain: '',
      preview_title: '',
      preview_description: '',
      preview_image_url: '',
    });
    expect(edited.status).toBe(303);
    expect(await json(await call('GET', `/api/v1/links/${linkId}`))).toMatchObject({ short_url: 'https://tp.test/form-link', domain: null, preview: null });
  });
});
