/**
 * `/.well-known/apple-app-site-association` and `/.well-known/assetlinks.json` of a branded domain, built from its
 * app-link settings (domain/app-links.ts): 200 application/json, no redirect; 404 where the domain has none set,
 * on the installation's own host and on an unknown host.
 */
import { Hono, type Context } from 'hono';
import type { Domain } from '../../db/domains';
import { APPLE_APP_SITE_ASSOCIATION_PATH, appleAppSiteAssociation, ASSETLINKS_PATH, assetLinks } from '../../domain/app-links';
import type { AppEnv } from '../../env';
import type { ErrorBody } from '../../lib/errors';
import { unavailable } from './redirect';

/** Seconds Apple's CDN and Android's verifier may keep a file: a change shows within five minutes. */
const MAX_AGE_SECONDS = 300;

function wellKnownFile(c: Context<AppEnv>, render: (domain: Domain) => string | null, what: string): Response {
  const host = c.var.host;
  if (host.kind === 'unavailable') return unavailable(c);
  const body = host.kind === 'branded' ? render(host.domain) : null;
  if (body === null) {
    return c.json<ErrorBody>({ error: { code: 'not_found', message: `No ${what} app is set for this host (PUT /api/v1/domains/{id}/app-links)` } }, 404, {
      'Cache-Control': 'no-store',
    });
  }
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}` } });
}

export const wellKnown = new Hono<AppEnv>();

wellKnown.get(APPLE_APP_SITE_ASSOCIATION_PATH, (c) => wellKnownFile(c, (domain) => domain.apple && appleAppSiteAssociation(domain.apple), 'iOS'));

wellKnown.get(ASSETLINKS_PATH, (c) => wellKnownFile(c, (domain) => domain.android && assetLinks(domain.android), 'Android'));
