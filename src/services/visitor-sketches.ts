/**
 * The cron's sketch repair: a day whose touches changed after they were
 * written (scanner bursts, reclassification) gets its visitor sketches rebuilt
 * from the exact visitor sets once the day is over, so estimates drop visitors
 * that turned out to be bots.
 */
import type { Db } from '../db/client';
import { readDayVisitors, replaceDaySketches, staleSketchDays } from '../db/visitor-sketches';
import { sketchCellsOf } from '../domain/visitor-sketch';
import { toIso } from '../lib/time';

/** Days rebuilt per run at most (the cron runs every minute). */
const DAYS_PER_RUN = 7;

/** Rebuilds stale days before today (UTC); the days rebuilt. A day written to meanwhile stays stale for the next run. */
export async function rebuildStaleSketches(db: Db, now: number, limit = DAYS_PER_RUN): Promise<string[]> {
  const rebuilt: string[] = [];
  for (const day of await staleSketchDays(db, toIso(now).slice(0, 10), limit)) {
    const { visitors, touches } = await readDayVisitors(db, day);
    if (await replaceDaySketches(db, day, sketchCellsOf(visitors), touches)) rebuilt.push(day);
  }
  return rebuilt;
}
