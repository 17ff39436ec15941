/**
 * The bonus program's share of the cron: pending points whose return window is over become available
 * (and start to expire after expiry_days), lots past their expiry are expired first in first out, and
 * earning occasions whose booking failed are tried again. Each run does a bounded amount of work; what
 * is left waits for the next run.
 */
import { runAtomically, type Db } from '../db/client';
import { tierUpdate } from '../db/loyalty-earning';
import { advanceExpiryWatermark, findDuePending, findMembersWithDueLots, markEventAvailable } from '../db/loyalty-due';
import { expire, release } from '../db/loyalty-ledger';
import { findProgram } from '../db/loyalty-program';
import { DAY_MS } from '../domain/attribution';
import { tierWindowStart } from '../domain/loyalty-program';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { retryQueuedOccasions } from './loyalty-occasions';

/** Pending rows released, expired lots looked at (their members expired) and queued occasions retried per run at most. */
export const LOYALTY_CRON_LIMITS = { releases: 25, expiries: 25, occasions: 20 } as const;

export interface LoyaltyCronResult {
  released: number;
  expired: number;
  retried: number;
}

/** Releases due pending points (tiers follow), expires due lots, retries queued occasions; `now` injectable for tests. */
export async function runLoyaltyCron(
  db: Db,
  now: number,
  limits: Record<keyof typeof LOYALTY_CRON_LIMITS, number> = LOYALTY_CRON_LIMITS,
): Promise<LoyaltyCronResult> {
  const program = await findProgram(db);
  if (!program) return { released: 0, expired: 0, retried: 0 };
  const at = toIso(now);
  const [due, lots] = await Promise.all([findDuePending(db, at, limits.releases), findMembersWithDueLots(db, at, limits.expiries)]);
  const members = lots.members;
  if (due.length > 0) {
    const expiresAt = program.expiryDays ? toIso(now + program.expiryDays * DAY_MS) : null;
    const statements = due.flatMap(({ ledgerId, memberId }) => {
      const id = newId('ledger', now);
      const tier = tierUpdate(db, { memberId }, program.tiers, tierWindowStart(now));
      return [...release(db, ledgerId, id, at, expiresAt), markEventAvailable(db, id), ...(tier ? [tier] : [])];
    });
    await runAtomically(db, statements);
  }
  // Expired after the releases: a lot released just now expires only expiry_days later.
  await runAtomically(db, [...members.flatMap((memberId) => expire(db, memberId, newId('ledger', now), at)), advanceExpiryWatermark(db, lots.watermark)]);
  const retried = await retryQueuedOccasions(db, now, limits.occasions);
  return { released: due.length, expired: members.length, retried };
}
