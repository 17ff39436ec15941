/**
 * Routing by `Host`: every request learns whether its host is the installation's own, a branded domain or unknown
 * (services/domains.ts). A branded host serves only its short links (answered here, so no other route — redeem page,
 * dashboard — can take a path there) and its well-known app-link files; the redirect and the well-known files answer
 * 404 on an unknown host. The own host keeps every route.
 */
import { createMiddleware } from 'hono/factory';
import { APPLE_APP_SITE_ASSOCIATION_PATH, ASSETLINKS_PATH } from '../../domain/app-links';
import { hostOf } from '../../domain/domains';
import type { AppEnv } from '../../env';
import { routeHost } from '../../services/domains';
import { unknownLinkPage } from '../../views/message-page';
import { answerShortLink } from './redirect';

const BRANDED_SLUG_PATH = /^\/[A-Za-z0-9_-]{3,64}$/;

export const hostRouting = createMiddleware<AppEnv>(async (c, next) => {
  try {
    c.set('host', await routeHost(c.var.db, c.env, hostOf(c.req.url), c.var.now()));
  } catch (error) {
    console.error('reading the domain of a host failed', error);
    c.set('host', { kind: 'unavailable' });
  }
  if (c.var.host.kind !== 'branded') return next();
  const path = c.req.path;
  if (path === APPLE_APP_SITE_ASSOCIATION_PATH || path === ASSETLINKS_PATH) return next();
  if (BRANDED_SLUG_PATH.test(path) && (c.req.method === 'GET' || c.req.method === 'HEAD')) return answerShortLink(c, path.slice(1));
  return c.html(unknownLinkPage(), 404, { 'Cache-Control': 'no-store' });
});
