/**
 * `POST /hooks/shopify/:id`, `/hooks/woocommerce/:id`, `/hooks/stripe/:id`: order webhooks from the shop
 * platforms, authenticated by the platform's signature over the raw body (services/shop-hooks.ts), not by an
 * API key — so they live outside /api/v1. Errors answer in the usual envelope.
 */
import { Hono } from 'hono';
import { INTEGRATION_PLATFORMS, type IntegrationPlatform } from '../../domain/vocab';
import type { AppEnv } from '../../env';
import { notFound } from '../../lib/errors';
import { receiveShopHook } from '../../services/shop-hooks';

export const shopHooks = new Hono<AppEnv>();

const isPlatform = (value: string): value is IntegrationPlatform => (INTEGRATION_PLATFORMS as readonly string[]).includes(value);

shopHooks.post('/hooks/:platform/:id', async (c) => {
  const platform = c.req.param('platform');
  if (!isPlatform(platform)) throw notFound('Integration');
  const body = new Uint8Array(await c.req.arrayBuffer());
  const answer = await receiveShopHook(c.var.db, c.env, { platform, integrationId: c.req.param('id'), body, headers: c.req.raw.headers }, c.var.now());
  return c.json(answer, 200);
});
