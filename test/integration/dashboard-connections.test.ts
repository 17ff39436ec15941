/** `/settings/connections`: admin sessions add a shop connection (its secret a password field, never shown back), see its webhook URL, rotate and delete it. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';
import { base64Signature, deliver } from '../support/shop-hooks';

const SECRET = 'wc-dashboard-secret-1234';
const NEXT_SECRET = 'wc-dashboard-secret-5678';

const ping = async (id: string, secret: string) => {
  const body = JSON.stringify({ id: 9, status: 'pending' });
  return deliver('woocommerce', id, body, { 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Signature': await base64Signature(secret, body) });
};

describe('dashboard connections', () => {
  it('shows the page and its navigation entry to admin sessions only', async () => {
    const admin = await signedIn();
    expect(await (await visit(admin, 'GET', '/')).text()).toContain('<a href="/settings/keys">Settings</a>');
    expect(await (await visit(admin, 'GET', '/settings/keys')).text()).toContain('<a href="/settings/connections">Connections</a>');
    const writer = await signedIn(await makeKey(['links:write', 'reports:read']));
    expect(await (await visit(writer, 'GET', '/')).text()).not.toContain('href="/settings/connections"');
    expect((await visit(writer, 'GET', '/settings/connections')).status).toBe(403);
    expect((await visit(newBrowser(), 'GET', '/settings/connections')).status).toBe(302);
  });

  it('adds a connection and shows its webhook URL; the secret is a password field and appears in no page', async () => {
    const browser = await signedIn();
    const page = await (await visit(browser, 'GET', '/settings/connections')).text();
    expect(page).toContain('No connections yet.');
    expect(page).toMatch(/<input id="f-secret" name="secret" type="password" value="" required=""/);
    const created = await visit(browser, 'POST', '/settings/connections', {
      _csrf: csrfOf(page),
      platform: 'woocommerce',
      name: 'Kaffee-Shop',
      secret: SECRET,
    });
    expect(created.status).toBe(303);
    const location = created.headers.get('Location')!;
    expect(location).toMatch(/^\/settings\/connections\?created=int_[0-9A-Z]{26}$/);
    const id = location.split('=')[1];

    const html = await (await visit(browser, 'GET', location)).text();
    expect(html).toContain(`<output class="preview" id="new-webhook-url">https://tp.test/hooks/woocommerce/${id}</output>`);
    expect(html).toContain(`<tr data-connection="${id}"><th scope="row" class="key">Kaffee-Shop</th><td data-label="Platform">WooCommerce</td>`);
    expect(html).toContain(`<td class="wrap" data-label="Webhook URL" data-col="webhook_url"><code>https://tp.test/hooks/woocommerce/${id}</code></td>`);
    expect(html).toContain('<td data-label="Last delivery" data-col="last_received">never</td>');
    expect(html).not.toContain(SECRET);
    expect((await json(await call('GET', `/api/v1/integrations/${id}`))).name).toBe('Kaffee-Shop');
    expect((await ping(id, SECRET)).status).toBe(200);
  });

  it('refuses a bad form without sending the secret back', async () => {
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/settings/connections')).text());
    const refused = await visit(browser, 'POST', '/settings/connections', {
      _csrf: csrf,
      platform: 'stripe',
      name: 'Stripe',
      secret: 'sk_live_do_not_echo_me',
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('must be the endpoint’s signing secret (whsec_…), not an API key');
    expect(html).not.toContain('sk_live_do_not_echo_me');
    expect(html).toContain('<option value="stripe" selected="">Stripe</option>');
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM integrations WHERE name = ?').bind('Stripe').first();
    expect(stored).toEqual({ n: 0 });
  });

  it('rotates the secret and deletes the connection after a confirm step', async () => {
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/settings/connections')).text());
    const id = (await visit(browser, 'POST', '/settings/connections', { _csrf: csrf, platform: 'woocommerce', name: 'Rotating', secret: SECRET })).headers
      .get('Location')!
      .split('=')[1];

    const rotatePage = await (await visit(browser, 'GET', `/settings/connections/${id}/rotate`)).text();
    expect(rotatePage).toContain('New signing secret for “Rotating”');
    const rotated = await visit(browser, 'POST', `/settings/connections/${id}/rotate`, { _csrf: csrfOf(rotatePage), secret: NEXT_SECRET });
    expect(rotated.status).toBe(303);
    expect(rotated.headers.get('Location')).toBe('/settings/connections?done=rotated');
    expect(await (await visit(browser, 'GET', '/settings/connections?done=rotated')).text()).toContain('Signing secret replaced.');
    expect((await ping(id, SECRET)).status).toBe(401);
    expect((await ping(id, NEXT_SECRET)).status).toBe(200);
    expect((await visit(browser, 'POST', `/settings/connections/${id}/rotate`, { _csrf: csrf, secret: 'short' })).status).toBe(400);

    const confirm = await (await visit(browser, 'GET', `/settings/connections/${id}/delete`)).text();
    expect(confirm).toContain('Delete the connection “Rotating”?');
    expect(confirm).toContain(`https://tp.test/hooks/woocommerce/${id} answers 404 from then on`);
    const deleted = await visit(browser, 'POST', `/settings/connections/${id}/delete`, { _csrf: csrf });
    expect(deleted.headers.get('Location')).toBe('/settings/connections?done=deleted');
    expect((await ping(id, NEXT_SECRET)).status).toBe(404);
    expect((await visit(browser, 'POST', `/settings/connections/${id}/delete`, { _csrf: csrf })).status).toBe(404);
  });
});
