/** Every management route: 401 without a key or with a bad one, 403 with the wrong scope, 400 on malformed input. */
import { describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';

interface RouteCase {
  method: string;
  path: string;
  /** A scope that must NOT be enough for this route. */
  wrongScope: string;
  /** The route reads no body. */
  noBody?: boolean;
  malformed?: { body?: unknown; rawBody?: string; query?: string; message: string };
}

const ROUTES: RouteCase[] = [
  { method: 'POST', path: '/api/v1/keys', wrongScope: 'links:write', malformed: { body: { name: 'x', scopes: ['root'] }, message: 'scopes.0: Invalid option: expected one of "admin"|"links:write"|"reports:read"|"conversions:write"' } },
  { method: 'GET', path: '/api/v1/keys', wrongScope: 'reports:read', malformed: { query: '?limit=0', message: 'limit: Too small: expected number to be >=1' } },
  { method: 'DELETE', path: '/api/v1/keys/key_x', wrongScope: 'links:write' },
  { method: 'POST', path: '/api/v1/campaigns', wrongScope: 'reports:read', malformed: { body: { name: '' }, message: 'name: Too small: expected string to have >=1 characters' } },
  { method: 'GET', path: '/api/v1/campaigns', wrongScope: 'conversions:write', malformed: { query: '?status=deleted', message: 'status: Invalid option: expected one of "active"|"archived"' } },
  { method: 'GET', path: '/api/v1/campaigns/cmp_x', wrongScope: 'conversions:write' },
  { method: 'PATCH', path: '/api/v1/campaigns/cmp_x', wrongScope: 'reports:read', malformed: { body: { colour: 'red' }, message: 'unknown field: colour' } },
  { method: 'POST', path: '/api/v1/campaigns/cmp_x/archive', wrongScope: 'reports:read', noBody: true },
  { method: 'POST', path: '/api/v1/links', wrongScope: 'reports:read', malformed: { body: { campaign_id: 'cmp_x', destination: 'javascript:alert(1)' }, message: 'destination: must be an http or https URL' } },
  { method: 'POST', path: '/api/v1/links/bulk', wrongScope: 'reports:read', malformed: { body: { links: [] }, message: 'links: Too small: expected array to have >=1 items' } },
  { method: 'GET', path: '/api/v1/links', wrongScope: 'conversions:write', malformed: { query: '?kind=banner', message: 'kind: Invalid option: expected one of "link"|"qr"|"email"|"referral"' } },
  { method: 'GET', path: '/api/v1/links/lnk_x', wrongScope: 'conversions:write' },
  { method: 'PATCH', path: '/api/v1/links/lnk_x', wrongScope: 'reports:read', malformed: { body: { expires_at: 'tomorrow' }, message: 'expires_at: Invalid ISO datetime' } },
  { method: 'POST', path: '/api/v1/links/lnk_x/archive', wrongScope: 'reports:read', noBody: true },
  { method: 'POST', path: '/api/v1/maintenance/flush', wrongScope: 'links:write', noBody: true, malformed: { query: '?timeout_seconds=0', message: 'timeout_seconds: Too small: expected number to be >=1' } },
];

describe.each(ROUTES)('$method $path', (route) => {
  const path = (query = '') => `${route.path}${query}`;
  const bodyless = route.noBody || route.method === 'GET' || route.method === 'DELETE';
  const body = bodyless ? undefined : {};

  it('answers 401 without a key', async () => {
    const response = await call(route.method, path(), { key: null, body });
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'Send an API key as "Authorization: Bearer <key>"' } });
  });

  it('answers 401 with an unknown key', async () => {
    const response = await call(route.method, path(), { key: 'tp_01J0000000000000000000000X_abcdefghijklmnopqrstuvwxyz012345', body });
    expect(response.status).toBe(401);
    expect((await json(response)).error.code).toBe('unauthorized');
  });

  it(`answers 403 with a key scoped only to ${route.wrongScope}`, async () => {
    const key = await makeKey([route.wrongScope]);
    const response = await call(route.method, path(), { key, body });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('forbidden');
  });

  if (route.malformed) {
    const malformed = route.malformed;
    it('answers 400 naming the field on malformed input', async () => {
      const response = await call(route.method, path(malformed.query), { body: malformed.body });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: { code: 'validation_error', message: malformed.message } });
    });
  }

  if (!bodyless) {
    it('answers 400 invalid_json on a body that is not JSON', async () => {
      const response = await call(route.method, path(), { rawBody: '{"name": ' });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    });
  }
});

describe('revoked keys', () => {
  it('stop working at once', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'temp', scopes: ['reports:read'] } }));
    expect((await call('GET', '/api/v1/campaigns', { key: created.key })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${created.id}`)).status).toBe(204);
    expect((await call('GET', '/api/v1/campaigns', { key: created.key })).status).toBe(401);
  });
});
