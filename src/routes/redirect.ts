/**
 * The hot path: `GET /:slug` answers 302 from the slug cache and records the
 * touch after the response. No D1 read for a cached link, no await on a write.
 */
import { Hono } from 'hono';
import { findLinkBySlug } from '../db/links';
import { isGone, planRedirect, toRedirectTarget, touchChannel } from '../domain/redirect';
import type { AppEnv } from '../env';
import { newId } from '../lib/ids';
import { redirectCache } from '../lib/link-cache';
import { captureFacts, recordOrphanVisit, recordTouch } from '../lib/touch-recorder';
import { decideVisitor } from '../lib/visitor';
import { goneLinkPage, unknownLinkPage } from '../ui/message-page';

export const SLUG_ROUTE = '/:slug{[A-Za-z0-9_-]{3,64}}';

const cacheTtlMs = (env: AppEnv['Bindings']): number => Number(env.LINK_CACHE_TTL_SECONDS ?? 30) * 1000;

export const redirect = new Hono<AppEnv>();

redirect.get(SLUG_ROUTE, async (c) => {
  const slug = c.req.param('slug');
  const now = c.var.now();
  const target = await redirectCache.get(slug, now, cacheTtlMs(c.env), async () => {
    const link = await findLinkBySlug(c.var.db, slug);
    return link ? toRedirectTarget(link, link.campaignUtm, link.campaignStatus) : null;
  });
  if (!target) {
    c.executionCtx.waitUntil(recordOrphanVisit(c.var.db, slug, now, captureFacts(c.req.raw)).catch(logFailure));
    return c.html(unknownLinkPage(), 404, { 'Cache-Control': 'no-store' });
  }
  if (isGone(target, now)) return c.html(goneLinkPage(), 410, { 'Cache-Control': 'no-store' });

  const clickId = newId('click', now);
  const queryAt = c.req.url.indexOf('?');
  const search = queryAt >= 0 ? new URLSearchParams(c.req.url.slice(queryAt + 1)) : null;
  const plan = planRedirect(target, clickId, search);
  const visitor = decideVisitor(c, now);

  c.executionCtx.waitUntil(
    recordTouch(c.env, {
      id: clickId,
      type: plan.touchType,
      occurredAt: now,
      campaignId: target.campaignId,
      linkId: target.linkId,
      channel: touchChannel(target, plan.touchType, plan.utm),
      visitorId: visitor.id,
      rid: search?.get('rid'),
      utm: plan.utm,
      facts: captureFacts(c.req.raw),
    }).catch(logFailure),
  );

  const headers: Record<string, string> = { Location: plan.location, 'Cache-Control': 'no-store' };
  if (visitor.setCookie) headers['Set-Cookie'] = visitor.setCookie;
  return c.body(null, 302, headers);
});

function logFailure(error: unknown): void {
  console.error('recording a visit failed', error);
}
