import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { generateCodes, hasValidCheck, normaliseCode } from '../../src/domain/codes';
import { continueMinting, createCodeBatch, mintMissingCodes } from '../../src/services/mint-codes';
import { call, json, makeCampaign } from '../helpers';

describe('code batches', () => {
  it('mints 100 codes in the request and exports them as CSV', async () => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 100, prefix: 'x-mas', reward: 'A free coffee' } });
    expect(response.status).toBe(201);
    const batch = await json(response);
    expect(batch).toMatchObject({ count: 100, minted: 100, status: 'ready', prefix: 'XMAS', reward: 'A free coffee', max_redemptions_per_code: 1 });
    const csv = await call('GET', `/api/v1/code-batches/${batch.id}/codes.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('code,redeem_url,batch_id,campaign_id,max_redemptions,redemptions');
    expect(lines).toHaveLength(101);
    const codes = lines.slice(1).map((line) => line.split(','));
    expect(new Set(codes.map((row) => row[0])).size).toBe(100);
    for (const [code, url, batchId, campaignId, max, used] of codes) {
      expect(code).toMatch(/^XMAS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(hasValidCheck(normaliseCode(code))).toBe(true);
      expect(url).toBe(`https://tp.test/redeem?c=${code}`);
      expect([batchId, campaignId, max, used]).toEqual([batch.id, campaign.id, '1', '0']);
    }
  });

  it('mints 100,000 codes in the request', async () => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 100_000 } });
    expect(response.status).toBe(201);
    const row = await env.DB.prepare('SELECT count(*) AS n FROM action_codes WHERE batch_id = ?')
      .bind((await json(response)).id)
      .first<{ n: number }>();
    expect(row!.n).toBe(100_000);
  }, 60_000);
});

describe('large batches mint in the background', () => {
  it('answers 202, keeps progress on the batch and resumes on GET until ready', async () => {
    const campaign = await makeCampaign();
    const slow = { CODE_MINT_BUDGET_MS: '1' };
    const created = await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 100_001 }, env: slow });
    expect(created.status).toBe(202);
    const batch = await json(created);
    expect(batch).toMatchObject({ count: 100_001, minted: 0, status: 'minting' });
    // One round per run with a 1 ms budget: 20,000 codes, then the lease is given back.
    const first = await json(await call('GET', `/api/v1/code-batches/${batch.id}`, { env: slow }));
    expect(first).toMatchObject({ minted: 20_000, status: 'minting' });
    const csv = await call('GET', `/api/v1/code-batches/${batch.id}/codes.csv`);
    expect([csv.status, (await json(csv)).error.code]).toEqual([409, 'conflict']);
    expect((await json(await call('GET', `/api/v1/code-batches/${batch.id}`, { env: slow }))).minted).toBe(40_000);
    await call('GET', `/api/v1/code-batches/${batch.id}`);
    const done = await json(await call('GET', `/api/v1/code-batches/${batch.id}`));
    expect(done).toMatchObject({ minted: 100_001, status: 'ready' });
    const row = await env.DB.prepare('SELECT count(*) AS n FROM action_codes WHERE batch_id = ?').bind(batch.id).first<{ n: number }>();
    expect(row!.n).toBe(100_001);
  }, 60_000);

  it('tops up codes lost to collisions and never mints past the count', async () => {
    const db = createDb(env.DB);
    const campaign = await makeCampaign();
    const batch = await createCodeBatch(
      db,
      { campaignId: campaign.id, prefix: null, count: 500, maxRedemptionsPerCode: 1, startsAt: null, expiresAt: null, reward: null },
      Date.now(),
    );
    const taken = generateCodes(1)[0];
    const calls: number[] = [];
    const collide = (count: number, prefix: string) => {
      calls.push(count);
      return calls.length === 1 ? [...generateCodes(count - 100, prefix), ...Array(100).fill(taken)] : generateCodes(count, prefix);
    };
    const progress = await mintMissingCodes(db, batch, Date.now, null, collide);
    expect(progress).toEqual({ minted: 500, status: 'ready' });
    expect(calls).toEqual([500, 99]);
  });

  it('lets only one run hold the minting lease', async () => {
    const db = createDb(env.DB);
    const campaign = await makeCampaign();
    const now = Date.now();
    const batch = await createCodeBatch(
      db,
      { campaignId: campaign.id, prefix: null, count: 10, maxRedemptionsPerCode: 1, startsAt: null, expiresAt: null, reward: null },
      now,
    );
    expect(await continueMinting(db, batch.id, () => now, 1000)).toBeNull();
    expect(await continueMinting(db, batch.id, () => now + 61_000, 1000)).toEqual({ minted: 10, status: 'ready' });
    expect(await continueMinting(db, batch.id, () => now + 200_000, 1000)).toBeNull();
  });
});

describe('batch management', () => {
  it('lists batches of a campaign, newest first', async () => {
    const campaign = await makeCampaign();
    const a = await json(await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 2 } }));
    const b = await json(await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 3, prefix: '7' } }));
    const list = await json(await call('GET', `/api/v1/code-batches?campaign_id=${campaign.id}&limit=1`));
    expect(list.data.map((x: any) => x.id)).toEqual([b.id]);
    const next = await json(await call('GET', `/api/v1/code-batches?campaign_id=${campaign.id}&limit=1&cursor=${list.next_cursor}`));
    expect(next.data.map((x: any) => x.id)).toEqual([a.id]);
  });

  it.each([
    [{ campaign_id: 'cmp_missing', count: 1 }, 422, 'campaign_id: no campaign cmp_missing'],
    [{ count: 1, prefix: 'SUN' }, 400, 'prefix: "U" is not allowed (use 0-9 and A-Z without I, L, O, U)'],
    [{ count: 0 }, 400, 'count: Too small: expected number to be >=1'],
    [{ count: 1_000_001 }, 400, 'count: Too big: expected number to be <=1000000'],
    [{ count: 1, starts_at: '2026-02-01T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }, 400, 'expires_at: must be after starts_at'],
  ])('refuses %j', async (body, status, message) => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, ...body } });
    expect(response.status).toBe(status);
    expect((await json(response)).error.message).toBe(message);
  });

  it('answers 404 for an unknown batch', async () => {
    expect((await call('GET', '/api/v1/code-batches/cbt_missing')).status).toBe(404);
    expect((await call('GET', '/api/v1/code-batches/cbt_missing/codes.csv')).status).toBe(404);
  });
});
