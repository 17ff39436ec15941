import { describe, expect, it } from 'vitest';
import { generateCodes } from '../../src/domain/codes';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { mintCodes } from '../support/codes';

const zeros = {
  invalid_code: 0,
  unknown_code: 0,
  code_used_up: 0,
  code_expired: 0,
  code_not_started: 0,
  rate_limited: 0,
  customer_limit_reached: 0,
  below_minimum_order: 0,
};

describe('GET /api/v1/reports/codes', () => {
  it('reports per batch and per promo code, as JSON and CSV', async () => {
    const campaign = await makeCampaign({ name: 'Report run' });
    const { batch, codes } = await mintCodes({ count: 4, campaign_id: campaign.id, prefix: 'RPT' });
    const enter = (code: string) => call('POST', '/api/v1/codes/redeem', { key: null, body: { code }, headers: { 'CF-Connecting-IP': '10.9.9.9' } });
    await enter(codes[0]);
    await enter(codes[1]);
    await enter(codes[1]);
    await enter(generateCodes(1)[0]);
    const promo = await json(await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: 'RPT-25', min_order_value: 10 } }));
    await call('POST', '/api/v1/promo-codes/validate', { body: { code: 'rpt25' } });
    await call('POST', '/api/v1/promo-codes/redeem', { body: { code: 'rpt25', order_id: 'r1', order_value: 5 } });
    await call('POST', '/api/v1/promo-codes/redeem', { body: { code: 'rpt25', order_id: 'r1', order_value: 15 } });
    await call('POST', '/api/v1/promo-codes/redeem', { body: { code: 'rpt25', order_id: 'r1', order_value: 15 } });

    const key = await makeKey(['reports:read']);
    const response = await call('GET', `/api/v1/reports/codes?campaign_id=${campaign.id}`, { key });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      campaign_id: campaign.id,
      rows: [
        {
          kind: 'batch',
          id: batch.id,
          campaign_id: campaign.id,
          label: 'RPT',
          minted: 4,
          entered: 3,
          accepted: 2,
          rejected: { ...zeros, code_used_up: 1 },
          redeemed_codes: 2,
          redemption_rate: 0.5,
        },
        {
          kind: 'promo',
          id: promo.id,
          campaign_id: campaign.id,
          label: 'RPT-25',
          minted: 1,
          entered: 3,
          accepted: 1,
          rejected: { ...zeros, below_minimum_order: 1 },
          redeemed_codes: 1,
          redemption_rate: 1,
        },
      ],
      unmatched: null,
    });

    const csv = await call('GET', `/api/v1/reports/codes?campaign_id=${campaign.id}&format=csv`, { key });
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'kind,id,campaign_id,label,minted,entered,accepted,rejected_invalid_code,rejected_unknown_code,rejected_code_used_up,rejected_code_expired,rejected_code_not_started,rejected_rate_limited,rejected_customer_limit_reached,rejected_below_minimum_order,redeemed_codes,redemption_rate',
      `batch,${batch.id},${campaign.id},RPT,4,3,2,0,0,1,0,0,0,0,0,2,0.5`,
      `promo,${promo.id},${campaign.id},RPT-25,1,3,1,0,0,0,0,0,0,0,1,1,1`,
      '',
    ]);
  });

  it('counts entries that matched no code when not filtered by campaign', async () => {
    const report = await json(await call('GET', '/api/v1/reports/codes'));
    expect(report.campaign_id).toBeNull();
    expect(Object.keys(report.unmatched)).toEqual(Object.keys(zeros));
  });
});
