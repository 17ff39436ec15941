/**
 * `POST /hooks/shopify/:id`, `/hooks/woocommerce/:id`, `/hooks/stripe/:id`: order webhooks from the shop
 * platforms, authenticated by the platform's signature over the raw body (services/shop-hooks.ts), not by an
 * API key — so they live outside /api/v1. Errors answer in the usual envelope.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { INTEGRATION_PLATFORMS, type IntegrationPlatform } from '../../domain/vocab';
import type { AppEnv } from '../../env';
import { ApiError, notFound } from '../../lib/errors';
import { receiveShopHook } from '../../services/shop-hooks';

export const shopHooks = new Hono<AppEnv>();

const isPlatform = (value: string): value is IntegrationPlatform => (INTEGRATION_PLATFORMS as readonly string[]).includes(value);

/** Far above any order the platforms send (Shopify's largest, 250 line items, stay well under 1 MB). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

const limited = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError('payload_too_large', `A webhook body is at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  },
});

shopHooks.post('/hooks/:platform/:id', limited, async (c) => {
  const platform = c.req.param('platform');
  if (!isPlatform(platform)) throw notFound('Integration');
  const body = new Uint8Array(await c.req.arrayBuffer());
  const answer = await receiveShopHook(c.var.db, c.env, { platform, integrationId: c.req.param('id'), body, headers: c.req.raw.headers }, c.var.now());
  return c.json(answer, 200);
});
