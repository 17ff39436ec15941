/** Shared set-up of the shop webhook tests: integrations through the API, deliveries signed as each platform signs them, and a real click. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { call, DESKTOP_CHROME, json, makeCampaign, makeLink } from '../helpers';

const encoder = new TextEncoder();

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

/** base64 HMAC-SHA256 of the body: Shopify's X-Shopify-Hmac-Sha256 and WooCommerce's X-WC-Webhook-Signature. */
export const base64Signature = async (secret: string, body: string): Promise<string> => btoa(String.fromCharCode(...(await hmac(secret, body))));

/** A Stripe-Signature header for `body` at unix second `t`. */
export async function stripeSignature(secret: string, body: string, t: number): Promise<string> {
  const hex = [...(await hmac(secret, `${t}.${body}`))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `t=${t},v1=${hex}`;
}

/** Creates an integration through the API; fails the test unless it is created. */
export async function makeIntegration(platform: string, secret: string, name = `${platform} shop`): Promise<any> {
  const response = await call('POST', '/api/v1/integrations', { body: { platform, name, secret } });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

/** Posts a raw body to an integration's webhook path. */
export const deliver = (platform: string, id: string, body: string, headers: Record<string, string>, now?: () => number) =>
  call('POST', `/hooks/${platform}/${id}`, { key: null, rawBody: body, headers: { 'Content-Type': 'application/json', ...headers }, now });

/** A click on a fresh link of a fresh campaign: the campaign, the link and the tp_click the landing page received. */
export async function clickOnLink(utm: Record<string, string> = { utm_source: 'newsletter', utm_medium: 'email' }, now?: () => number) {
  const campaign = await makeCampaign({ name: `Hooks ${crypto.randomUUID().slice(0, 8)}` });
  const link = await makeLink({ campaign_id: campaign.id, ...utm });
  const response = await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME }, now });
  expect(response.status).toBe(302);
  const clickId = new URL(response.headers.get('Location')!).searchParams.get('tp_click')!;
  return { campaign, link, clickId };
}

/** Creates a vanity promo code of a fresh campaign. */
export async function makePromo(code: string): Promise<{ campaign: any; promo: any }> {
  const campaign = await makeCampaign({ name: `Promo ${code}` });
  const response = await call('POST', '/api/v1/promo-codes', { body: { campaign_id: campaign.id, code } });
  expect(response.status, await response.clone().text()).toBe(201);
  return { campaign, promo: await json(response) };
}

/** The conversion stored for an order id, or null. */
export const conversionOf = (orderId: string) =>
  env.DB.prepare(
    'SELECT id, type, value, currency, refunded, click_id, customer_hash, promo_code, promo_touch_id, occurred_at FROM conversions WHERE order_id = ?',
  )
    .bind(orderId)
    .first<any>();

/** How many conversions have an order id starting with `prefix`. */
export const conversionsLike = async (prefix: string): Promise<number> =>
  (await env.DB.prepare('SELECT count(*) AS n FROM conversions WHERE substr(order_id, 1, length(?1)) = ?1').bind(prefix).first<{ n: number }>())!.n;

/** The last-touch credit rows of a conversion. */
export const lastTouchCredits = (conversionId: string) =>
  env.DB.prepare(
    "SELECT channel, campaign_id, link_id, weight, revenue, currency FROM conversion_credits WHERE conversion_id = ? AND model = 'last_touch' AND weight > 0",
  )
    .bind(conversionId)
    .all<any>()
    .then((result) => result.results);
