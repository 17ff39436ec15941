import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hasValidCheck, normaliseCode } from '../../src/domain/codes';
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
    const started = Date.now();
    const response = await call('POST', '/api/v1/code-batches', { body: { campaign_id: campaign.id, count: 100_000 } });
    console.log('mint 100k ms', Date.now() - started);
    expect(response.status).toBe(201);
    const row = await env.DB.prepare('SELECT count(*) AS n FROM action_codes WHERE batch_id = ?').bind((await json(response)).id).first<{ n: number }>();
    expect(row!.n).toBe(100_000);
  }, 60_000);
});
