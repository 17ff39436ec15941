/**
 * Recomputing a period that reaches past the hot window, from D1 and the
 * archive: the current bot rules applied to its touches (in D1 through the
 * reclassify job, in the archive by rewriting the parts that change and
 * rebuilding those days' rollups from all their touches), then its conversions
 * re-attributed (optionally under another stored lookback) from D1 and archive.
 */
import type { Db } from '../db/client';
import { countQueued, queueConversionsOfDays } from '../db/pending-attributions';
import { originRebuildsDue, replaceDayRollups } from '../db/rollup-rebuild';
import type { TouchRow } from '../db/schema';
import { touchDbs } from '../db/shards';
import { touchesOfDay } from '../db/touch-archive';
import type { Bindings } from '../env';
import { ApiError } from '../lib/errors';
import { ArchiveReader, type ShardPart } from './archive-reads';
import { archivedPoolForPeriod, type ArchivedPool } from './archived-candidates';
import { reattributePending } from './late-touches';
import { classifyTouch, differs, reclassifyEvents, type ReclassifyResult } from './reclassify';
import { rewritePart } from './touch-archive';

export interface RecomputeResult extends ReclassifyResult {
  archived_touches_checked: number;
  archived_touches_changed: number;
  parts_rewritten: number;
  days_rebuilt: number;
  conversions_queued: number;
  /** Queued conversions not re-attributed within the request's budget: the cron finishes them. */
  conversions_pending: number;
}

/** How long the request re-attributes before leaving the rest to the cron. */
const REATTRIBUTION_BUDGET_MS = 20_000;

/** Late touches of an archived day held in D1 at most (they are written back to the archive every minute). */
const HOT_ROWS_OF_ARCHIVED_DAY = 50_000;

/** The touch under the current rules (the same object when nothing changes). */
function reclassified(touch: TouchRow): TouchRow {
  const stored = { id: touch.id, userAgent: touch.user_agent, isBot: touch.is_bot === 1, reason: touch.bot_reason, deviceClass: touch.device_class };
  const next = classifyTouch(stored);
  if (!next || !differs(stored, next)) return touch;
  return {
    ...touch,
    is_bot: next.isBot ? 1 : 0,
    bot_reason: next.reason as TouchRow['bot_reason'],
    device_class: next.deviceClass as TouchRow['device_class'],
  };
}

/**
 * Rebuilds the day's rollups on one touch shard (`shard`, which keeps them) from its archived touches and those it
 * holds in D1, again if a touch arrives meanwhile.
 */
async function rebuildDay(shard: Db, day: string, archived: readonly TouchRow[]): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const hot = await touchesOfDay(shard, day, HOT_ROWS_OF_ARCHIVED_DAY);
    if (await replaceDayRollups(shard, day, [...archived, ...hot], hot.length)) return;
  }
  throw new ApiError('conflict', `recompute: touches of ${day} keep arriving; its rollups were not rebuilt, try again`);
}

/**
 * Reclassifies the archived touches of the parts, shard by shard and day by day; rewrites changed parts (their
 * records on their shard) and rebuilds those days' rollups on that shard — and those of days archived before their
 * origin rollup existed (schema/0032's origin_rebuild_due). `days` counts the days rebuilt (on any shard).
 */
async function recomputeArchivedDays(db: Db, bucket: R2Bucket, reader: ArchiveReader, parts: readonly ShardPart[], range: { from: string; to: string }) {
  const tally = { checked: 0, changed: 0, parts: 0 };
  const shards = touchDbs(db);
  const due = await Promise.all(shards.map((shard) => originRebuildsDue(shard, range.from, range.to)));
  const rebuilt = new Set<string>();
  const shardDays = [...new Map(parts.map((part) => [`${part.shard} ${part.day}`, [part.shard, part.day] as const])).values()].sort(
    ([shardA, dayA], [shardB, dayB]) => shardA - shardB || (dayA < dayB ? -1 : dayA > dayB ? 1 : 0),
  );
  for (const [shard, day] of shardDays) {
    const all: TouchRow[] = [];
    let dayChanged = false;
    for (const part of parts.filter((p) => p.shard === shard && p.day === day)) {
      const before = await reader.readPartVersion(part.key);
      const after = before.rows.map(reclassified);
      const changed = after.filter((touch, i) => touch !== before.rows[i]).length;
      tally.checked += before.rows.length;
      if (changed > 0) {
        await rewritePart(shards[shard], bucket, part.key, before, after);
        tally.changed += changed;
        tally.parts += 1;
        dayChanged = true;
      }
      all.push(...after);
    }
    if (dayChanged || due[shard].has(day)) {
      await rebuildDay(shards[shard], day, all);
      rebuilt.add(day);
    }
  }
  return { ...tally, days: rebuilt.size };
}

const nextDayIso = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** Recomputes UTC days [from, to]: bot flags and rollups, then the credits of the period's conversions. */
export async function recomputePeriod(
  db: Db,
  env: Bindings,
  range: { from: string; to: string; lookbackDays: number | null },
  now: number,
): Promise<RecomputeResult> {
  const hot = await reclassifyEvents(db, { from: `${range.from}T00:00:00.000Z`, to: nextDayIso(range.to) });
  let archived = { checked: 0, changed: 0, parts: 0, days: 0 };
  let pool: ArchivedPool | null = null;
  if (env.ARCHIVE) {
    const reader = new ArchiveReader(db, env.ARCHIVE);
    archived = await recomputeArchivedDays(db, env.ARCHIVE, reader, await reader.parts(range.from, range.to), range);
  }
  const queued = await queueConversionsOfDays(db, range.from, range.to, range.lookbackDays);
  // The archived candidates of all the period's conversions, read once (after the rewrite: the current classification).
  if (env.ARCHIVE && queued.length > 0)
    pool = await archivedPoolForPeriod(db, new ArchiveReader(db, env.ARCHIVE), range.from, range.to, range.lookbackDays ?? 0);
  await reattributePending(db, env, queued, now, REATTRIBUTION_BUDGET_MS, pool);
  return {
    ...hot,
    archived_touches_checked: archived.checked,
    archived_touches_changed: archived.changed,
    parts_rewritten: archived.parts,
    days_rebuilt: archived.days,
    conversions_queued: queued.length,
    conversions_pending:
      queued.length === 0
        ? 0
        : await countQueued(
            db,
            queued.map((entry) => entry.conversionId),
          ),
  };
}
