import { describe, expect, it } from 'vitest';
import { call, makeKey } from '../helpers';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';

describe('dashboard API keys', () => {
  it('shows the key page to admin sessions only', async () => {
    const admin = await signedIn();
    expect(await (await visit(admin, 'GET', '/')).text()).toContain('<a href="/settings/keys">Settings</a>');
    expect(await (await visit(admin, 'GET', '/settings/webhooks')).text()).toContain('<a href="/settings/keys" aria-current="page">');
    const writer = await signedIn(await makeKey(['links:write', 'reports:read']));
    expect(await (await visit(writer, 'GET', '/')).text()).not.toContain('href="/settings/keys"');
    expect((await visit(writer, 'GET', '/settings/keys')).status).toBe(403);
    expect((await visit(newBrowser(), 'GET', '/settings/keys')).status).toBe(302);
  });

  it('mints a key whose secret is shown once and works with exactly its scopes, then revokes it', async () => {
    const browser = await signedIn();
    const page = await (await visit(browser, 'GET', '/settings/keys')).text();
    const csrf = csrfOf(page);
    expect(page).toContain('<input type="checkbox" name="scope-reports:read" value="on"/>');
    const created = await visit(browser, 'POST', '/settings/keys', { _csrf: csrf, name: 'Analyst Anna', 'scope-reports:read': 'on' });
    expect(created.status).toBe(201);
    const html = await created.text();
    const secret = /<output class="preview" id="new-key">(tp_[0-9A-Z]{26}_[0-9A-Za-z]{32})<\/output>/.exec(html)![1];
    const keyId = `key_${secret.split('_')[1]}`;
    expect(html).toContain(`<tr data-key="${keyId}"><td>Analyst Anna</td><td>reports:read</td><td><code>${secret.slice(0, 10)}…</code></td>`);

    expect((await call('GET', '/api/v1/reports/channels', { key: secret })).status).toBe(200);
    expect((await call('POST', '/api/v1/campaigns', { key: secret, body: { name: 'Nope' } })).status).toBe(403);
    const listed = await (await call('GET', '/api/v1/keys')).json<any>();
    expect(listed.data.find((key: any) => key.id === keyId)).toMatchObject({ name: 'Analyst Anna', scopes: ['reports:read'], key_prefix: secret.slice(0, 10) });
    // Shown once: the list page never carries the secret again.
    expect(await (await visit(browser, 'GET', '/settings/keys')).text()).not.toContain(secret);

    const revoked = await visit(browser, 'POST', `/settings/keys/${keyId}/revoke`, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('Location')).toBe('/settings/keys?notice=revoked');
    expect(await (await visit(browser, 'GET', '/settings/keys')).text()).not.toContain(`data-key="${keyId}"`);
    expect((await visit(browser, 'POST', `/settings/keys/${keyId}/revoke`, { _csrf: csrf })).status).toBe(404);
  });

  it('refuses a key without a name or scopes, and a post without its CSRF token', async () => {
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/settings/keys')).text());
    const before = (await (await call('GET', '/api/v1/keys')).json<any>()).data.length;
    const bad = await visit(browser, 'POST', '/settings/keys', { _csrf: csrf, name: '' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-name"[^>]*aria-invalid="true"/);
    expect(html).toContain('<span class="error" id="f-scopes-error">');
    expect((await visit(browser, 'POST', '/settings/keys', { name: 'No token', 'scope-admin': 'on' })).status).toBe(403);
    expect((await (await call('GET', '/api/v1/keys')).json<any>()).data.length).toBe(before);
  });
});
