/**
 * Rebuilding one UTC day's touch rollups from the whole day's touches (those in
 * D1 and those archived), after the touches of an archived day were classified
 * again: the cells the triggers of schema/0003, 0005, 0015, 0024 and 0032 keep for inserted
 * touches, computed in one pass and written in one batch (on the touch shard
 * that holds the day's touches: each keeps its own rollups). The visitor sketches
 * of the day are marked stale (the cron rebuilds them from visitor_daily).
 */
import { jsonInsertStatements, type Db } from './client';
import type { Database, TouchRow } from './schema';

const key = (...parts: Array<string | number>) => JSON.stringify(parts);

/** Counted cells keyed by their columns' values (a JSON array, in column order). */
function count(cells: Map<string, number>, parts: Array<string | number>): void {
  const k = key(...parts);
  cells.set(k, (cells.get(k) ?? 0) + 1);
}

const rowsOf = (cells: Map<string, number>) => [...cells].map(([k, n]) => [...(JSON.parse(k) as unknown[]), n]);

/** The day's rollup cells, as rows of their tables' columns (in the order of COLUMNS below). */
export function dayRollupCells(day: string, touches: readonly TouchRow[]) {
  const daily = new Map<string, number>();
  const hourly = new Map<string, number>();
  const facets = new Map<string, number>();
  const referrals = new Map<string, number>();
  const visitors = new Set<string>();
  const routing = new Map<string, number>();
  const routingVisitors = new Set<string>();
  const origins = new Map<string, number[]>();
  for (const t of touches) {
    const campaign = t.campaign_id ?? '';
    const link = t.link_id ?? '';
    countOrigin(origins, [day, campaign, link, t.channel, t.device_class, t.country ?? '', t.referrer_host ?? '', t.visitor_id ?? ''], t);
    count(daily, [day, campaign, link, t.channel, t.device_class, t.type, t.is_bot]);
    count(hourly, [t.occurred_at.slice(0, 13), campaign, t.channel, t.is_bot]);
    // Routed touches only, as schema/0033's trigger: [day, campaign, link, rule, variant, after_cap, type, is_bot | visitor].
    const routed = t.rule !== null || t.variant !== null || t.after_cap === 1;
    const cell = [day, campaign, link, t.rule ?? '', t.variant ?? '', t.after_cap];
    if (routed) count(routing, [...cell, t.type, t.is_bot]);
    if (t.is_bot !== 0) continue;
    if (routed && t.visitor_id !== null) routingVisitors.add(key(...cell, t.visitor_id));
    if (t.visitor_id !== null) visitors.add(key(day, t.channel, campaign, link, t.device_class, t.visitor_id));
    count(facets, [day, 'country', t.country ?? '', campaign, link, t.channel, t.device_class]);
    count(facets, [day, 'referrer', t.referrer_host ?? '', campaign, link, t.channel, t.device_class]);
    if (t.referrer_hash !== null && t.visitor_id !== null && t.campaign_id !== null) count(referrals, [t.campaign_id, t.referrer_hash, t.visitor_id]);
  }
  return {
    touch_daily: rowsOf(daily),
    touch_hourly: rowsOf(hourly),
    touch_facet_daily: rowsOf(facets),
    visitor_daily: [...visitors].map((k) => JSON.parse(k) as unknown[]),
    referral_visits: rowsOf(referrals),
    routing_daily: rowsOf(routing),
    routing_visitor_days: [...routingVisitors].map((k) => JSON.parse(k) as unknown[]),
    origin_days: [...origins].map(([k, counts]) => [...(JSON.parse(k) as unknown[]), ...counts]),
  };
}

/** A touch added to its origin row's counts: human visits, clicks, scans, code entries, bots (schema/0032). */
function countOrigin(rows: Map<string, number[]>, parts: Array<string | number>, t: TouchRow): void {
  const k = key(...parts);
  const counts = rows.get(k) ?? [0, 0, 0, 0, 0];
  const human = t.is_bot === 0 ? 1 : 0;
  counts[0] += human;
  counts[1] += human && t.type === 'click' ? 1 : 0;
  counts[2] += human && t.type === 'scan' ? 1 : 0;
  counts[3] += human && t.type === 'code_entry' ? 1 : 0;
  counts[4] += 1 - human;
  rows.set(k, counts);
}

const COLUMNS = {
  touch_daily: ['day', 'campaign_id', 'link_id', 'channel', 'device_class', 'type', 'is_bot', 'touches'],
  touch_hourly: ['hour', 'campaign_id', 'channel', 'is_bot', 'touches'],
  touch_facet_daily: ['day', 'facet', 'value', 'campaign_id', 'link_id', 'channel', 'device_class', 'visits'],
} as const;

