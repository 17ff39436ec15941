/**
 * The typed client (client/) is made from the document this Worker serves:
 * the committed copy must be that document exactly. After adding or changing
 * a route, run `npm run client` and commit client/openapi.json and client/schema.d.ts
 * (test/e2e/api-docs.test.ts checks the types byte for byte).
 */
import { describe, expect, it } from 'vitest';
import committed from '../../client/openapi.json';
import { call, json } from '../helpers';

describe('client/openapi.json', () => {
  it('is the document GET /api/v1/openapi.json serves (else: npm run client)', async () => {
    const served = await json(await call('GET', '/api/v1/openapi.json', { key: null }));
    expect(served).toEqual(committed);
  });
});
