/** What a customer types that is no code is never stored: only its keyed hash. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { generateCodes, normaliseCode } from '../../src/domain/codes';
import { hmacHex } from '../../src/lib/crypto';
import { call, columnsHolding, json, makeCampaign, MOBILE_SAFARI } from '../helpers';
import { mintCodes } from '../support/codes';

const hashed = async (typed: string) => `h:${await hmacHex('test-hash-secret', `code-input:${normaliseCode(typed)}`)}`;
const client = (n: number) => ({ 'CF-Connecting-IP': `198.18.0.${n}`, 'User-Agent': MOBILE_SAFARI });

describe('unrecognised code input', () => {
  it('keeps neither the e-mail address typed into /redeem nor the one posted to the API, in any table', async () => {
    const page = await call('POST', '/redeem', {
      key: null,
      rawBody: new URLSearchParams({ code: 'Erika.Musterfrau@example.org' }).toString(),
      headers: { ...client(1), 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'de' },
    });
    expect(page.status).toBe(400);
    const api = await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: 'max.mustermann@example.com' }, headers: client(2) });
    expect(await json(api)).toEqual({ error: { code: 'invalid_code', message: 'This is not a valid code: check it for typos' } });
    const promo = await call('POST', '/api/v1/promo-codes/validate', { body: { code: 'jan.beispiel@example.net' } });
    expect(await json(promo)).toEqual({ error: { code: 'unknown_code', message: 'There is no such promo code' } });

    for (const fragment of ['musterfrau', 'mustermann', 'beispiel', 'example.']) expect(await columnsHolding(fragment, 'contains')).toEqual([]);
    const rows = await env.DB.prepare('SELECT source, input, result FROM code_entries WHERE input IN (?, ?, ?) ORDER BY source')
      .bind(await hashed('Erika.Musterfrau@example.org'), await hashed('max.mustermann@example.com'), await hashed('jan.beispiel@example.net'))
      .all();
    expect(rows.results).toEqual([
      { source: 'api', input: await hashed('max.mustermann@example.com'), result: 'invalid_code' },
      { source: 'page', input: await hashed('Erika.Musterfrau@example.org'), result: 'invalid_code' },
      { source: 'promo_validate', input: await hashed('jan.beispiel@example.net'), result: 'unknown_code' },
    ]);
  });

  it('hashes a well-formed code that matches nothing, and keeps a known code as typed (normalised)', async () => {
    const stranger = generateCodes(1)[0];
    expect((await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: stranger }, headers: client(3) })).status).toBe(404);
    const { batch, codes } = await mintCodes({ count: 1, expires_at: '2020-01-01T00:00:00Z' });
    expect((await call('POST', '/api/v1/codes/redeem', { key: null, body: { code: codes[0].toLowerCase() }, headers: client(4) })).status).toBe(410);
    expect(await columnsHolding(stranger)).toEqual([]);
    const entries = await env.DB.prepare('SELECT input, result, batch_id FROM code_entries WHERE input IN (?, ?)')
      .bind(await hashed(stranger), codes[0])
      .all();
    expect(entries.results).toEqual([
      { input: await hashed(stranger), result: 'unknown_code', batch_id: null },
      { input: codes[0], result: 'code_expired', batch_id: batch.id },
    ]);
  });

  it('the migration clears inputs stored before it that matched no code', async () => {
    const campaign = await makeCampaign();
    const { batch, codes } = await mintCodes({ count: 1, campaign_id: campaign.id });
    const insert = 'INSERT INTO code_entries (id, occurred_at, source, input, result, batch_id) VALUES (?, ?, ?, ?, ?, ?)';
    await env.DB.batch([
      env.DB.prepare(insert).bind('cen_OLD1', '2026-01-01T00:00:00.000Z', 'page', 'ANNA@EXAMP1E.C0M', 'invalid_code', null),
      env.DB.prepare(insert).bind('cen_OLD2', '2026-01-01T00:00:00.000Z', 'api', codes[0], 'accepted', batch.id),
    ]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name === '0012_code_entry_input_hash.sql')!;
    for (const query of migration.queries) await env.DB.prepare(query).run();
    const rows = await env.DB.prepare("SELECT id, input FROM code_entries WHERE id IN ('cen_OLD1', 'cen_OLD2') ORDER BY id").all();
    expect(rows.results).toEqual([
      { id: 'cen_OLD1', input: '' },
      { id: 'cen_OLD2', input: codes[0] },
    ]);
  });
});
