import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto';
import { KEY_CACHE_TTL_MS } from '../../src/services/key-cache';
import { call, json } from '../helpers';

describe('/api/v1/keys', () => {
  it('mints a key shown once and stores only its hash', async () => {
    const response = await call('POST', '/api/v1/keys', { body: { name: 'Shop backend', scopes: ['conversions:write', 'reports:read'] } });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toMatchObject({ name: 'Shop backend', scopes: ['conversions:write', 'reports:read'], last_used_at: null });
    expect(created.key).toMatch(/^tp_[0-9A-Z]{26}_[0-9A-Za-z]{32}$/);
    expect(created.key_prefix).toBe(created.key.slice(0, 10));

    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(created.id).first<Record<string, string>>();
    expect(row!.key_hash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(10));

    const listed = await json(await call('GET', '/api/v1/keys'));
    const entry = listed.data.find((key: any) => key.id === created.id);
    expect(entry).toEqual({
      id: created.id,
      name: 'Shop backend',
      scopes: ['conversions:write', 'reports:read'],
      key_prefix: created.key_prefix,
      created_at: created.created_at,
      last_used_at: null,
    });
    expect(entry.key).toBeUndefined();
  });

  it('authenticates with the new key and records its use', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'analyst', scopes: ['reports:read'] } }));
    const response = await call('GET', '/api/v1/campaigns', { key: created.key, now: () => Date.parse('2026-11-01T10:00:00Z') });
    expect(response.status).toBe(200);
    const row = await env.DB.prepare('SELECT last_used_at FROM api_keys WHERE id = ?').bind(created.id).first<{ last_used_at: string }>();
    expect(row!.last_used_at).toBe('2026-11-01T10:00:00.000Z');
  });

  it('trusts a verified key for KEY_CACHE_TTL_MS, then reads it again (revocation by another isolate)', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'shop', scopes: ['reports:read'] } }));
    const t0 = Date.parse('2026-11-02T10:00:00Z');
    const get = (t: number) => call('GET', '/api/v1/campaigns', { key: created.key, now: () => t });
    expect((await get(t0)).status).toBe(200);
    // Revoked in D1 behind this isolate's back, as a revocation through another isolate is.
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').bind('2026-11-02T10:00:01.000Z', created.id).run();
    expect((await get(t0 + KEY_CACHE_TTL_MS - 1)).status).toBe(200);
    expect((await get(t0 + KEY_CACHE_TTL_MS)).status).toBe(401);
  });

  it('records the use again when it verifies the key again', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'busy shop', scopes: ['reports:read'] } }));
    const t0 = Date.parse('2026-11-03T10:00:00Z');
    const lastUsed = async () =>
      (await env.DB.prepare('SELECT last_used_at FROM api_keys WHERE id = ?').bind(created.id).first<{ last_used_at: string }>())!.last_used_at;
    await call('GET', '/api/v1/campaigns', { key: created.key, now: () => t0 });
    await call('GET', '/api/v1/campaigns', { key: created.key, now: () => t0 + 90_000 });
    expect(await lastUsed()).toBe('2026-11-03T10:01:30.000Z');
  });

  it('refuses a remembered key at once when it is revoked through the API', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'leaked', scopes: ['reports:read'] } }));
    const t0 = Date.parse('2026-11-04T10:00:00Z');
    expect((await call('GET', '/api/v1/campaigns', { key: created.key, now: () => t0 })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${created.id}`, { now: () => t0 + 1 })).status).toBe(204);
    expect((await call('GET', '/api/v1/campaigns', { key: created.key, now: () => t0 + 2 })).status).toBe(401);
  });

  it('refuses a key whose secret was altered', async () => {
    const created = await json(await call('POST', '/api/v1/keys', { body: { name: 'x', scopes: ['admin'] } }));
    const forged = created.key.slice(0, -1) + (created.key.endsWith('a') ? 'b' : 'a');
    expect((await call('GET', '/api/v1/campaigns', { key: forged })).status).toBe(401);
  });

  it('answers 404 when revoking an unknown key', async () => {
    const response = await call('DELETE', '/api/v1/keys/key_nope');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'API key not found' } });
  });

  it('refuses an empty scope list and unknown fields', async () => {
    const empty = await call('POST', '/api/v1/keys', { body: { name: 'x', scopes: [] } });
    expect(await json(empty)).toEqual({ error: { code: 'validation_error', message: 'scopes: Too small: expected array to have >=1 items' } });
    const extra = await call('POST', '/api/v1/keys', { body: { name: 'x', scopes: ['admin'], expires: 'never' } });
    expect(await json(extra)).toEqual({ error: { code: 'validation_error', message: 'unknown field: expires' } });
  });
});
