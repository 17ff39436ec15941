/** The Webhooks page in Chromium against `npm start` (which allows loopback targets): add an endpoint, test it, replay it, verified by a Node receiver. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, signedInSession, type Worker } from './harness';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;
let receiver: Server;
let secret = '';
const received: Array<{ id: string; type: string; verified: boolean }> = [];

/** A receiver verifying each request as the README shows. */
function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${id}.${req.headers['webhook-timestamp']}.${body}`)
        .digest();
      const given = Buffer.from(String(req.headers['webhook-signature']).replace(/^v1,/, ''), 'base64');
      received.push({ id, type: JSON.parse(body).type, verified: given.length === expected.length && timingSafeEqual(given, expected) });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`)));
}

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  receiver?.close();
  await session?.stop();
});

describe('webhooks page in Chromium', () => {
  it('adds an endpoint showing its secret once, sends a signed test and replays it with the same webhook-id', async () => {
    const url = await startReceiver();
    await page.goto(`${worker.base}/`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(`${worker.base}/settings/webhooks`);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('URL').fill(url);
    await page.getByLabel('link.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    secret = (await page.locator('#new-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: `Send test: ${url}` }).click();
    await page.waitForURL(/done=tested/);
    await expect(page.locator('[data-delivery] td[data-label="State"]').first().textContent()).resolves.toBe('succeeded');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(received).toEqual([{ id: expect.stringMatching(/^msg_/), type: 'webhook.test', verified: true }]);

    await page.getByRole('button', { name: `Replay: ${received[0].id}` }).click();
    await page.waitForURL(/done=replayed/);
    expect(received).toEqual([received[0], received[0]]);
  });
});
