/**
 * The hot path: `GET /:slug` answers 302 from the slug cache and records the
 * touch after the response. No D1 read for a cached link, no await on a write.
 */
import { Hono, type Context } from 'hono';
import { isGone, planRedirect, touchChannel, type RedirectTarget } from '../../domain/redirect';
import type { AppEnv } from '../../env';
import { newId } from '../../lib/ids';
import { lookupRedirectTarget } from '../../services/link-cache';
import { canKeepTouch, captureFacts, recordOrphanVisit, recordTouch, type RequestFacts, type TouchEvent } from '../../services/touch-recorder';
import { passesCap, routeOfVisit } from '../../services/visit-routing';
import { decideVisitor, type VisitorDecision } from '../../lib/visitor';
import { goneLinkPage, RETRY_AFTER_SECONDS, unavailablePage, unknownLinkPage } from '../../views/message-page';
import { pickLanguage } from '../../views/redeem-texts';
import { previewCardFor } from './preview-card';

export const SLUG_ROUTE = '/:slug{[A-Za-z0-9_-]{3,64}}';

/** 503 with Retry-After: the link cannot be read now, or this isolate cannot keep another touch (D1 down, buffer full, no queue). */
export function unavailable(c: Context<AppEnv>): Response {
  const headers = { 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) };
  return c.html(unavailablePage(pickLanguage(c.req.header('Accept-Language'))), 503, headers) as Response;
}

/** The 302 of a tracked visit: never cached (a second scan is a second touch), with the visitor cookie when minted. */
function trackedRedirect(location: string, visitor: VisitorDecision): Response {
  const headers: Record<string, string> = { Location: location, 'Cache-Control': 'no-store' };
  if (visitor.setCookie) headers['Set-Cookie'] = visitor.setCookie;
  return new Response(null, { status: 302, headers });
}

export const redirect = new Hono<AppEnv>();

redirect.get(SLUG_ROUTE, (c) => answerShortLink(c, c.req.param('slug')));

/** The answer to a short link on the request's host (a branded host's links are answered from routes/public/host-routing.ts). */
export async function answerShortLink(c: Context<AppEnv>, slug: string): Promise<Response> {
  const now = c.var.now();
  const host = c.var.host;
  if (host.kind === 'unknown') return c.html(unknownLinkPage(), 404, { 'Cache-Control': 'no-store' }) as Response;
  if (host.kind === 'unavailable') return unavailable(c);
  let target: RedirectTarget | null;
  try {
    target = await lookupRedirectTarget(c.var.db, c.env, slug, now, host.kind === 'branded' ? host.domain.id : null);
  } catch (error) {
    console.error(`reading link ${slug} failed`, error);
    return unavailable(c);
  }
  if (!target) {
    c.executionCtx.waitUntil(recordOrphanVisit(c.var.db, slug, now, captureFacts(c.req.raw, c.env)).catch(logFailure));
    return c.html(unknownLinkPage(), 404, { 'Cache-Control': 'no-store' }) as Response;
  }
  // An archived link was retired: 410, no touch. After the expiry or the click cap a link with a fallback URL sends its
  // visitors there, one without answers 410; either way the visit is a touch, marked after_cap (nothing a customer did
  // is lost: a printed code scanned after the campaign ended still tells the marketer it was scanned).
  const gone = () => c.html(goneLinkPage(), 410, { 'Cache-Control': 'no-store' }) as Response;
  if (target.archived) return gone();
  let afterCap = isGone(target, now);
  if (!afterCap && target.routing?.maxClicks != null) {
    if (!canKeepTouch(c.env)) return unavailable(c);
    try {
      afterCap = !(await passesCap(c.var.db, target, c.req.header('User-Agent') ?? '', c.req.method));
    } catch (error) {
      console.error(`counting a visit of capped link ${slug} failed`, error);
      return unavailable(c);
    }
  }
  const answer = afterCap && !target.routing?.fallbackUrl ? gone : previewCardFor(c, target);

  const queryAt = c.req.url.indexOf('?');
  const search = queryAt >= 0 ? new URLSearchParams(c.req.url.slice(queryAt + 1)) : null;
  return trackedVisit(
    c,
    now,
    (clickId, visitorKey, facts) => {
      const routed = routeOfVisit(target, afterCap, facts, c.req.header('Accept-Language') ?? null, search, visitorKey, now);
      const plan = planRedirect(target, clickId, search, routed.url);
      const touch = {
        rule: routed.rule,
        variant: routed.variant,
        afterCap,
        type: plan.touchType,
        campaignId: target.campaignId,
        linkId: target.linkId,
        channel: touchChannel(target, plan.touchType, plan.utm),
        rid: search?.get('rid'),
        utm: plan.utm,
      };
      return { location: plan.location, touch };
    },
    answer,
  );
}

/** What a tracked visit records besides what every visit has (id, time, visitor, request facts). */
export type VisitTouch = Omit<TouchEvent, 'id' | 'occurredAt' | 'visitorId' | 'facts'>;

/**
 * A tracked visit — the one place a redirect records its touch: acknowledged
 * (302 to the location built for its click id) only when the touch can be kept,
 * the touch recorded after the response.
 */
export function trackedVisit(
  c: Context<AppEnv>,
  now: number,
  visit: (clickId: string, visitorKey: string, facts: RequestFacts) => { location: string; touch: VisitTouch },
  /** Answers instead of the 302 (the social preview page for a link-preview bot); the touch is recorded all the same. */
  answer?: (location: string) => Response,
): Response {
  if (!canKeepTouch(c.env)) return unavailable(c);
  const clickId = newId('click', now);
  const visitor = decideVisitor(c, now);
  const facts = captureFacts(c.req.raw, c.env);
  // A/B variants stick to the visitor: its cookie id, or (cookieless) its address and agent, never stored.
  const { location, touch } = visit(clickId, visitor.id ?? `${facts.ip}|${facts.userAgent}`, facts);
  const event = { ...touch, id: clickId, occurredAt: now, visitorId: visitor.id, facts };
  c.executionCtx.waitUntil(recordTouch(c.env, event).catch(logFailure));
  return answer ? answer(location) : trackedRedirect(location, visitor);
}

function logFailure(error: unknown): void {
  console.error('recording a visit failed', error);
}
