/**
 * Attribution reaching past the hot window: a conversion whose lookback window
 * starts before the first hot day (recorded long after it happened, or
 * recomputed for an archived period) finds its candidates in D1 and in the
 * archive. Conversions inside the hot window (the usual case) cost nothing more.
 */
import type { Db } from '../db/client';
import { toStoredTouch, type ConversionContext } from '../db/conversions';
import { firstHotDay } from '../domain/archive';
import type { Bindings } from '../env';
import { ArchiveReader } from './archive-reads';
import { hotDaysSetting } from './window-settings';

export interface ContextWindow {
  clickId: string | null;
  fromIso: string;
  toIso: string;
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
): Promise<ConversionContext> {
  if (!env.ARCHIVE || window.fromIso >= firstHotDay(now, hotDaysSetting(env))) return context;
  const reader = new ArchiveReader(db, env.ARCHIVE);
  const visitors = new Set(context.visitorIds);
  const known = new Set(context.touches.map((touch) => touch.id));
  const archived = await reader.touchesOfDays(
    window.fromIso.slice(0, 10),
    window.toIso.slice(0, 10),
    (touch) =>
      !known.has(touch.id) &&
      (touch.id === window.clickId ||
        (touch.is_bot === 0 &&
          touch.visitor_id !== null &&
          visitors.has(touch.visitor_id) &&
          touch.occurred_at >= window.fromIso &&
          touch.occurred_at <= window.toIso)),
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
