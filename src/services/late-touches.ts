/**
 * Attribution independent of write timing. Touches are stored after the
 * redirect answers (in batches, or through the queue), so a shop may post a
 * conversion before its click is stored. A touch written after a conversion it
 * belongs to queues that conversion (schema/0010's trigger); this attributes it
 * again from everything stored by now — the same step as its first recording,
 * so it ends with the credit it would have had had it arrived after its touches.
 */
import type { Db } from '../db/client';
import { findConversionById } from '../db/conversions';
import { findStoredTouch } from '../db/attribution-touches';
import { findConversionContext } from '../db/conversion-context';
import { conversionDbs, type ConversionHome } from '../db/shards';
import { clearPendingAttribution, findPendingAttributions, notePendingFailure, replaceCredits, type PendingAttribution } from '../db/pending-attributions';
import { lookbackStart } from '../domain/attribution';
import { netValue } from '../domain/refunds';
import type { Bindings } from '../env';
import { toIso } from '../lib/time';
import { restoreArchivedCredits } from './credit-archive';
import { withArchivedCandidates, type ArchivedPool } from './archived-candidates';
import { attributeFromContext, creditRows, storedRows } from './attribute-conversion';
import { creditReferralConversion } from './referrals';

/** Conversions attributed again per run: a run rides on a touch write or a cron tick. */
export const REATTRIBUTION_BATCH = 25;

/** How long a run that rides on a touch write may take: the rest waits for the next write or the cron. */
const RIDE_BUDGET_MS = 2_000;

/**
 * Attributes the queued conversions again, one after the other, within `budgetMs`.
 * One that fails is logged and counted (the queue is worked fewest failures first),
 * and the others go on.
 */
export async function reattributePending(
  db: Db,
  env: Bindings,
  pending: readonly PendingAttribution[],
  now: number,
  budgetMs = RIDE_BUDGET_MS,
  pool: ArchivedPool | null = null,
): Promise<void> {
  const until = Date.now() + budgetMs;
  for (const item of pending) {
    if (Date.now() >= until) return;
    try {
      await reattribute(db, env, item, now, pool);
    } catch (error) {
      console.error(`re-attributing ${item.conversionId} failed`, error);
      await notePendingFailure(homeOf(db, item).db, item.conversionId).catch(() => undefined);
    }
  }
}

/** Works through the queue (the cron's backstop for runs a touch write could not finish); each entry at most once a run. */
export async function reattributeQueued(db: Db, env: Bindings, now: number, budgetMs = 20_000): Promise<number> {
  const tried = new Set<string>();
  const until = Date.now() + budgetMs;
  while (Date.now() < until) {
    const pending = (await findPendingAttributions(db, REATTRIBUTION_BATCH + tried.size)).filter((item) => !tried.has(item.conversionId));
    if (pending.length === 0) break;
    for (const item of pending) tried.add(item.conversionId);
    await reattributePending(db, env, pending, now, until - Date.now());
  }
  return tried.size;
}

/** The database whose queue holds `item`, and so its conversion: the main one, or its shard when conversions are sharded. */
const homeOf = (db: Db, item: PendingAttribution): ConversionHome => ({ index: item.shard ?? 0, db: conversionDbs(db)[item.shard ?? 0] ?? db });

async function reattribute(db: Db, env: Bindings, item: PendingAttribution, now: number, pool: ArchivedPool | null): Promise<void> {
  const { conversionId, version } = item;
  const home = homeOf(db, item);
  const conversion = await findConversionById(home.db, conversionId);
  if (!conversion) return clearPendingAttribution(home.db, conversionId, version);
  const at = Date.parse(conversion.occurred_at);
  const fromIso = toIso(lookbackStart(at, conversion.lookback_days));
  const [context, promoTouch] = await Promise.all([
    findConversionContext(
      db,
      { clickId: conversion.click_id, visitorId: conversion.visitor_id, customerHash: conversion.customer_hash },
      fromIso,
      conversion.occurred_at,
      home,
    ).then((hot) => withArchivedCandidates(db, env, hot, { clickId: conversion.click_id, fromIso, toIso: conversion.occurred_at }, now, pool)),
    conversion.promo_touch_id ? findStoredTouch(db, conversion.promo_touch_id) : Promise.resolve(null),
  ]);
  const net = netValue(conversion.value, conversion.refunded);
  const attributed = attributeFromContext(context, promoTouch, at, conversion.lookback_days, net);
  const credits = creditRows(conversionId, attributed, net);
  const rows = storedRows(context, credits, conversion.customer_hash, toIso(now), {
    clickId: conversion.click_id,
    fromIso,
    occurredAt: conversion.occurred_at,
  });
  const newlyStitched = rows.stitchVisitorIds.some((visitor) => !context.stitchedVisitorIds.includes(visitor));
  // Credits past the hot window come back to D1 in the same batch, so replacing them moves their rollups.
  const restore = await restoreArchivedCredits(home.db, env.ARCHIVE, conversion);
  const wrote = await replaceCredits(home.db, { conversionId, version, newlyStitched, restore, ...rows });
  // A late referral touch makes the sale a referred one: the hook is idempotent.
  if (wrote && attributed.mayBeReferred) await creditReferralConversion(db, env, conversionId, now, home.db);
}
