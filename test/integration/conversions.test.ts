import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import type { Bindings } from '../../src/env';
import { recordConversion } from '../../src/services/record-conversion';
import { call, json, makeKey } from '../helpers';
import { at, db, DECAY, iso, storeJourney, storeTouches, touchRow } from '../support/attribution-fixture';

const now = () => at(21) + 3_600_000;
const post = (body: unknown, key?: string | null) => call('POST', '/api/v1/conversions', { body, key, now });
const sale = (fields: Record<string, unknown> = {}) => ({ type: 'sale', value: 100, currency: 'EUR', occurred_at: iso(21), ...fields });

describe('POST /api/v1/conversions', () => {
  it('attributes a sale to the last touch and stores every model', async () => {
    const journey = await storeJourney();
    const response = await post(sale({ order_id: 'o-journey-1', click_id: journey.referral.id }));
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body.id).toMatch(/^cnv_/);
    expect(body.attribution).toEqual([{ channel: 'referral', campaign_id: journey.campaignId, link_id: journey.referralLink, weight: 1 }]);

    const detail = await json(await call('GET', `/api/v1/conversions/${body.id}`, { now }));
    expect(detail).toMatchObject({ id: body.id, type: 'sale', order_id: 'o-journey-1', value: 100, currency: 'EUR', occurred_at: iso(21), lookback_days: 30 });
    expect(detail.touches.map((t: any) => [t.id, t.type, t.channel, t.occurred_at])).toEqual([
      [journey.email.id, 'click', 'email', iso(0)],
      [journey.scan.id, 'scan', 'offline', iso(10)],
      [journey.referral.id, 'click', 'referral', iso(20)],
    ]);
    const weights = (model: string) => detail.touches.map((t: any) => t.weights[model]);
    expect(weights('last_touch')).toEqual([0, 0, 1]);
    expect(weights('first_touch')).toEqual([1, 0, 0]);
    expect(weights('linear')).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(weights('position')).toEqual([0.4, 0.2, 0.4]);
    weights('time_decay').forEach((w: number, i: number) => expect(Math.abs(w - DECAY[i])).toBeLessThan(1e-9));
  });

  it('excludes a touch 31 days old and bots', async () => {
    const journey = await storeJourney();
    const response = await call('POST', '/api/v1/conversions', { body: sale({ click_id: journey.referral.id, occurred_at: iso(31) }), now: () => at(32) });
    const detail = await json(await call('GET', `/api/v1/conversions/${(await json(response)).id}`));
    expect(detail.touches.map((t: any) => t.id)).toEqual([journey.scan.id, journey.referral.id]);
  });

  it('credits direct when there is no touch', async () => {
    const response = await post({ type: 'lead' });
    expect(response.status).toBe(201);
    expect((await json(response)).attribution).toEqual([{ channel: 'direct', campaign_id: null, link_id: null, weight: 1 }]);
  });

  it('treats an unknown click id as no touch', async () => {
    const response = await post(sale({ click_id: 'tpc_UNKNOWN' }));
    expect((await json(response)).attribution[0].channel).toBe('direct');
  });

  it('answers a repeated order_id with the first result and stores it once', async () => {
    const journey = await storeJourney();
    const first = await json(await post(sale({ order_id: 'o-dup', click_id: journey.referral.id })));
    const again = await post(sale({ order_id: 'o-dup', value: 999 }));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    const stored = await db().selectFrom('conversions').select(['id', 'value']).where('order_id', '=', 'o-dup').execute();
    expect(stored).toEqual([{ id: first.id, value: 100 }]);
    const orphans = await db()
      .selectFrom('conversion_credits')
      .select('conversion_id')
      .where('conversion_id', 'not in', db().selectFrom('conversions').select('id'))
      .execute();
    expect(orphans).toEqual([]);
    expect(await db().selectFrom('conversion_credits').select('model').where('conversion_id', '=', first.id).execute()).toHaveLength(15);
  });

  it('finds the touches of another device through the customer reference', async () => {
    const journey = await storeJourney();
    // The phone sale links the journey's visitor to customer c-77 ...
    await post(sale({ click_id: journey.referral.id, customer_ref: 'c-77', occurred_at: iso(20.75) }));
    // ... so a later desktop purchase of c-77 from a fresh visitor sees those touches too.
    const desktop = touchRow({ visitor_id: 'v_DESKTOP77', channel: 'paid', occurred_at: iso(20.9), device_class: 'desktop' });
    await storeTouches([desktop]);
    const response = await post(sale({ visitor_id: 'v_DESKTOP77', customer_ref: 'c-77' }));
    const detail = await json(await call('GET', `/api/v1/conversions/${(await json(response)).id}`));
    expect(detail.touches.map((t: any) => t.id)).toEqual([journey.email.id, journey.scan.id, journey.referral.id, desktop.id]);
    expect(detail.touches.map((t: any) => t.weights.first_touch)).toEqual([1, 0, 0, 0]);
    const links = await db().selectFrom('identity_links').select('visitor_id').orderBy('visitor_id').execute();
    expect(links.map((l) => l.visitor_id)).toEqual(expect.arrayContaining([journey.visitor, 'v_DESKTOP77']));
  });

  it('makes the promo redemption a touch of the conversion', async () => {
    const journey = await storeJourney();
    const promoTouch = touchRow({ type: 'promo_redemption', channel: 'offline', campaign_id: journey.campaignId, occurred_at: iso(21) });
    await storeTouches([promoTouch]);
    const requests: any[] = [];
    const recorded = await recordConversion(
      db(),
      env as Bindings,
      {
        type: 'sale',
        orderId: 'o-promo',
        clickId: journey.referral.id,
        visitorId: null,
        customerRef: null,
        promoCode: 'SPRING10',
        value: 50,
        currency: 'EUR',
        occurredAt: at(21),
      },
      now(),
      async (_db, _env, request) => {
        requests.push(request);
        return {
          id: promoTouch.id,
          occurredAt: at(21),
          channel: 'offline',
          campaignId: journey.campaignId,
          linkId: null,
          deviceClass: 'desktop',
          isBot: false,
        };
      },
    );
    expect(requests).toMatchObject([{ code: 'SPRING10', orderId: 'o-promo', orderValue: 50, occurredAt: at(21) }]);
    expect(recorded.attribution).toEqual([{ channel: 'offline', campaign_id: journey.campaignId, link_id: null, weight: 1 }]);
    const detail = await json(await call('GET', `/api/v1/conversions/${recorded.id}`));
    expect(detail.touches.map((t: any) => [t.type, t.weights.position])).toEqual([
      ['click', 0.4],
      ['scan', 0.1],
      ['click', 0.1],
      ['promo_redemption', 0.4],
    ]);
    expect(detail.promo_code).toBe('SPRING10');
  });
});

