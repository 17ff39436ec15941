/** Outgoing webhook test helpers: the Node receiver (test/support/webhook-receiver.global.ts) and an independent Standard Webhooks verifier. */
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { Bindings } from '../../src/env';
import { call, json } from '../helpers';

/** Bindings that let endpoints use the loopback receiver (as `npm start` does). */
export const LOOPBACK = { WEBHOOK_ALLOW_LOOPBACK: 'true' } as const;
export const loopbackEnv = (): Bindings => ({ ...(env as Bindings), ...LOOPBACK });

export interface Received {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** A fresh hook on the receiver answering `statuses` in turn (the last repeats); returns its URL. */
export async function receiver(statuses: number[] = [200], delayMs = 0): Promise<{ url: string; requests: () => Promise<Received[]> }> {
  const base = inject('webhookReceiver');
  const name = `h${crypto.randomUUID()}`;
  await fetch(`${base}/scripts/${name}`, { method: 'PUT', body: JSON.stringify({ statuses, delay_ms: delayMs }) });
  return {
    url: `${base}/hooks/${name}`,
    requests: async () => ((await (await fetch(`${base}/scripts/${name}`)).json()) as { requests: Received[] }).requests,
  };
}

/** Verifies a received request as a consumer would, from the specification alone: the signature it should carry. */
export async function expectedSignature(secret: string, request: Received): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed)));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

/** Creates an endpoint through the API (loopback allowed) and returns its JSON, secret included. */
export async function makeEndpoint(url: string, events: string[], now?: () => number): Promise<any> {
  const response = await call('POST', '/api/v1/webhooks', { body: { url, events }, env: LOOPBACK, now });
  if (response.status !== 201) throw new Error(`endpoint: ${response.status} ${await response.text()}`);
  return json(response);
}

/** The endpoint's delivery log. */
export async function deliveriesOf(endpointId: string): Promise<any[]> {
  return (await json(await call('GET', `/api/v1/webhooks/${endpointId}/deliveries`))).data;
}

/** Storage is shared by a file's tests: each test starts with no endpoint (an earlier one would receive its events). */
export async function clearWebhooks(): Promise<void> {
  await env.DB.batch([env.DB.prepare('DELETE FROM webhook_deliveries'), env.DB.prepare('DELETE FROM webhook_endpoints')]);
}
