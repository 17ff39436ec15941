/**
 * The candidate touches of a range's conversions under another lookback (services/recompute-credits.ts),
 * read across touch shards: the conversions and the visitors they considered from the main database,
 * then each visitor's human touches in the new window on its own shard, and the conversions' click and
 * promo touches on every shard — all shards in parallel.
 */
import type { Db } from './client';
import { toStoredTouch, type StoredTouch } from './attribution-touches';
import { onEveryConversionShard, onEveryShard, touchDbs, visitorsByShard } from './shards';

/** Pairs per statement: one bound JSON parameter each. */
const PAIRS_PER_STATEMENT = 2000;

const COLUMNS = `json_extract(j.value, '$[0]') AS conversion_id, t.id, t.type, t.occurred_at, t.channel, t.campaign_id, t.link_id, t.device_class, t.is_bot, t.visitor_id, t.rule, t.variant, t.after_cap`;
const VISITOR_TOUCHES = `SELECT ${COLUMNS} FROM json_each(?1) AS j
  JOIN touches t ON t.visitor_id = json_extract(j.value, '$[1]') AND t.occurred_at >= json_extract(j.value, '$[2]')
    AND t.occurred_at <= json_extract(j.value, '$[3]') AND t.is_bot = 0`;
const OWN_TOUCHES = `SELECT ${COLUMNS} FROM json_each(?1) AS j JOIN touches t ON t.id = json_extract(j.value, '$[1]')`;

type Row = Parameters<typeof toStoredTouch>[0] & { conversion_id: string };

/** Runs `sql` over `pairs` in chunks on one shard. */
async function readPairs(shard: Db, sql: string, pairs: readonly unknown[][]): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_STATEMENT) {
    rows.push(
      ...(
        await shard.d1
          .prepare(sql)
          .bind(JSON.stringify(pairs.slice(i, i + PAIRS_PER_STATEMENT)))
          .all<Row>()
      ).results,
    );
  }
  return rows;
}

/** Touches of each conversion's visitors in its window (and its click and promo touch), by conversion id. */
export async function shardedCandidateTouches(db: Db, range: { from: string; to: string }, lookbackDays: number): Promise<Map<string, StoredTouch[]>> {
  // The conversions and their visitors on every conversion shard (the main database unless conversions are sharded).
  const read = await onEveryConversionShard(db, (shard) =>
    shard.d1.batch([
      shard.d1
        .prepare(
          `SELECT cv.conversion_id, cv.visitor_id, strftime('%Y-%m-%dT%H:%M:%fZ', c.occurred_at, ?3) AS from_at, c.occurred_at AS to_at
           FROM conversions c JOIN conversion_visitors cv ON cv.conversion_id = c.id WHERE c.day >= ?1 AND c.day <= ?2`,
        )
        .bind(range.from, range.to, `-${lookbackDays} days`),
      shard.d1.prepare('SELECT id, click_id, promo_touch_id FROM conversions WHERE day >= ?1 AND day <= ?2').bind(range.from, range.to),
    ]),
  );
  const windows = read.flatMap(([visitors]) => visitors.results as Array<{ conversion_id: string; visitor_id: string; from_at: string; to_at: string }>);
  const own = { results: read.flatMap(([, conversions]) => conversions.results) };
  const shardOf = new Map<string, number>();
  for (const [shard, ids] of visitorsByShard(db, [...new Set(windows.map((w) => w.visitor_id))])) for (const id of ids) shardOf.set(id, shard);
  const ownPairs = (own.results as Array<{ id: string; click_id: string | null; promo_touch_id: string | null }>).flatMap((c) =>
    [c.click_id, c.promo_touch_id].filter((touch): touch is string => !!touch).map((touch) => [c.id, touch]),
  );
  const shards = touchDbs(db);
  const perShard = await onEveryShard(db, async (shard) => {
    const index = shards.indexOf(shard);
    const pairs = windows.filter((w) => shardOf.get(w.visitor_id) === index).map((w) => [w.conversion_id, w.visitor_id, w.from_at, w.to_at]);
    const [byVisitor, byId] = await Promise.all([readPairs(shard, VISITOR_TOUCHES, pairs), readPairs(shard, OWN_TOUCHES, ownPairs)]);
    return [...byVisitor, ...byId];
  });
  const byConversion = new Map<string, StoredTouch[]>();
  for (const row of perShard.flat()) {
    const list = byConversion.get(row.conversion_id) ?? [];
    list.push(toStoredTouch(row));
    byConversion.set(row.conversion_id, list);
  }
  return byConversion;
}
