/** A conversion carrying a promo code redeems it, and the redemption is a touch of that conversion. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign } from '../helpers';

describe('POST /api/v1/conversions with promo_code', () => {
  it('redeems the code once and credits the promo redemption', async () => {
    const campaign = await makeCampaign({ name: 'Promo Push' });
    const promo = await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code: 'HERBST15', discount: '15 %', max_redemptions: 5 } });
    expect(promo.status).toBe(201);
    const body = { type: 'sale', order_id: 'order-promo-1', promo_code: 'herbst15', value: 80, currency: 'EUR', customer_ref: 'cust-77' };
    const first = await call('POST', '/api/v1/conversions', { body });
    expect(first.status).toBe(201);
    const created = await json(first);
    expect(created.attribution).toEqual([{ channel: 'offline', campaign_id: campaign.id, link_id: null, weight: 1 }]);

    const again = await call('POST', '/api/v1/conversions', { body });
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(created.id);

    const redemptions = await env.DB.prepare('SELECT COUNT(*) AS n FROM promo_redemptions WHERE order_id = ?').bind('order-promo-1').first();
    expect(redemptions).toEqual({ n: 1 });
    const touches = await env.DB.prepare("SELECT type, channel, campaign_id FROM touches WHERE type = 'promo_redemption' AND campaign_id = ?")
      .bind(campaign.id)
      .all();
    expect(touches.results).toEqual([{ type: 'promo_redemption', channel: 'offline', campaign_id: campaign.id }]);
  });

  it('refuses the conversion when the promo code is unknown, writing nothing', async () => {
    const response = await call('POST', '/api/v1/conversions', {
      body: { type: 'sale', order_id: 'order-promo-2', promo_code: 'NOPE99', value: 10, currency: 'EUR' },
    });
    expect(response.status).toBe(404);
    expect((await json(response)).error.code).toBe('unknown_code');
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversions WHERE order_id = 'order-promo-2'").first();
    expect(stored).toEqual({ n: 0 });
  });
});
