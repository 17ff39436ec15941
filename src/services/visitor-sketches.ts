/**
 * The cron's sketch repair: a day whose touches changed after they were
 * written (scanner bursts, reclassification) gets its visitor sketches rebuilt
 * from the exact visitor sets once the day is over, so estimates drop visitors
 * that turned out to be bots.
 */
import type { Db } from '../db/client';
import { touchDbs } from '../db/shards';
import { readDayVisitors, replaceDaySketches, staleSketchDays } from '../db/visitor-sketches';
import { sketchCellsOf } from '../domain/visitor-sketch';
import { toIso } from '../lib/time';

/** Days rebuilt per run at most (the cron runs every minute). */
const DAYS_PER_RUN = 7;

/**
 * Rebuilds stale days before today (UTC) on every touch shard (each keeps its own sketches, visitor sets
 * and stale marks); the days rebuilt, shard 0's first. A day written to meanwhile stays stale for the next run.
 */
export async function rebuildStaleSketches(db: Db, now: number, limit = DAYS_PER_RUN): Promise<string[]> {
  const rebuilt: string[] = [];
  for (const shard of touchDbs(db)) {
    for (const day of await staleSketchDays(shard, toIso(now).slice(0, 10), limit)) {
      const { visitors, touches } = await readDayVisitors(shard, day);
      if (await replaceDaySketches(shard, day, sketchCellsOf(visitors), touches)) rebuilt.push(day);
    }
  }
  return rebuilt;
}
