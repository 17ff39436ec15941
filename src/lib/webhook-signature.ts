/**
 * Standard Webhooks symmetric signatures: the secret is `whsec_` + base64 of random bytes; the signature is
 * `v1,` + base64 HMAC-SHA256, keyed with the decoded secret bytes, over `msg_id.timestamp.body`.
 */
const encoder = new TextEncoder();
const PREFIX = 'whsec_';

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** A fresh endpoint secret: `whsec_` + base64 of 24 random bytes. */
export const newWebhookSecret = (): string => `${PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(24)))}`;

/** The `webhook-signature` value for one attempt. */
export async function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): Promise<string> {
  const raw = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = await crypto.subtle.importKey('raw', fromBase64(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${messageId}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}
