/** Every code route: 401 without a key or with a bad one, 403 with the wrong scope, 400 on malformed input. */
import { describe, expect, it } from 'vitest';
import { call, json, makeKey } from '../helpers';

interface RouteCase {
  method: string;
  path: string;
  wrongScope: string;
  noBody?: boolean;
  malformed?: { body?: unknown; query?: string; message: string };
}

const ROUTES: RouteCase[] = [
  {
    method: 'POST',
    path: '/api/v1/code-batches',
    wrongScope: 'reports:read',
    malformed: { body: { campaign_id: 'cmp_x', count: 'many' }, message: 'count: Invalid input: expected number, received string' },
  },
  {
    method: 'GET',
    path: '/api/v1/code-batches',
    wrongScope: 'conversions:write',
    malformed: { query: '?limit=500', message: 'limit: Too big: expected number to be <=200' },
  },
  { method: 'GET', path: '/api/v1/code-batches/cbt_x', wrongScope: 'conversions:write' },
  { method: 'GET', path: '/api/v1/code-batches/cbt_x/codes.csv', wrongScope: 'reports:read' },
  {
    method: 'POST',
    path: '/api/v1/promo-codes',
    wrongScope: 'conversions:write',
    malformed: { body: { campaign_id: 'cmp_x', code: 'A!' }, message: 'code: must be 3 to 32 letters, digits and dashes' },
  },
  {
    method: 'GET',
    path: '/api/v1/promo-codes',
    wrongScope: 'conversions:write',
    malformed: { query: '?limit=0', message: 'limit: Too small: expected number to be >=1' },
  },
  { method: 'GET', path: '/api/v1/promo-codes/prm_x', wrongScope: 'conversions:write' },
  {
    method: 'PATCH',
    path: '/api/v1/promo-codes/prm_x',
    wrongScope: 'conversions:write',
    malformed: { body: { max_per_customer: 0 }, message: 'max_per_customer: Too small: expected number to be >=1' },
  },
  { method: 'GET', path: '/api/v1/promo-codes/prm_x/codes.csv', wrongScope: 'reports:read' },
  {
    method: 'POST',
    path: '/api/v1/promo-codes/validate',
    wrongScope: 'links:write',
    malformed: { body: { code: 'X', order_value: -1 }, message: 'order_value: Too small: expected number to be >=0' },
  },
  {
    method: 'POST',
    path: '/api/v1/promo-codes/redeem',
    wrongScope: 'reports:read',
    malformed: { body: { code: 'X' }, message: 'order_id: Invalid input: expected string, received undefined' },
  },
  {
    method: 'GET',
    path: '/api/v1/reports/codes',
    wrongScope: 'links:write',
    malformed: { query: '?format=xml', message: 'format: Invalid option: expected one of "json"|"csv"' },
  },
];

describe.each(ROUTES)('$method $path', (route) => {
  const bodyless = route.noBody || route.method === 'GET';
  const body = bodyless ? undefined : {};

  it('answers 401 without a key', async () => {
    const response = await call(route.method, route.path, { key: null, body });
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'Send an API key as "Authorization: Bearer <key>"' } });
  });

  it('answers 401 with an unknown key', async () => {
    const response = await call(route.method, route.path, { key: 'tp_01J0000000000000000000000X_abcdefghijklmnopqrstuvwxyz012345', body });
    expect((await json(response)).error.code).toBe('unauthorized');
  });

  it(`answers 403 with a key scoped only to ${route.wrongScope}`, async () => {
    const response = await call(route.method, route.path, { key: await makeKey([route.wrongScope]), body });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('forbidden');
  });

  if (route.malformed) {
    const malformed = route.malformed;
    it('answers 400 naming the field on malformed input', async () => {
      const response = await call(route.method, `${route.path}${malformed.query ?? ''}`, { body: malformed.body });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: { code: 'validation_error', message: malformed.message } });
    });
  }

  if (!bodyless) {
    it('answers 400 invalid_json on a body that is not JSON', async () => {
      const response = await call(route.method, route.path, { rawBody: '{"code": ' });
      expect(await json(response)).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    });
  }
});

describe('POST /api/v1/codes/redeem is public', () => {
  it('needs no key and answers invalid_json on a broken body', async () => {
    const response = await call('POST', '/api/v1/codes/redeem', { key: null, rawBody: '{"code": ' });
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('invalid_json');
  });

  it('refuses unknown fields', async () => {
    const response = await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: 'X', pin: 1 } });
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message: 'unknown field: pin' } });
  });

  it('keeps the conversions scope for validate and redeem', async () => {
    const key = await makeKey(['conversions:write']);
    expect((await call('POST', '/api/v1/promo-codes/validate', { key, body: { code: 'NOPE-NOPE' } })).status).toBe(404);
  });
});
