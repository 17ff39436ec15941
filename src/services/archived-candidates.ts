/**
 * Attribution reaching past the hot window: a conversion whose lookback window
 * starts before the first hot day (recorded long after it happened, or
 * recomputed for an archived period) finds its candidates in D1 and in the
 * archive. Conversions inside the hot window (the usual case) cost nothing more.
 */
import type { Db } from '../db/client';
import { periodAttributionKeys } from '../db/conversions';
import { toStoredTouch, type ConversionContext } from '../db/attribution-touches';
import type { ArchivedTouch } from '../db/touch-archive';
import { firstHotDay } from '../domain/archive';
import { visitorsByShard } from '../db/shards';
import type { Bindings } from '../env';
import { ArchiveReader } from './archive-reads';
import { hotDaysSetting } from './window-settings';

/**
 * The archived touches of a set of visitors and click ids over a span of days,
 * read once for many conversions (a recompute), instead of once per conversion.
 */
export interface ArchivedPool {
  fromDay: string;
  toDay: string;
  visitorIds: ReadonlySet<string>;
  clickIds: ReadonlySet<string>;
  /** The touches by visitor, and the clicks by id. */
  byVisitor: ReadonlyMap<string, ArchivedTouch[]>;
  clicks: ReadonlyMap<string, ArchivedTouch>;
}

/** Reads the pool of the conversions of UTC days [fromDay, toDay] under a lookback of up to `lookbackDays` (at least their own). */
export async function archivedPoolForPeriod(db: Db, reader: ArchiveReader, fromDay: string, toDay: string, lookbackDays: number): Promise<ArchivedPool> {
  const keys = await periodAttributionKeys(db, fromDay, toDay);
  const windowStart = new Date(Date.parse(`${fromDay}T00:00:00Z`) - Math.max(lookbackDays, keys.longestLookback) * 86_400_000).toISOString().slice(0, 10);
  const visitorIds = new Set(keys.visitorIds);
  const clickIds = new Set(keys.clickIds);
  const touches = await reader.touchesOfDays(
    windowStart,
    toDay,
    (touch) => clickIds.has(touch.id) || (touch.visitor_id !== null && visitorIds.has(touch.visitor_id)),
  );
  const byVisitor = new Map<string, ArchivedTouch[]>();
  for (const touch of touches) {
    if (touch.visitor_id === null) continue;
    const list = byVisitor.get(touch.visitor_id);
    if (list) list.push(touch);
    else byVisitor.set(touch.visitor_id, [touch]);
  }
  return {
    fromDay: windowStart,
    toDay,
    visitorIds,
    clickIds,
    byVisitor,
    clicks: new Map(touches.filter((touch) => clickIds.has(touch.id)).map((touch) => [touch.id, touch])),
  };
}

/** Whether the pool holds every archived touch a conversion with this context and window can use. */
const poolCovers = (pool: ArchivedPool, context: ConversionContext, window: ContextWindow): boolean =>
  window.fromIso.slice(0, 10) >= pool.fromDay &&
  window.toIso.slice(0, 10) <= pool.toDay &&
  (window.clickId === null || pool.clickIds.has(window.clickId)) &&
  context.visitorIds.every((visitor) => pool.visitorIds.has(visitor));

export interface ContextWindow {
  clickId: string | null;
  fromIso: string;
  toIso: string;
}

/**
 * The touch shards whose archive can hold a conversion's candidates: those of its visitors, or every shard (null)
 * while its click id's touch is not found (its visitor, hence its shard, is not known).
 */
function archivedShards(db: Db, context: ConversionContext, window: ContextWindow): ReadonlySet<number> | null {
  if (window.clickId !== null && context.clickVisitorId === null) return null;
  return new Set(visitorsByShard(db, context.visitorIds).keys());
}

/**
 * The context with the archived touches added: the human touches of its visitors
 * in the window, and the click id's own touch. What was read from D1 (clickFound,
 * visitorTouchCount: the write's check for touches stored meanwhile) stays as read.
 */
export async function withArchivedCandidates(
  db: Db,
  env: Bindings,
  context: ConversionContext,
  window: ContextWindow,
  now: number,
  pool: ArchivedPool | null = null,
): Promise<ConversionContext> {
  if (!env.ARCHIVE || window.fromIso >= firstHotDay(now, hotDaysSetting(env))) return context;
  const visitors = new Set(context.visitorIds);
  const known = new Set(context.touches.map((touch) => touch.id));
  const wanted = (touch: ArchivedTouch) =>
    !known.has(touch.id) &&
    (touch.id === window.clickId ||
      (touch.is_bot === 0 &&
        touch.visitor_id !== null &&
        visitors.has(touch.visitor_id) &&
        touch.occurred_at >= window.fromIso &&
        touch.occurred_at <= window.toIso));
  const archived =
    pool && poolCovers(pool, context, window)
      ? [
          ...new Set([
            ...context.visitorIds.flatMap((visitor) => pool.byVisitor.get(visitor) ?? []),
            ...(window.clickId && pool.clicks.has(window.clickId) ? [pool.clicks.get(window.clickId)!] : []),
          ]),
        ].filter(wanted)
      : await new ArchiveReader(db, env.ARCHIVE).touchesOfDays(
          window.fromIso.slice(0, 10),
          window.toIso.slice(0, 10),
          wanted,
          archivedShards(db, context, window),
        );
  if (archived.length === 0) return context;
  const referred = new Set(context.referredTouchIds);
  for (const touch of archived) if (touch.referrer_hash !== null) referred.add(touch.id);
  const click = archived.find((touch) => touch.id === window.clickId);
  return {
    ...context,
    clickVisitorId: context.clickVisitorId ?? click?.visitor_id ?? null,
    touches: [...context.touches, ...archived.map(toStoredTouch)],
    referredTouchIds: referred,
  };
}
