/**
 * Signatures of shop platforms' webhooks, verified over the raw body exactly as each platform defines them:
 * Shopify (X-Shopify-Hmac-Sha256) and WooCommerce (X-WC-Webhook-Signature) send base64 HMAC-SHA256(secret, body);
 * Stripe (Stripe-Signature: `t=<unix seconds>,v1=<hex>[,v1=…]`) signs `${t}.${body}` in hex, any v1 may match,
 * and a timestamp more than 5 minutes from now is refused (a replayed capture). Comparisons take constant time.
 */
import { timingSafeEqualStrings } from './crypto';

const encoder = new TextEncoder();

/** Stripe's default tolerance between the signed timestamp and now. */
export const STRIPE_TOLERANCE_SECONDS = 300;

async function hmacBytes(secret: string, data: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** True when `header` is the base64 HMAC-SHA256 of `body` under `secret` (Shopify, WooCommerce). */
export async function verifyBase64Hmac(secret: string, body: Uint8Array, header: string | null | undefined): Promise<boolean> {
  if (!header) return false;
  return timingSafeEqualStrings(toBase64(await hmacBytes(secret, body)), header.trim());
}

/** True when one `v1` of a Stripe-Signature header signs `body` under `secret` at a `t` within the tolerance of `nowMs`. */
export async function verifyStripeSignature(secret: string, body: Uint8Array, header: string | null | undefined, nowMs: number): Promise<boolean> {
  if (!header) return false;
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't') timestamp = value;
    else if (name === 'v1') signatures.push(value);
  }
  if (timestamp === null || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > STRIPE_TOLERANCE_SECONDS) return false;
  const signed = new Uint8Array(await new Blob([`${timestamp}.`, body]).arrayBuffer());
  const expected = toHex(await hmacBytes(secret, signed));
  // Every candidate is compared, so the time taken does not say which one matched.
  let matched = false;
  for (const signature of signatures) if (timingSafeEqualStrings(expected, signature)) matched = true;
  return matched;
}
