/** Malformed input named field by field, and revoked keys. */
import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';

interface RouteCase {
  method: string;
  path: string;
  malformed?: { body?: unknown; query?: string; message: string };
}

const ROUTES: RouteCase[] = [
  {
    method: 'POST',
    path: '/api/v1/keys',
    malformed: {
      body: { name: 'x', scopes: ['root'] },
      message:
        'scopes.0: Invalid option: expected one of "admin"|"links:write"|"reports:read"|"conversions:write"|"loyalty:read"|"loyalty:write"|"integrations:write"',
    },
  },
  { method: 'GET', path: '/api/v1/keys', malformed: { query: '?limit=0', message: 'limit: Too small: expected number to be >=1' } },
  { method: 'DELETE', path: '/api/v1/keys/key_x' },
  { method: 'POST', path: '/api/v1/campaigns', malformed: { body: { name: '' }, message: 'name: Too small: expected string to have >=1 characters' } },
  { method: 'GET', path: '/api/v1/campaigns', malformed: { query: '?status=deleted', message: 'status: Invalid option: expected one of "active"|"archived"' } },
  { method: 'GET', path: '/api/v1/campaigns/cmp_x' },
  { method: 'PATCH', path: '/api/v1/campaigns/cmp_x', malformed: { body: { colour: 'red' }, message: 'unknown field: colour' } },
  { method: 'POST', path: '/api/v1/campaigns/cmp_x/archive' },
  {
    method: 'POST',
    path: '/api/v1/links',
    malformed: { body: { campaign_id: 'cmp_x', destination: 'javascript:alert(1)' }, message: 'destination: must be an http or https URL' },
  },
  { method: 'POST', path: '/api/v1/links/bulk', malformed: { body: { links: [] }, message: 'links: Too small: expected array to have >=1 items' } },
  {
    method: 'GET',
    path: '/api/v1/links',
    malformed: { query: '?kind=banner', message: 'kind: Invalid option: expected one of "link"|"qr"|"email"|"referral"' },
  },
  { method: 'GET', path: '/api/v1/links/lnk_x' },
  { method: 'PATCH', path: '/api/v1/links/lnk_x', malformed: { body: { expires_at: 'tomorrow' }, message: 'expires_at: Invalid ISO datetime' } },
  { method: 'POST', path: '/api/v1/links/lnk_x/archive' },
  {
    method: 'POST',
    path: '/api/v1/maintenance/flush',
    malformed: { query: '?timeout_seconds=0', message: 'timeout_seconds: Too small: expected number to be >=1' },
  },
];

// 401, 403 and the generic 400s of every operation are derived from the route registry in auth-matrix.test.ts;
// these cases pin the exact message naming the field for inputs a client is likely to get wrong.
describe.each(ROUTES.filter((route) => route.malformed))('$method $path', (route) => {
  const malformed = route.malformed!;
  it('answers 400 naming the field on malformed input', async () => {
    const response = await call(route.method, `${route.path}${malformed.query ?? ''}`, { body: malformed.body });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message: malformed.message } });
  });
});

describe('revoked keys', () => {
  it('stop working at once', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'temp', scopes: ['reports:read'] } }));
    expect((await call('GET', '/api/v1/campaigns', { key: created.key })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${created.id}`)).status).toBe(204);
    expect((await call('GET', '/api/v1/campaigns', { key: created.key })).status).toBe(401);
  });
});