/** The guard of every statement, from ?2: the day still holds ?4 touches in D1 (no touch of it arrived since the read). */
const UNCHANGED = '(SELECT COUNT(*) FROM touches WHERE occurred_at >= ?2 AND occurred_at < ?3) = ?4';

/**
 * Replaces the day's rollup cells with those of `touches` (every touch of the
 * day), only while D1 still holds `hotCount` touches of it; resolves to whether it did.
 */
export async function replaceDayRollups(db: Db, day: string, touches: readonly TouchRow[], hotCount: number): Promise<boolean> {
  const guard = [day, `${day}T24`, hotCount] as const;
  const onlyIf = { sql: UNCHANGED, params: guard };
  const cells = dayRollupCells(day, touches);
  const clear = (sql: string) => db.d1.prepare(`${sql} AND ${UNCHANGED}`).bind(day, ...guard);
  const statements: D1PreparedStatement[] = [
    clear('DELETE FROM touch_daily WHERE day = ?1'),
    clear("DELETE FROM touch_hourly WHERE hour >= ?1 AND hour < ?1 || 'T24'"),
    clear('DELETE FROM touch_facet_daily WHERE day = ?1'),
    clear('DELETE FROM visitor_days WHERE day = ?1'),
    clear('DELETE FROM referral_visits WHERE day = ?1'),
    clear('DELETE FROM referral_touch_visits WHERE day = ?1'),
    clear('DELETE FROM routing_daily WHERE day = ?1'),
    clear('DELETE FROM routing_visitor_days WHERE day = ?1'),
    clear('DELETE FROM origin_days WHERE day = ?1'),
  ];
  for (const table of ['touch_daily', 'touch_hourly', 'touch_facet_daily'] as const) {
    const rows = cells[table].map((values) => Object.fromEntries(COLUMNS[table].map((column, i) => [column, values[i]])));
    // touch_facet_daily has no Kysely table type (it is only read through raw SQL).
    statements.push(...jsonInsertStatements(db, table as keyof Database, COLUMNS[table] as unknown as string[], rows, { orIgnore: false, onlyIf }));
  }
  // Visitor sets through their numbered cells (schema/0022): the cells first, then the day's visitors of each.
  const cellInsert = db.d1.prepare(
    `INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
     SELECT DISTINCT json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[1]'), json_extract(value, '$[4]')
     FROM json_each(?1) WHERE ${UNCHANGED}`,
  );
  const visitorInsert = db.d1.prepare(
    `INSERT OR IGNORE INTO visitor_days (day, cell, visitor_id)
     SELECT json_extract(value, '$[0]'), c.id, json_extract(value, '$[5]')
     FROM json_each(?1) JOIN touch_cells c
       ON c.campaign_id = json_extract(value, '$[2]') AND c.link_id = json_extract(value, '$[3]')
      AND c.channel = json_extract(value, '$[1]') AND c.device_class = json_extract(value, '$[4]')
     WHERE ${UNCHANGED}`,
  );
  for (let i = 0; i < cells.visitor_daily.length; i += 500) {
    const chunk = JSON.stringify(cells.visitor_daily.slice(i, i + 500));
    statements.push(cellInsert.bind(chunk, ...guard), visitorInsert.bind(chunk, ...guard));
  }
  // Origin rows through the numbered cells (schema/0032; bots' and visitor-less touches' cells too): [day, campaign,
  // link, channel, device class, country, referring host, visitor, visits, clicks, scans, code entries, bots].
  const originCellInsert = db.d1.prepare(
    `INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
     SELECT DISTINCT json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]')
     FROM json_each(?1) WHERE ${UNCHANGED}`,
  );
  const originInsert = db.d1.prepare(
    `INSERT INTO origin_days (day, country, referrer_host, cell, visitor_id, visits, clicks, scans, code_entries, bots)
     SELECT json_extract(value, '$[0]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'), c.id, json_extract(value, '$[7]'),
            json_extract(value, '$[8]'), json_extract(value, '$[9]'), json_extract(value, '$[10]'), json_extract(value, '$[11]'),
            json_extract(value, '$[12]')
     FROM json_each(?1) JOIN touch_cells c
       ON c.campaign_id = json_extract(value, '$[1]') AND c.link_id = json_extract(value, '$[2]') AND c.channel = json_extract(value, '$[3]')
      AND c.device_class = json_extract(value, '$[4]')
     WHERE ${UNCHANGED}`,
  );
  for (let i = 0; i < cells.origin_days.length; i += 500) {
    const chunk = JSON.stringify(cells.origin_days.slice(i, i + 500));
    statements.push(originCellInsert.bind(chunk, ...guard), originInsert.bind(chunk, ...guard));
  }
  statements.push(clear('DELETE FROM origin_rebuild_due WHERE day = ?1'));
  const referral = db.d1.prepare(
    `INSERT INTO referral_visits (referral_id, day, visitor_id, visits)
     SELECT r.id, ?5, json_extract(value, '$[2]'), json_extract(value, '$[3]')
     FROM json_each(?1) JOIN referrals r ON r.campaign_id = json_extract(value, '$[0]') AND r.referrer_hash = json_extract(value, '$[1]')
     WHERE ${UNCHANGED}`,
  );
  // On a touch shard other than the main one no referral matches: its tell-a-friend visits are kept by what they carry
  // (schema/0024's trigger, whose rule this repeats).
  const shardLocalReferral = db.d1.prepare(
    `INSERT INTO referral_touch_visits (campaign_id, referrer_hash, day, visitor_id, visits)
     SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?5, json_extract(value, '$[2]'), json_extract(value, '$[3]')
     FROM json_each(?1)
     WHERE NOT EXISTS (SELECT 1 FROM referrals r WHERE r.campaign_id = json_extract(value, '$[0]') AND r.referrer_hash = json_extract(value, '$[1]'))
       AND ${UNCHANGED}`,
  );
  for (let i = 0; i < cells.referral_visits.length; i += 500) {
    const chunk = JSON.stringify(cells.referral_visits.slice(i, i + 500));
    statements.push(referral.bind(chunk, ...guard, day), shardLocalReferral.bind(chunk, ...guard, day));
  }
  statements.push(...routingStatements(db, cells, guard));
  statements.push(db.d1.prepare(`INSERT OR IGNORE INTO visitor_sketch_stale (day) SELECT ?1 WHERE ${UNCHANGED}`).bind(day, ...guard));
  statements.push(db.d1.prepare(`SELECT ${UNCHANGED} AS written`).bind(day, ...guard));
  const results = await db.d1.batch(statements);
  return (results[results.length - 1].results[0] as { written: number } | undefined)?.written === 1;
}

