/** Tell-a-friend fixtures: a rewarded campaign, referral links, friends' visits and sales through the Worker. */
import { env } from 'cloudflare:workers';
import { createDb } from '../../src/db/client';
import { call, DESKTOP_CHROME, json, makeCampaign, MOBILE_SAFARI } from '../helpers';

export const T0 = Date.parse('2026-03-10T12:00:00Z');
/** A clock `minutes` after T0. */
export const at = (minutes: number) => () => T0 + minutes * 60_000;
export const db = () => createDb(env.DB);

export const REWARD = { discount: '10 %', prefix: 'THX', min_order_value: 20, valid_days: 30 };

/** A campaign with a landing page and (by default) a referral reward. */
export async function rewardedCampaign(fields: Record<string, unknown> = {}): Promise<any> {
  return makeCampaign({ name: 'Friends', landing_url: 'https://shop.example/welcome?lang=de', referral_reward: REWARD, ...fields });
}

/** POST /api/v1/referrals. */
export const refer = (body: Record<string, unknown>, key?: string | null, now = at(0)) => call('POST', '/api/v1/referrals', { body, key, now });

/** The referrer's link: {code, url, …}. */
export async function referralOf(campaignId: string, customerRef: string, destination?: string): Promise<any> {
  const response = await refer({ campaign_id: campaignId, customer_ref: customerRef, ...(destination ? { destination } : {}) });
  if (response.status !== 201 && response.status !== 200) throw new Error(`referral: ${response.status} ${await response.text()}`);
  return json(response);
}

export interface Visit {
  response: Response;
  clickId: string;
  visitorId: string;
}

/** A friend opens `/r/:code` on a device (a fresh one unless `visitorId` is given). */
export async function visit(code: string, minutes: number, visitorId?: string, userAgent = MOBILE_SAFARI): Promise<Visit> {
  const headers: Record<string, string> = { 'User-Agent': userAgent, 'CF-Connecting-IP': '198.51.100.7' };
  if (visitorId) headers.Cookie = `tp_vid=${visitorId}`;
  const response = await call('GET', `/r/${code}`, { key: null, headers, now: at(minutes) });
  const location = response.headers.get('Location') ?? '';
  const cookie = response.headers.get('Set-Cookie');
  return {
    response,
    clickId: new URL(location || 'https://x.test').searchParams.get('tp_click') ?? '',
    visitorId: visitorId ?? (cookie ? cookie.slice('tp_vid='.length, cookie.indexOf(';')) : ''),
  };
}

/** POST /api/v1/conversions at `minutes`. */
export async function convert(minutes: number, fields: Record<string, unknown>, settings: Record<string, string> = {}): Promise<Response> {
  return call('POST', '/api/v1/conversions', {
    body: { type: 'sale', currency: 'EUR', occurred_at: new Date(T0 + minutes * 60_000).toISOString(), ...fields },
    now: at(minutes),
    env: settings,
  });
}

/** GET /api/v1/referrals/:code. */
export const referralDetail = async (code: string) => json(await call('GET', `/api/v1/referrals/${code}`, { now: at(600) }));

/** The logged referral outcomes, by conversion order. */
export const outcomesOf = (referralCode: string) =>
  db()
    .selectFrom('referral_conversions as c')
    .innerJoin('referrals as r', 'r.id', 'c.referral_id')
    .select(['c.outcome', 'c.value', 'c.reward_promo_id'])
    .where('r.code', '=', referralCode)
    .orderBy('c.day')
    .orderBy('c.created_at')
    .execute();

export { DESKTOP_CHROME };
