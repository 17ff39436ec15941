/**
 * The re-attribution queue (schema/0010): conversions a touch arrived too late
 * for, read by the touch writer and the cron, and the guarded batch that
 * replaces a queued conversion's credits.
 */
import { conversionRowStatements, type ConversionRows, type RowGuard } from './conversions';
import { runAtomically, type Db } from './client';
import { onEveryConversionShard } from './shards';

/** The queue entry a re-attribution read is still the current one (no other run replaced it, no touch came since). */
const queueEntryCurrent = (id: string, version: number): RowGuard => ({
  sql: 'EXISTS (SELECT 1 FROM pending_attributions WHERE conversion_id = ?2 AND version = ?3)',
  params: [id, version],
});

/** A conversion queued for re-attribution by a touch written after it (schema/0010). */
export interface PendingAttribution {
  conversionId: string;
  version: number;
  /** The conversion shard whose queue holds it (its index among conversionDbs); absent: the main database. */
  shard?: number;
}

const PENDING_SQL = 'SELECT conversion_id AS conversionId, version FROM pending_attributions ORDER BY attempts, conversion_id LIMIT ?1';

/** The read of queued conversions, to run inside another batch (the touch writer's). */
export const pendingAttributionsStatement = (db: Db, limit: number): D1PreparedStatement => db.d1.prepare(PENDING_SQL).bind(limit);

/** Up to `limit` conversions waiting for re-attribution on each conversion shard, tagged with their shard. */
export async function findPendingAttributions(db: Db, limit: number): Promise<PendingAttribution[]> {
  const perShard = await onEveryConversionShard(db, async (shard, index) =>
    (await pendingAttributionsStatement(shard, limit).all<PendingAttribution>()).results.map((item) => (index === 0 ? item : { ...item, shard: index })),
  );
  return perShard.flat();
}

export interface CreditReplacement extends ConversionRows {
  conversionId: string;
  /** The queue entry's version read before attributing: the write happens only while it is still the current one. */
  version: number;
  /** Visitors this re-attribution stitches to the customer for the first time: the customer's other conversions are queued too. */
  newlyStitched: boolean;
  /** Statements run first that bring the conversion's archived credits back to D1 (services/credit-archive.ts), if any. */
  restore?: readonly D1PreparedStatement[];
}

/**
 * Replaces a conversion's credits (the rollups follow through the credit
 * triggers), adds the visitors and identity links found since, and takes it off
 * the queue — one D1 batch, and only while the queue entry read is still the
 * current one: a concurrent run that saw more, or a touch stored meanwhile,
 * wins, and this write changes nothing. Resolves to whether it wrote.
 */
export async function replaceCredits(db: Db, replacement: CreditReplacement): Promise<boolean> {
  const id = replacement.conversionId;
  const guard = queueEntryCurrent(id, replacement.version);
  const restore = replacement.restore ?? [];
  const statements: D1PreparedStatement[] = [
    ...restore,
    db.d1
      .prepare(`DELETE FROM conversion_paths WHERE conversion_id = ?1 AND ${guard.sql.replaceAll('?2', '?1').replaceAll('?3', '?2')}`)
      .bind(id, replacement.version),
    ...conversionRowStatements(db, id, replacement, guard),
  ];
  if (replacement.newlyStitched && replacement.customerHash) {
    // A visitor newly linked to the customer: the customer's other conversions may now find its touches.
    statements.push(
      db.d1
        .prepare(
          `INSERT INTO pending_attributions (conversion_id)
           SELECT id FROM conversions WHERE customer_hash = ?1 AND id <> ?2
             AND EXISTS (SELECT 1 FROM pending_attributions WHERE conversion_id = ?2 AND version = ?3)
           ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1`,
        )
        .bind(replacement.customerHash, id, replacement.version),
    );
  }
  statements.push(clearPendingStatement(db, id, replacement.version));
  const results = await runAtomically(db, statements);
  return (results[restore.length].meta.changes ?? 0) > 0 || (results[results.length - 1].meta.changes ?? 0) > 0;
}

/** Queues a conversion for re-attribution (again); resolves to its queue entry's version. */
export async function queueAttribution(db: Db, conversionId: string): Promise<PendingAttribution> {
  const row = await db.d1
    .prepare('INSERT INTO pending_attributions (conversion_id) VALUES (?1) ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1 RETURNING version')
    .bind(conversionId)
    .first<{ version: number }>();
  return { conversionId, version: row?.version ?? 1 };
}

/** Counts a failed re-attribution of a queued conversion: the queue is worked fewest failures first. */
export async function notePendingFailure(db: Db, conversionId: string): Promise<void> {
  await db.d1.prepare('UPDATE pending_attributions SET attempts = attempts + 1 WHERE conversion_id = ?1').bind(conversionId).run();
}

const clearPendingStatement = (db: Db, conversionId: string, version: number): D1PreparedStatement =>
  db.d1.prepare('DELETE FROM pending_attributions WHERE conversion_id = ?1 AND version = ?2').bind(conversionId, version);

/** Takes a conversion off the re-attribution queue (it no longer exists), unless it was queued again since. */
export async function clearPendingAttribution(db: Db, conversionId: string, version: number): Promise<void> {
  await clearPendingStatement(db, conversionId, version).run();
}

/**
 * Queues every conversion of UTC days [fromDay, toDay] for re-attribution, first
 * storing `lookbackDays` as their lookback when given (one batch); the entries queued.
 */
export async function queueConversionsOfDays(db: Db, fromDay: string, toDay: string, lookbackDays: number | null): Promise<PendingAttribution[]> {
  const perShard = await onEveryConversionShard(db, async (shard, index) =>
    (await queueShardConversionsOfDays(shard, fromDay, toDay, lookbackDays)).map((item) => (index === 0 ? item : { ...item, shard: index })),
  );
  return perShard.flat();
}

async function queueShardConversionsOfDays(db: Db, fromDay: string, toDay: string, lookbackDays: number | null): Promise<PendingAttribution[]> {
  const statements = [
    db.d1
      .prepare(
        `INSERT INTO pending_attributions (conversion_id)
         SELECT id FROM conversions WHERE day >= ?1 AND day <= ?2
         ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1
         RETURNING conversion_id AS conversionId, version`,
      )
      .bind(fromDay, toDay),
  ];
  if (lookbackDays !== null) {
    statements.unshift(db.d1.prepare('UPDATE conversions SET lookback_days = ?3 WHERE day >= ?1 AND day <= ?2').bind(fromDay, toDay, lookbackDays));
  }
  const results = await db.d1.batch(statements);
  return results[results.length - 1].results as PendingAttribution[];
}

/** How many of `conversionIds` are still queued (on every conversion shard). */
export async function countQueued(db: Db, conversionIds: readonly string[]): Promise<number> {
  const counts = await onEveryConversionShard(db, (shard) => countShardQueued(shard, conversionIds));
  return counts.reduce((sum, n) => sum + n, 0);
}

async function countShardQueued(db: Db, conversionIds: readonly string[]): Promise<number> {
  const row = await db.d1
    .prepare('SELECT COUNT(*) AS n FROM pending_attributions WHERE conversion_id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(conversionIds))
    .first<{ n: number }>();
  return Number(row?.n ?? 0);
}
