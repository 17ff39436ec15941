/**
 * Routing by `Host`: every request learns whether its host is the installation's own, a branded domain or unknown
 * (services/domains.ts). A branded host serves only its short links (answered here, so no other route — redeem page,
 * dashboard — can take a path there) and its well-known app-link files; the redirect and the well-known files answer
 * 404 on an unknown host. The own host keeps every route.
 */
import { createMiddleware } from 'hono/factory';
import { APPLE_APP_SITE_ASSOCIATION_PATH, ASSETLINKS_PATH } from '../../domain/app-links';
import { hostOf } from '../../domain/domains';
import { CUSTOM_SLUG_PATTERN } from '../../domain/links';
import type { AppEnv } from '../../env';
import { routeHost } from '../../services/domains';
import { unknownLinkPage } from '../../views/message-page';
import { answerShortLink } from './redirect';

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
  // A slug is what links accept (CUSTOM_SLUG_PATTERN, the same as the own host's SLUG_ROUTE).
  const slug = path.slice(1);
  if (CUSTOM_SLUG_PATTERN.test(slug) && (c.req.method === 'GET' || c.req.method === 'HEAD')) return answerShortLink(c, slug);
  return c.html(unknownLinkPage(), 404, { 'Cache-Control': 'no-store' });
});
