/** Retention: raw event rows older than a cutoff are deleted in small slices; the rollups keep their counts. */
import type { Db } from './client';
import { touchDbs } from './shards';

/** Raw event tables and their time column. Rollup tables are not listed: reports keep their history. */
export const RAW_EVENT_TABLES = [
  { table: 'touches', column: 'occurred_at' },
  { table: 'email_opens', column: 'occurred_at' },
  { table: 'orphan_visits', column: 'occurred_at' },
  { table: 'code_entries', column: 'occurred_at' },
] as const;

/**
 * Deletes up to `slice` rows older than `cutoff` from each raw table, `slices` times at most (per touch
 * shard for touches); rows deleted per table.
 */
export async function deleteExpiredEvents(db: Db, cutoff: string, slice = 5000, slices = 10): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, column } of RAW_EVENT_TABLES) {
    deleted[table] = 0;
    for (const shard of table === 'touches' ? touchDbs(db) : [db]) {
      for (let i = 0; i < slices; i++) {
        const { results } = await shard.d1
          .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ?1 LIMIT ?2) RETURNING 1`)
          .bind(cutoff, slice)
          .all();
        deleted[table] += results.length;
        if (results.length < slice) break;
      }
    }
  }
  return deleted;
}
