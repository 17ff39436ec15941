/**
 * Records touches after the response: enriches the request facts captured on
 * the hot path (agent, geo, referrer, visitor hash) and hands the row to the
 * coalescing buffer, which writes to D1, or to the touch queue when bound.
 */
import { createDb, type Db } from '../db/client';
import { insertOrphanVisits, insertTouches } from '../db/touches';
import type { NewTouch } from '../db/schema';
import { describeAgent } from '../domain/agents';
import type { Channel, TouchType } from '../domain/vocab';
import type { UtmValues } from '../domain/utm';
import { hashSecret, type Bindings } from '../env';
import { hmacHex } from './crypto';
import { newId } from './ids';
import { toIso } from './time';
import { clientIp } from './client';
import { hashedVisitorId } from './visitor';
import { WriteBuffer } from './write-buffer';
import { REATTRIBUTION_BATCH, reattributePending } from '../services/late-touches';

/** What the hot path captures of a request: plain values, cheap to take. */
export interface RequestFacts {
  method: string;
  userAgent: string;
  referer: string | null;
  ip: string;
  country: string | null;
  region: string | null;
  city: string | null;
}

/** Takes the request facts without parsing anything. */
export function captureFacts(request: Request, env: Pick<Bindings, 'TRUST_CLIENT_IP_HEADER'>): RequestFacts {
  const cf = (request as { cf?: IncomingRequestCfProperties }).cf;
  return {
    method: request.method,
    userAgent: request.headers.get('User-Agent') ?? '',
    referer: request.headers.get('Referer'),
    ip: clientIp(request.headers, env),
    country: (cf?.country as string | undefined) ?? null,
    region: cf?.region ?? null,
    city: cf?.city ?? null,
  };
}

export interface TouchEvent {
  id: string;
  type: TouchType;
  occurredAt: number;
  campaignId: string | null;
  linkId: string | null;
  channel: Channel;
  visitorId: string | null;
  /** The email tool's recipient id from `?rid=`; stored only as a keyed hash. */
  rid?: string | null;
  /** The referrer of a `/r/:code` visit: the keyed hash of their customer_ref, as stored on the referral. */
  referrerHash?: string | null;
  utm: UtmValues;
  facts: RequestFacts;
}

const MAX_RID_LENGTH = 200;

/** Keyed hash of a recipient id; null when absent or implausible. */
export async function hashRid(env: Bindings, rid: string | null | undefined): Promise<string | null> {
  if (!rid || rid.length > MAX_RID_LENGTH) return null;
  return hmacHex(hashSecret(env), `rid:${rid}`);
}

const referrerHost = (referer: string | null): string | null => {
  if (!referer) return null;
  try {
    return new URL(referer).hostname || null;
  } catch {
    return null;
  }
};

/** Turns a touch event into its stored row; cookieless visitors get their hashed id here. */
export async function toTouchRow(env: Bindings, event: TouchEvent): Promise<NewTouch> {
  const agent = describeAgent(event.facts.userAgent, event.facts.method);
  const visitorId =
    event.visitorId ?? (await hashedVisitorId(hashSecret(env), event.facts.ip, event.facts.userAgent, event.occurredAt));
  return {
    id: event.id,
    type: event.type,
    occurred_at: toIso(event.occurredAt),
    campaign_id: event.campaignId,
    link_id: event.linkId,
    channel: event.channel,
    visitor_id: visitorId,
    visitor_kind: event.visitorId ? 'cookie' : 'hash',
    device_class: agent.deviceClass,
    os: agent.os,
    browser: agent.browser,
    is_bot: agent.isBot ? 1 : 0,
    bot_reason: agent.botReason,
    user_agent: event.facts.userAgent.slice(0, 512) || null,
    rid_hash: await hashRid(env, event.rid),
    country: event.facts.country,
    region: event.facts.region,
    city: event.facts.city,
    referrer_host: referrerHost(event.facts.referer),
    utm_source: event.utm.utm_source ?? null,
    utm_medium: event.utm.utm_medium ?? null,
    utm_campaign: event.utm.utm_campaign ?? null,
    referrer_hash: event.referrerHash ?? null,
  };
}

const touchBuffer = new WriteBuffer<NewTouch>();

/**
 * Writes touch rows: through the queue when one is bound, else straight to D1 — and then attributes
 * again the conversions these touches (or earlier ones) arrived too late for.
 */
export async function writeTouches(env: Bindings, rows: NewTouch[]): Promise<void> {
  if (env.TOUCH_QUEUE) {
    // A queue batch takes at most 100 messages.
    for (let i = 0; i < rows.length; i += 100) await env.TOUCH_QUEUE.sendBatch(rows.slice(i, i + 100).map((body) => ({ body })));
  } else {
    const db = createDb(env.DB);
    const pending = await insertTouches(db, rows, REATTRIBUTION_BATCH);
    if (pending.length > 0) await reattributePending(db, env, pending, Date.now());
  }
}

/**
 * Records one touch (pass the promise to waitUntil). It resolves once the row
 * is stored when this request carries the batch, or once the row has joined
 * the batch another request of this isolate is about to write.
 */
export async function recordTouch(env: Bindings, event: TouchEvent): Promise<void> {
  const row = await toTouchRow(env, event);
  await touchBuffer.add(row, (rows) => writeTouches(env, rows), Number(env.TOUCH_FLUSH_MS ?? 200));
}

/** Records a request for a slug that does not exist. */
export async function recordOrphanVisit(db: Db, slug: string, now: number, facts: RequestFacts): Promise<void> {
  const agent = describeAgent(facts.userAgent, facts.method);
  await insertOrphanVisits(db, [
    {
      id: newId('orphan', now),
      slug,
      occurred_at: toIso(now),
      is_bot: agent.isBot ? 1 : 0,
      bot_reason: agent.botReason,
      device_class: agent.deviceClass,
      referrer_host: referrerHost(facts.referer),
      country: facts.country,
    },
  ]);
}
