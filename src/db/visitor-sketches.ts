/**
 * Rebuilding the visitor sketches of a day from its exact visitor sets
 * (visitor_daily), for days marked stale by a touch that changed after it was
 * written (schema/0006_visitor_sketch.sql).
 */
import type { SketchCell, SketchDim } from '../domain/visitor-sketch';
import type { Db } from './client';

/** Up to `limit` stale days before `beforeDay`, oldest first. */
export async function staleSketchDays(db: Db, beforeDay: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('visitor_sketch_stale').select('day').where('day', '<', beforeDay).orderBy('day').limit(limit).execute();
  return rows.map((row) => row.day);
}

export interface DayVisitors {
  visitors: Array<Record<SketchDim, string> & { visitor_id: string }>;
  /** All touches of the day when the visitors were read: the rebuild is written only if it still holds. */
  touches: number;
}

/** The day's visitor sets and touch count, read in one batch (one consistent snapshot). */
export async function readDayVisitors(db: Db, day: string): Promise<DayVisitors> {
  const [visitors, total] = await db.d1.batch([
    db.d1.prepare('SELECT campaign_id, channel, device_class, link_id, visitor_id FROM visitor_daily WHERE day = ?1').bind(day),
    db.d1.prepare('SELECT coalesce(SUM(touches), 0) AS touches FROM touch_daily WHERE day = ?1').bind(day),
  ]);
  return { visitors: visitors.results as DayVisitors['visitors'], touches: Number((total.results[0] as { touches: number }).touches) };
}

/** About 50 KB of registers per bound JSON parameter. */
const CELLS_PER_STATEMENT = 50;

/**
 * Replaces the day's sketch cells and clears its stale mark in one batch, only
 * if the day still holds `touches` touches (no touch arrived since the read);
 * resolves to whether it did.
 */
export async function replaceDaySketches(
  db: Db,
  day: string,
  cells: readonly SketchCell[],
  touches: number,
  perStatement = CELLS_PER_STATEMENT,
): Promise<boolean> {
  const unchanged = '(SELECT coalesce(SUM(touches), 0) FROM touch_daily WHERE day = ?1) = ?2';
  const statements = [db.d1.prepare(`DELETE FROM visitor_sketch WHERE day = ?1 AND ${unchanged}`).bind(day, touches)];
  for (let i = 0; i < cells.length; i += perStatement) {
    const chunk = cells.slice(i, i + perStatement).map((c) => [c.shape, c.campaign_id, c.channel, c.device_class, c.link_id, c.registers]);
    statements.push(
      db.d1
        .prepare(
          `INSERT INTO visitor_sketch (shape, day, campaign_id, channel, device_class, link_id, registers)
           SELECT json_extract(value, '$[0]'), ?1, json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                  json_extract(value, '$[4]'), json_extract(value, '$[5]')
           FROM json_each(?3) WHERE ${unchanged}`,
        )
        .bind(day, touches, JSON.stringify(chunk)),
    );
  }
  statements.push(db.d1.prepare(`DELETE FROM visitor_sketch_stale WHERE day = ?1 AND ${unchanged}`).bind(day, touches));
  statements.push(db.d1.prepare(`SELECT ${unchanged} AS written`).bind(day, touches));
  const results = await db.d1.batch(statements);
  return (results[results.length - 1].results[0] as { written: number } | undefined)?.written === 1;
}