describe('POST /api/v1/conversions validation and access', () => {
  it.each([
    [{}, 'type: '],
    [{ type: '' }, 'type: '],
    [{ type: 'sale!' }, 'type: '],
    [{ type: 'sale', value: -1, currency: 'EUR' }, 'value: '],
    [{ type: 'sale', value: 'ten', currency: 'EUR' }, 'value: '],
    [{ type: 'sale', value: 10 }, 'currency: required when value is given'],
    [{ type: 'sale', currency: 'EUR' }, 'value: required when currency is given'],
    [{ type: 'sale', value: 10, currency: 'EURO' }, 'currency: must be a three-letter ISO 4217 code'],
    [{ type: 'sale', value: 10, currency: 'XQQ' }, 'currency: is not an ISO 4217 currency code'],
    [{ type: 'sale', occurred_at: 'yesterday' }, 'occurred_at: '],
    [{ type: 'sale', occurred_at: iso(30) }, 'occurred_at: must not be in the future'],
    [{ type: 'sale', order_id: '' }, 'order_id: '],
    [{ type: 'sale', click_id: 'x'.repeat(65) }, 'click_id: '],
    [{ type: 'sale', promo_code: 7 }, 'promo_code: '],
    [{ type: 'sale', customer_ref: '' }, 'customer_ref: '],
    [{ type: 'sale', coupon: 'X' }, 'unknown field: coupon'],
  ])('refuses %j with 400', async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const error = (await json(response)).error;
    expect(error.code).toBe('validation_error');
    expect(error.message).toContain(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await call('POST', '/api/v1/conversions', { rawBody: '{nope' });
    expect(response.status).toBe(400);
  });

  it('answers 401 without a key and 403 without the scope', async () => {
    expect((await post({ type: 'lead' }, null)).status).toBe(401);
    expect((await post({ type: 'lead' }, await makeKey(['reports:read']))).status).toBe(403);
    expect((await post({ type: 'lead' }, await makeKey(['conversions:write']))).status).toBe(201);
  });

  it('guards GET /:id with 401, 403 and 404', async () => {
    expect((await call('GET', '/api/v1/conversions/cnv_X', { key: null })).status).toBe(401);
    expect((await call('GET', '/api/v1/conversions/cnv_X', { key: await makeKey(['links:write']) })).status).toBe(403);
    expect((await call('GET', '/api/v1/conversions/cnv_X')).status).toBe(404);
  });
});
