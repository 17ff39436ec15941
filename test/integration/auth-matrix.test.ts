/**
 * Every API operation, read from the app's OpenAPI registry (so a new route
 * cannot skip this): 401 without a key and with an unknown one, 403 with a key
 * of another scope, 400 in the error envelope on malformed input (JSON, or a
 * body of the non-JSON type a route takes, e.g. text/csv, which also refuses
 * JSON with 415) — and every route the app mounts under /api/v1 is in that registry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/domain/vocab';
import { call, json, makeKey } from '../helpers';
import { apiOperations, MALFORMED_BODIES, mountedRoutes, refusedQueryValue } from '../support/route-registry';

const operations = await apiOperations();
const guardedOps = operations.filter((op) => op.scopes !== null);

/** The operations a customer or browser calls without a key: each one named here on purpose. */
const PUBLIC_OPERATIONS = ['GET /api/v1/openapi.json', 'POST /api/v1/codes/redeem'];

const keys = new Map<string, string>();
beforeAll(async () => {
  for (const scope of SCOPES.filter((s) => s !== 'admin')) keys.set(scope, await makeKey([scope]));
});

describe('the route registry', () => {
  it('documents every API route the app mounts', () => {
    const documented = operations.map((op) => `${op.method} ${op.path}`).sort();
    const mounted = mountedRoutes().filter((route) => route.split(' ')[1].startsWith('/api/v1/'));
    expect(mounted.filter((route) => !documented.includes(route) && route !== 'GET /api/v1/openapi.json')).toEqual([]);
  });

  it('guards every operation but the public ones', () => {
    const open = operations.filter((op) => op.scopes === null).map((op) => `${op.method} ${op.path}`);
    expect(open.sort()).toEqual(PUBLIC_OPERATIONS.filter((name) => name !== 'GET /api/v1/openapi.json').sort());
    for (const op of guardedOps) expect(op.scopes!.length, `${op.method} ${op.path} names its scopes`).toBeGreaterThan(0);
  });
});

describe.each(guardedOps)('$method $path ($scopes)', (op) => {
  const body = op.hasJsonBody ? {} : undefined;

  it('answers 401 without a key', async () => {
    const response = await call(op.method, op.samplePath, { key: null, body });
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'Send an API key as "Authorization: Bearer <key>"' } });
  });

  it('answers 401 with a key that does not verify', async () => {
    // Each operation's failed check from its own client, so the throttle of failed checks (auth-throttle.test.ts) stays out of the way.
    const headers = { 'CF-Connecting-IP': `198.51.100.${guardedOps.indexOf(op)}` };
    const response = await call(op.method, op.samplePath, { key: 'tp_01J0000000000000000000000X_abcdefghijklmnopqrstuvwxyz012345', body, headers });
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: { code: 'unauthorized', message: 'The API key is invalid or revoked' } });
  });

  const wrong = SCOPES.find((scope) => scope !== 'admin' && !op.scopes!.includes(scope))!;
  it(`answers 403 with a key scoped only to ${wrong}`, async () => {
    const response = await call(op.method, op.samplePath, { key: keys.get(wrong), body });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('forbidden');
  });

  if (op.hasJsonBody) {
    it('answers 400 invalid_json on a body that is not JSON', async () => {
      const response = await call(op.method, op.samplePath, { rawBody: '{"name": ' });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    });

    it('answers 400 validation_error on a JSON body that is not an object', async () => {
      const response = await call(op.method, op.samplePath, { body: ['not', 'an', 'object'] });
      expect(response.status).toBe(400);
      expect((await json(response)).error.code).toBe('validation_error');
    });
  }

  const otherTypes = op.bodyMediaTypes.filter((type) => type !== 'application/json');
  if (!op.hasJsonBody && otherTypes.length > 0) {
    it(`answers 415 unsupported_media_type on a JSON body (it takes ${otherTypes.join(', ')})`, async () => {
      const response = await call(op.method, op.samplePath, { body: {} });
      expect(response.status).toBe(415);
      expect((await json(response)).error.code).toBe('unsupported_media_type');
    });
  }
  for (const type of otherTypes) {
    it(`answers 400 validation_error on a malformed ${type} body`, async () => {
      expect(MALFORMED_BODIES[type], `a malformed ${type} sample in test/support/route-registry.ts`).toBeDefined();
      const response = await call(op.method, op.samplePath, { rawBody: MALFORMED_BODIES[type], headers: { 'Content-Type': type } });
      expect(response.status).toBe(400);
      expect((await json(response)).error.code).toBe('validation_error');
    });
  }

  const refusable = op.queryParams.map((param) => ({ ...param, value: refusedQueryValue(param.schema) })).find((param) => param.value !== null);
  if (refusable) {
    it(`answers 400 naming ${refusable.name} on ?${refusable.name}=${refusable.value}`, async () => {
      const response = await call(op.method, `${op.samplePath}?${refusable.name}=${encodeURIComponent(refusable.value!)}`, { body });
      expect(response.status).toBe(400);
      const error = (await json(response)).error;
      expect(error.code).toBe('validation_error');
      expect(error.message).toContain(refusable.name);
    });
  }
});