/** The day's routing rollups (schema/0033) through their numbered cells: cells first, then counts and visitor sets. */
function routingStatements(db: Db, cells: ReturnType<typeof dayRollupCells>, guard: readonly [string, string, number]): D1PreparedStatement[] {
  const join = `routing_cells c ON c.campaign_id = json_extract(value, '$[1]') AND c.link_id = json_extract(value, '$[2]')
      AND c.rule = json_extract(value, '$[3]') AND c.variant = json_extract(value, '$[4]') AND c.after_cap = json_extract(value, '$[5]')`;
  const cellInsert = db.d1.prepare(
    `INSERT OR IGNORE INTO routing_cells (campaign_id, link_id, rule, variant, after_cap)
     SELECT DISTINCT json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'),
            json_extract(value, '$[5]')
     FROM json_each(?1) WHERE ${UNCHANGED}`,
  );
  const countInsert = db.d1.prepare(
    `INSERT INTO routing_daily (cell, day, type, is_bot, touches)
     SELECT c.id, json_extract(value, '$[0]'), json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]')
     FROM json_each(?1) JOIN ${join} WHERE ${UNCHANGED}`,
  );
  const visitorInsert = db.d1.prepare(
    `INSERT OR IGNORE INTO routing_visitor_days (cell, day, visitor_id)
     SELECT c.id, json_extract(value, '$[0]'), json_extract(value, '$[6]')
     FROM json_each(?1) JOIN ${join} WHERE ${UNCHANGED}`,
  );
  const statements: D1PreparedStatement[] = [];
  for (const [rows, insert] of [
    [cells.routing_daily, countInsert],
    [cells.routing_visitor_days, visitorInsert],
  ] as const) {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = JSON.stringify(rows.slice(i, i + 500));
      statements.push(cellInsert.bind(chunk, ...guard), insert.bind(chunk, ...guard));
    }
  }
  return statements;
}

/** Days of [from, to] archived before the origin rollup existed, whose origin rows a rebuild must still write (schema/0032). */
export async function originRebuildsDue(db: Db, from: string, to: string): Promise<Set<string>> {
  const { results } = await db.d1.prepare('SELECT day FROM origin_rebuild_due WHERE day >= ?1 AND day <= ?2').bind(from, to).all<{ day: string }>();
  return new Set(results.map((row) => row.day));
}
