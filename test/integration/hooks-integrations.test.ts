/** `/api/v1/integrations`: connect, list, get, rotate and delete a shop; the signing secret goes in once and never comes out. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { base64Signature, deliver, makeIntegration } from '../support/shop-hooks';
import { at } from '../support/loyalty';
import { call, columnsHolding, json, makeKey } from '../helpers';

const SECRET = 'shpss_the-first-secret-of-this-shop';
const NEXT_SECRET = 'shpss_the-second-secret-of-this-shop';

const paidOrder = (id: number) =>
  JSON.stringify({ id, email: 'a@example.com', total_price: '10.00', currency: 'EUR', financial_status: 'paid', created_at: '2026-11-20T09:00:00Z' });

const deliverSigned = async (integrationId: string, body: string, secret: string) =>
  deliver(
    'shopify',
    integrationId,
    body,
    { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': await base64Signature(secret, body) },
    at('2026-11-20T12:00:00.000Z'),
  );

describe('/api/v1/integrations', () => {
  it('creates an integration with its webhook URL, and never answers the secret', async () => {
    const response = await call('POST', '/api/v1/integrations', {
      body: { platform: 'shopify', name: 'Boots store', secret: SECRET },
      now: at('2026-11-20T10:00:00.000Z'),
    });
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toContain('first-secret');
    const created = JSON.parse(text);
    expect(created).toEqual({
      id: expect.stringMatching(/^int_[0-9A-Z]{26}$/),
      platform: 'shopify',
      name: 'Boots store',
      webhook_url: `https://tp.test/hooks/shopify/${created.id}`,
      created_at: '2026-11-20T10:00:00.000Z',
      rotated_at: null,
      last_received_at: null,
    });
    // Stored sealed: the plain secret is in no column of any table.
    expect(await columnsHolding('first-secret', 'contains')).toEqual([]);

    for (const path of ['/api/v1/integrations', `/api/v1/integrations/${created.id}`]) {
      const read = await (await call('GET', path)).text();
      expect(read).not.toContain('first-secret');
    }
    expect(await json(await call('GET', `/api/v1/integrations/${created.id}`))).toEqual(created);
  });

  it('builds the webhook URL on PUBLIC_ORIGIN when set', async () => {
    const response = await call('POST', '/api/v1/integrations', {
      body: { platform: 'stripe', name: 'Stripe live', secret: 'whsec_0123456789abcdef' },
      env: { PUBLIC_ORIGIN: 'https://go.brand.example/' },
    });
    const created = await json(response);
    expect(created.webhook_url).toBe(`https://go.brand.example/hooks/stripe/${created.id}`);
  });

  it('lists integrations newest first, a page at a time', async () => {
    const a = await makeIntegration('woocommerce', 'woo-secret-aaaa', 'Site A');
    const b = await makeIntegration('woocommerce', 'woo-secret-bbbb', 'Site B');
    const first = await json(await call('GET', '/api/v1/integrations?limit=1'));
    expect(first.data.map((row: any) => row.id)).toEqual([b.id]);
    const second = await json(await call('GET', `/api/v1/integrations?limit=1&cursor=${first.next_cursor}`));
    expect(second.data.map((row: any) => row.id)).toEqual([a.id]);
    expect(JSON.stringify([first, second])).not.toContain('woo-secret');
  });

  it('refuses invalid input: an unknown platform, a short secret, a Stripe API key instead of a signing secret', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ platform: 'magento', name: 'x', secret: SECRET }, 'platform'],
      [{ platform: 'shopify', name: 'x', secret: 'short' }, 'secret: must be the signing secret the platform shows (at least 8 characters)'],
      [{ platform: 'stripe', name: 'x', secret: 'sk_live_51Habcdefghijkl' }, 'secret: must be the endpoint’s signing secret (whsec_…), not an API key'],
      [{ platform: 'shopify', name: 'x', secret: SECRET, webhook_url: 'https://x' }, 'unknown field: webhook_url'],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', '/api/v1/integrations', { body });
      expect(response.status).toBe(400);
      expect((await json(response)).error.message).toContain(message);
    }
    expect(await columnsHolding('sk_live_51Habcdefghijkl', 'contains')).toEqual([]);
  });

  it('rotates the secret: the old one is refused from then on, the new one accepted', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    expect((await deliverSigned(integration.id, paidOrder(1), SECRET)).status).toBe(200);

    const rotated = await call('POST', `/api/v1/integrations/${integration.id}/rotate`, { body: { secret: NEXT_SECRET }, now: at('2026-11-21T10:00:00.000Z') });
    expect(rotated.status).toBe(200);
    const text = await rotated.text();
    expect(text).not.toContain('second-secret');
    expect(JSON.parse(text)).toMatchObject({ id: integration.id, webhook_url: integration.webhook_url, rotated_at: '2026-11-21T10:00:00.000Z' });

    expect((await deliverSigned(integration.id, paidOrder(2), SECRET)).status).toBe(401);
    expect((await deliverSigned(integration.id, paidOrder(3), NEXT_SECRET)).status).toBe(200);
    const stored = await env.DB.prepare('SELECT order_id FROM conversions WHERE order_id LIKE ? ORDER BY order_id').bind(`shopify:${integration.id}:_`).all();
    expect(stored.results).toEqual([{ order_id: `shopify:${integration.id}:1` }, { order_id: `shopify:${integration.id}:3` }]);
  });

  it('refuses to rotate a Stripe connection to an API key, as it refuses to create one, keeping the old secret', async () => {
    const integration = await makeIntegration('stripe', 'whsec_rotate_0123456789abcdef');
    const response = await call('POST', `/api/v1/integrations/${integration.id}/rotate`, { body: { secret: 'sk_live_51Hrotateabcdefgh' } });
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: { code: 'validation_error', message: 'secret: must be the endpoint’s signing secret (whsec_…), not an API key' } },
    ]);
    const stored = await env.DB.prepare('SELECT rotated_at FROM integrations WHERE id = ?').bind(integration.id).first();
    expect(stored).toEqual({ rotated_at: null });
  });

  it('deletes an integration: its webhook URL answers 404 from then on', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    expect((await call('DELETE', `/api/v1/integrations/${integration.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/integrations/${integration.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/integrations/${integration.id}`)).status).toBe(404);
    expect((await call('POST', `/api/v1/integrations/${integration.id}/rotate`, { body: { secret: NEXT_SECRET } })).status).toBe(404);
    expect((await deliverSigned(integration.id, paidOrder(4), SECRET)).status).toBe(404);
  });

  it('takes a key with integrations:write and refuses one with conversions:write', async () => {
    const writer = await makeKey(['integrations:write']);
    expect((await call('GET', '/api/v1/integrations', { key: writer })).status).toBe(200);
    const other = await makeKey(['conversions:write']);
    expect((await call('POST', '/api/v1/integrations', { key: other, body: { platform: 'shopify', name: 'x', secret: SECRET } })).status).toBe(403);
  });

  it('answers 503 for a delivery whose stored secret no longer opens (SECRETS_KEY changed), so the platform retries', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const body = paidOrder(5);
    const response = await call('POST', `/hooks/shopify/${integration.id}`, {
      key: null,
      rawBody: body,
      headers: { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': await base64Signature(SECRET, body) },
      env: { SECRETS_KEY: 'a-different-secrets-key' },
    });
    expect(response.status).toBe(503);
    expect((await json(response)).error.code).toBe('unavailable');
  });
});

describe('signed bodies that are not orders', () => {
  it.each(['shopify', 'woocommerce'])('%s: answers the envelope or an acknowledgement, never 500', async (platform) => {
    const integration = await makeIntegration(platform, SECRET);
    const bodies = [
      '{"id": ',
      'null',
      '[1,2,3]',
      '"a\\r\\nb"',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      '{"id": 1e309, "total_price": "NaN", "currency": "€€€"}',
      '\u00ff\u00fe',
    ];
    for (const body of bodies) {
      const headers: Record<string, string> =
        platform === 'shopify'
          ? { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': await base64Signature(SECRET, body) }
          : { 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Signature': await base64Signature(SECRET, body) };
      const response = await deliver(platform, integration.id, body, headers);
      expect(response.status, body.slice(0, 20)).toBeLessThan(500);
      const answer = await json(response);
      if (response.status === 200) expect(answer.orders, body.slice(0, 20)).toEqual([]);
      else expect(answer.error.code).toBe('invalid_json');
    }
  });
});

describe('an oversized delivery', () => {
  it('answers 413 in the envelope before reading further', async () => {
    const integration = await makeIntegration('shopify', SECRET);
    const body = JSON.stringify({ id: 1, note: 'x'.repeat(5 * 1024 * 1024) });
    const response = await deliver('shopify', integration.id, body, {
      'X-Shopify-Topic': 'orders/paid',
      'X-Shopify-Hmac-Sha256': await base64Signature(SECRET, body),
    });
    expect(response.status).toBe(413);
    expect(await json(response)).toEqual({ error: { code: 'payload_too_large', message: 'A webhook body is at most 5 MB' } });
  });
});
