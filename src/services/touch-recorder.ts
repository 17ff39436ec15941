/**
 * Records touches after the response: enriches the request facts captured on
 * the hot path (agent, geo, referrer, visitor hash) and hands the row to the
 * coalescing buffer, which writes to D1 and keeps the rows while D1 fails —
 * up to TOUCH_BUFFER_MAX_ROWS, beyond which they go to the touch queue when
 * one is bound (its consumer writes them to D1 once D1 takes them again).
 */
import type { Db } from '../db/client';
import { mainDb } from '../db/shards';
import { insertOrphanVisits, insertTouches } from '../db/touches';
import type { NewTouch } from '../db/schema';
import { describeAgent } from '../domain/agents';
import type { Channel, TouchType } from '../domain/vocab';
import type { UtmValues } from '../domain/utm';
import { hashSecret, type Bindings } from '../env';
import { hmacHex } from '../lib/crypto';
import { noteD1Failure, noteD1Success } from '../lib/d1-health';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { clientIp } from '../lib/client';
import { hashedVisitorId } from '../lib/visitor';
import { WriteBuffer, type BufferSettings, type BufferSink, type BufferState } from '../lib/write-buffer';
import { REATTRIBUTION_BATCH, reattributePending } from './late-touches';

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
  /** The rule the visit matched and the variant it got (src/domain/link-routing.ts); after the cap or expiry: sent to the fallback. */
  rule?: string | null;
  variant?: string | null;
  afterCap?: boolean;
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
  const visitorId = event.visitorId ?? (await hashedVisitorId(hashSecret(env), event.facts.ip, event.facts.userAgent, event.occurredAt));
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
    rule: event.rule ?? null,
    variant: event.variant ?? null,
    after_cap: event.afterCap ? 1 : 0,
  };
}

/** Touches of this isolate not yet stored: plain rows, carried by whichever request is writing (see WriteBuffer). */
const touchBuffer = new WriteBuffer<NewTouch>('touches');

/** Rows the touch buffer holds at most: TOUCH_BUFFER_MAX_ROWS (default 20,000, about 30 MB of a 128 MB isolate). */
export function touchBufferMaxRows(env: Pick<Bindings, 'TOUCH_BUFFER_MAX_ROWS'>): number {
  const rows = Number(env.TOUCH_BUFFER_MAX_ROWS || 20_000);
  return Number.isInteger(rows) && rows >= 0 ? rows : 20_000;
}

/**
 * Writes touch rows: through the queue when one is bound, else straight to D1 — and then attributes
 * again the conversions these touches (or earlier ones) arrived too late for.
 */
export async function writeTouches(env: Bindings, rows: NewTouch[]): Promise<void> {
  if (env.TOUCH_QUEUE) {
    // A queue batch takes at most 100 messages.
    for (let i = 0; i < rows.length; i += 100) await env.TOUCH_QUEUE.sendBatch(rows.slice(i, i + 100).map((body) => ({ body })));
  } else {
    const db = mainDb(env);
    const pending = await insertTouches(db, rows, REATTRIBUTION_BATCH);
    // The touches are stored: a failed re-attribution leaves its conversions queued (for the next write or the cron), it does not fail the write.
    if (pending.length > 0) await reattributePending(db, env, pending, Date.now()).catch((error) => console.error('re-attributing conversions failed', error));
  }
}

/** Seconds before the queue delivers a batch again after D1 failed it: doubling from 1, at most 60. */
export const queueRetryDelaySeconds = (attempts: number): number => Math.min(60, 2 ** Math.max(0, attempts - 1));

/** The bindings without the queue: writeTouches then stores in D1. */
export const directToD1 = (env: Bindings): Bindings => ({ ...env, TOUCH_QUEUE: undefined });

/** The touch buffer writes to D1; rows beyond its bound (or outlasting a carrier while D1 fails) go to the queue when bound. */
const touchSink = (env: Bindings): BufferSink<NewTouch> => ({
  write: (rows) =>
    writeTouches(directToD1(env), rows).then(noteD1Success, (error) => {
      noteD1Failure();
      throw error;
    }),
  overflow: env.TOUCH_QUEUE ? (rows) => writeTouches(env, rows) : undefined,
});

const touchSettings = (env: Bindings): BufferSettings => ({ windowMs: Number(env.TOUCH_FLUSH_MS ?? 200), maxRows: touchBufferMaxRows(env) });

/**
 * Whether a new touch can be kept: always with a queue (overflow goes there),
 * without one while the buffer is under its bound. A plain check, no I/O —
 * the redirect asks it before acknowledging a visit.
 */
export function canKeepTouch(env: Bindings, now = Date.now()): boolean {
  if (now < stoppingUntil) return false;
  return !!env.TOUCH_QUEUE || touchBuffer.hasRoom(touchBufferMaxRows(env));
}

/** Until when this isolate refuses new visits because its process is about to stop (plain data: a timestamp). */
let stoppingUntil = 0;

/** The process is stopping (`npm start` got SIGINT): for `seconds`, new redirects answer 503 rather than acknowledge a touch the stop could lose. */
export function refuseTouchesFor(seconds: number, now = Date.now()): void {
  stoppingUntil = now + seconds * 1000;
}

/**
 * Records one touch (pass the promise to waitUntil). It resolves once the row
 * is stored when this request carries the buffer, or once the row has joined
 * the buffer a live carrier of this isolate is writing.
 */
export async function recordTouch(env: Bindings, event: TouchEvent): Promise<void> {
  const row = await toTouchRow(env, event);
  await touchBuffer.add(row, touchSink(env), touchSettings(env));
}

/** Carries the pending touches if no live carrier does (the cron, a stop): resolves when this carrier stops. */
export async function carryPendingTouches(env: Bindings): Promise<void> {
  await touchBuffer.carry(touchSink(env), { ...touchSettings(env), windowMs: 0 });
}

/** Writes every pending touch of this isolate (polling, never awaiting another request's work); false at the timeout. */
export function drainTouches(env: Bindings, timeoutMs: number): Promise<boolean> {
  return touchBuffer.drain(touchSink(env), timeoutMs);
}

/** What the touch buffer of this isolate holds and has written. */
export const touchBufferState = (): BufferState => touchBuffer.state();

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
