/**
 * Vitest global setup (Node): a real HTTP receiver for outgoing webhook tests, on an ephemeral loopback port
 * (`inject('webhookReceiver')`). Each test scripts its own hook name: `PUT /scripts/<name>` with
 * `{statuses: [500, 500, 200], delay_ms?}` (the last status repeats), then the Worker POSTs to `/hooks/<name>`;
 * `GET /scripts/<name>` returns every request received there (headers, body) for the test to verify.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

declare module 'vitest' {
  export interface ProvidedContext {
    webhookReceiver: string;
  }
}

interface Script {
  statuses: number[];
  delayMs: number;
  requests: Array<{ method: string; headers: Record<string, string>; body: string }>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export default async function setup({ provide }: { provide: (key: 'webhookReceiver', value: string) => void }): Promise<() => Promise<void>> {
  const scripts = new Map<string, Script>();
  const server = createServer(async (request, response) => {
    const [, kind, name] = (request.url ?? '').split('/');
    const body = await readBody(request);
    if (kind === 'scripts' && request.method === 'PUT') {
      const input = JSON.parse(body) as { statuses?: number[]; delay_ms?: number };
      scripts.set(name, { statuses: input.statuses ?? [200], delayMs: input.delay_ms ?? 0, requests: [] });
      response.writeHead(204).end();
    } else if (kind === 'scripts' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests: scripts.get(name)?.requests ?? [] }));
    } else if (kind === 'hooks') {
      const script = scripts.get(name) ?? { statuses: [200], delayMs: 0, requests: [] };
      scripts.set(name, script);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
      script.requests.push({ method: request.method ?? '', headers, body });
      const status = script.statuses[Math.min(script.requests.length, script.statuses.length) - 1];
      if (script.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`attempt ${script.requests.length}: ${status}`);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provide('webhookReceiver', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise((resolve) => server.close(() => resolve()));
}
