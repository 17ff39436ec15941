/** The dashboard's Webhooks page: endpoints, the secret shown once, a test ping, the delivery log with replay, enable/disable. */
import { afterEach, describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';
import { clearWebhooks, expectedSignature, LOOPBACK, receiver } from '../support/webhooks';

afterEach(clearWebhooks);

describe('dashboard webhooks', () => {
  it('shows the Webhooks page to admin sessions only', async () => {
    const admin = await signedIn();
    expect(await (await visit(admin, 'GET', '/')).text()).toContain('<a href="/settings/keys">Settings</a>');
    expect(await (await visit(admin, 'GET', '/settings/currency')).text()).toContain('<a href="/settings/webhooks">Webhooks</a>');
    const writer = await signedIn(await makeKey(['links:write', 'reports:read']));
    expect(await (await visit(writer, 'GET', '/')).text()).not.toContain('href="/settings/webhooks"');
    expect((await visit(writer, 'GET', '/settings/webhooks')).status).toBe(403);
    expect((await visit(newBrowser(), 'GET', '/settings/webhooks')).status).toBe(302);
  });

  it('adds an endpoint showing its secret once, sends a test, replays it with the same webhook-id, disables and enables it', async () => {
    const hook = await receiver([200]);
    const browser = await signedIn();
    const page = await (await visit(browser, 'GET', '/settings/webhooks')).text();
    const csrf = csrfOf(page);
    expect(page).toContain('<input type="checkbox" name="event-code.redeemed" value="on"/>');

    const refused = await visit(browser, 'POST', '/settings/webhooks', { _csrf: csrf, url: 'https://10.0.0.1/hook', 'event-code.redeemed': 'on' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('the webhook URL must not point at a private, internal or reserved host (10.0.0.1)');

    const created = await visit(
      browser,
      'POST',
      '/settings/webhooks',
      { _csrf: csrf, url: hook.url, description: 'CRM', 'event-code.redeemed': 'on' },
      { env: LOOPBACK },
    );
    expect(created.status).toBe(201);
    const html = await created.text();
    const secret = /<output class="preview" id="new-secret">(whsec_[A-Za-z0-9+/]{32})<\/output>/.exec(html)![1];
    const [endpoint] = (await json(await call('GET', '/api/v1/webhooks'))).data;
    expect(endpoint).toMatchObject({ url: hook.url, events: ['code.redeemed'], description: 'CRM', enabled: true });
    expect(html).toContain(`<tr data-endpoint="${endpoint.id}">`);
    expect(await (await visit(browser, 'GET', '/settings/webhooks')).text()).not.toContain(secret);

    const tested = await visit(browser, 'POST', `/settings/webhooks/${endpoint.id}/test`, { _csrf: csrf }, { env: LOOPBACK });
    expect(tested.status).toBe(303);
    expect(tested.headers.get('Location')).toBe(`/settings/webhooks/${endpoint.id}?done=tested`);
    const [ping] = await hook.requests();
    expect(ping.headers['webhook-signature']).toBe(await expectedSignature(secret, ping));
    const [delivery] = (await json(await call('GET', `/api/v1/webhooks/${endpoint.id}/deliveries`))).data;
    const log = await (await visit(browser, 'GET', `/settings/webhooks/${endpoint.id}?done=tested`)).text();
    expect(log).toContain('Test sent; its result is the first row of the log.');
    expect(log).toContain(
      `<tr data-delivery="${delivery.id}"><td data-label="Event">webhook.test</td><td data-label="webhook-id"><code>${delivery.webhook_id}</code></td><td data-label="State">succeeded</td><td data-label="Attempts">1 / 1</td><td data-label="Last status">200</td>`,
    );

    const replayed = await visit(browser, 'POST', `/settings/webhooks/deliveries/${delivery.id}/replay`, { _csrf: csrf }, { env: LOOPBACK });
    expect(replayed.headers.get('Location')).toBe(`/settings/webhooks/${endpoint.id}?done=replayed`);
    expect((await hook.requests()).map((request) => request.headers['webhook-id'])).toEqual([delivery.webhook_id, delivery.webhook_id]);

    const disabled = await visit(browser, 'POST', `/settings/webhooks/${endpoint.id}/disable`, { _csrf: csrf });
    expect(disabled.headers.get('Location')).toBe('/settings/webhooks?done=disabled');
    expect(await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).toMatchObject({ enabled: false, disabled_reason: 'disabled by hand' });
    const enabledPage = await (await visit(browser, 'GET', '/settings/webhooks?done=disabled')).text();
    expect(enabledPage).toContain('Endpoint disabled.');
    expect(enabledPage).toContain(`action="/settings/webhooks/${endpoint.id}/enable"`);
    await visit(browser, 'POST', `/settings/webhooks/${endpoint.id}/enable`, { _csrf: csrf });
    expect(await json(await call('GET', `/api/v1/webhooks/${endpoint.id}`))).toMatchObject({ enabled: true, failure_count: 0, disabled_reason: null });
    expect((await visit(browser, 'POST', '/settings/webhooks/deliveries/whd_nope/replay', { _csrf: csrf })).status).toBe(404);
  });
});
