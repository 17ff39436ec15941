/**
 * The API reference: /api/docs is served by the Worker with its library from
 * the Worker itself (same-origin assets only, no inline script, a strict CSP),
 * and the OpenAPI document it renders names every operation's access, every
 * error code and every webhook event.
 */
import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '../../src/domain/vocab';
import { ERROR_STATUS } from '../../src/lib/errors';
import { call, json } from '../helpers';

describe('GET /api/docs', () => {
  it('serves a page whose scripts and styles all come from this origin, under a CSP without inline scripts', async () => {
    const response = await call('GET', '/api/docs', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((match) => match[2])).toEqual(['', '']); // no inline code
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls).toHaveLength(5);
    // The empty data: icon keeps the browser from asking for /favicon.ico; every other URL is this origin's.
    for (const url of urls) expect(url, url).toMatch(/^(data:,|\/api\/(docs\/[\w.-]+\?v=\w+|v1\/openapi\.json))$/);

    const assets = urls.filter((url) => url.startsWith('/api/docs/'));
    const served = await Promise.all(assets.map((url) => call('GET', url, { key: null })));
    expect(served.map((asset) => [asset.status, asset.headers.get('Content-Type'), asset.headers.get('Cache-Control')])).toEqual([
      [200, 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      [200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      [200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ]);
    const [css, library, init] = await Promise.all(served.map((asset) => asset.text()));
    expect(css).toContain('.swagger-ui');
    expect(library.length).toBeGreaterThan(1_000_000);
    expect(library).toContain('SwaggerUIBundle');
    expect(init).toContain("url: '/api/v1/openapi.json'");
    expect(init).toContain('validatorUrl: null'); // no badge fetched from another origin
  });

  it('answers 404 for an asset it does not have, and 304 to a matching ETag', async () => {
    for (const name of ['nope.js', 'constructor', '__proto__']) expect((await call('GET', `/api/docs/${name}`, { key: null })).status, name).toBe(404);
    const first = await call('GET', '/api/docs/init.js', { key: null });
    const again = await call('GET', '/api/docs/init.js', { key: null, headers: { 'If-None-Match': first.headers.get('ETag')! } });
    expect(again.status).toBe(304);
  });
});

describe('the OpenAPI document', () => {
  it('says in words which scope each operation needs, beside its security requirement', async () => {
    const doc = await json(await call('GET', '/api/v1/openapi.json', { key: null }));
    let operations = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        operations++;
        const scopes: string[] = op.security?.flatMap((requirement: any) => requirement.bearer) ?? [];
        const named = scopes.map((scope) => `\`${scope}\``).join(' or ');
        const expected = scopes.length === 0 ? '**Access:** public, no key.' : `**Scope:** ${named}${scopes.includes('admin') ? '' : ' (or `admin`)'}.`;
        expect(op.description, `${method} ${path}`).toMatch(new RegExp(`${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      }
    }
    expect(operations).toBeGreaterThan(60);
    expect(doc.paths['/api/v1/exports/touches'].get.description).toMatch(/\*\*Scope:\*\* `reports:read` \(or `admin`\)\.$/);
    expect(doc.paths['/api/v1/codes/redeem'].post.description).toMatch(/\*\*Access:\*\* public, no key\.$/);
  });

  it('lists every error code in the Error component and the overview', async () => {
    const doc = await json(await call('GET', '/api/v1/openapi.json', { key: null }));
    const code = doc.components.schemas.Error.properties.error.properties.code;
    expect(code.enum).toEqual(Object.keys(ERROR_STATUS));
    for (const [name, status] of Object.entries(ERROR_STATUS)) {
      expect(code.description).toContain(`${name} (${status})`);
      expect(doc.info.description).toMatch(new RegExp(`\\n- \\*\\*${status}\\*\\*: [^\\n]*\`${name}\``));
    }
  });

  it('describes every webhook event with the Standard Webhooks headers and the {type, timestamp, data} payload', async () => {
    const doc = await json(await call('GET', '/api/v1/openapi.json', { key: null }));
    expect(Object.keys(doc.webhooks)).toEqual([...WEBHOOK_EVENTS]);
    for (const event of WEBHOOK_EVENTS) {
      const post = doc.webhooks[event].post;
      expect(post.summary).toBe(event);
      expect(post.parameters.map((p: any) => [p.in, p.name, p.required])).toEqual([
        ['header', 'webhook-id', true],
        ['header', 'webhook-timestamp', true],
        ['header', 'webhook-signature', true],
      ]);
      expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookPayload' });
    }
    const payload = doc.components.schemas.WebhookPayload;
    expect(payload.required).toEqual(['type', 'timestamp', 'data']);
    expect(payload.properties.type.enum).toEqual([...WEBHOOK_EVENTS]);
  });
});
