/**
 * A conversion's attribution context, from one touch database or from several
 * (docs/DESIGN.md "Sharded touches"): the same ConversionContext either way.
 */
import type { Db } from './client';
import { findContextInOneQuery, toStoredTouch, touchList, unique, type ConversionContext, type TouchPick } from './conversions';
import { isSharded, touchDbs, visitorsByShard } from './shards';

/** The touches and visitors a conversion is attributed from (see findContextInOneQuery), read across the touch shards when there are several. */
export async function findConversionContext(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
): Promise<ConversionContext> {
  return isSharded(db) ? findShardedContext(db, link, fromIso, toIso) : findContextInOneQuery(db, link, fromIso, toIso);
}

type ShardTouchRow = TouchPick & { referred: 0 | 1 };

const CLICK_SQL = `SELECT referrer_hash IS NOT NULL AS referred, ${touchList} FROM touches WHERE id = ?1`;
const VISITOR_TOUCHES_SQL = `SELECT referrer_hash IS NOT NULL AS referred, ${touchList} FROM touches
  WHERE visitor_id IN (SELECT value FROM json_each(?1)) AND occurred_at >= ?2 AND occurred_at <= ?3 AND is_bot = 0`;

/**
 * findConversionContext over several touch shards: the click id's touch looked up on every
 * shard, the stitched visitors and the bonus program on the main database (all in parallel),
 * then the window's human touches of the linked visitors, each read on its visitor's shard
 * only (in parallel). The same context as the one-query read over one database.
 */
async function findShardedContext(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
): Promise<ConversionContext> {
  const shards = touchDbs(db);
  const [clicks, [stitched, program]] = await Promise.all([
    Promise.all(shards.map((shard) => (link.clickId ? shard.d1.prepare(CLICK_SQL).bind(link.clickId).first<ShardTouchRow>() : Promise.resolve(null)))),
    db.d1.batch([
      db.d1.prepare('SELECT visitor_id FROM identity_links WHERE customer_hash = ?1').bind(link.customerHash ?? ''),
      db.d1.prepare("SELECT 1 AS found FROM loyalty_program WHERE id = 'program'"),
    ]),
  ]);
  const clickShard = clicks.findIndex((row) => row !== null);
  const click = clickShard >= 0 ? clicks[clickShard] : null;
  const stitchedVisitorIds = (stitched.results as Array<{ visitor_id: string }>).map((row) => row.visitor_id).filter((visitor) => !!visitor);
  const ownVisitorIds = unique([click?.visitor_id, link.visitorId]);
  const visitorIds = unique([...ownVisitorIds, ...stitchedVisitorIds]);
  const perShard = await Promise.all(
    [...visitorsByShard(db, visitorIds)].map(async ([shard, visitors]) => ({
      shard,
      rows: (await shards[shard].d1.prepare(VISITOR_TOUCHES_SQL).bind(JSON.stringify(visitors), fromIso, toIso).all<ShardTouchRow>()).results,
    })),
  );
  const visitorRows = perShard.flatMap((part) => part.rows);
  const touchRows = click ? [click, ...visitorRows] : visitorRows;
  return {
    clickFound: click !== null,
    clickVisitorId: click?.visitor_id ?? null,
    stitchedVisitorIds,
    ownVisitorIds,
    visitorIds,
    visitorTouchCount: visitorRows.length,
    onMain: { clickFound: clickShard === 0, visitorTouchCount: perShard.find((part) => part.shard === 0)?.rows.length ?? 0 },
    touches: touchRows.map(toStoredTouch),
    referredTouchIds: new Set(touchRows.filter((row) => row.referred === 1).map((row) => row.id)),
    loyaltyProgram: program.results.length > 0,
  };
}

/**
 * With several touch shards, a conversion's write batch re-checks only the main database for touches
 * stored between its read and its write (requeueIfTouchesArrived). This is the same check on the other
 * shards, run after the write: whether the click id's touch or more human touches of its visitors in
 * the window are stored there now than `context` read. (A touch stored after this check finds the
 * conversion and its visitors on the main database: the touch writer queues it.)
 */
export async function touchesArrivedOnShards(db: Db, context: ConversionContext, clickId: string | null, fromIso: string, toIso: string): Promise<boolean> {
  const [, ...others] = touchDbs(db);
  if (others.length === 0) return false;
  const byShard = visitorsByShard(db, context.visitorIds);
  const counts = await Promise.all(
    others.map((shard, i) =>
      shard.d1
        .prepare(
          `SELECT (SELECT COUNT(*) FROM touches WHERE id = ?1) AS click,
                  (SELECT COUNT(*) FROM touches WHERE visitor_id IN (SELECT value FROM json_each(?2)) AND occurred_at >= ?3 AND occurred_at <= ?4 AND is_bot = 0) AS touches`,
        )
        .bind(clickId ?? '', JSON.stringify(byShard.get(i + 1) ?? []), fromIso, toIso)
        .first<{ click: number; touches: number }>(),
    ),
  );
  const clickNow = counts.some((row) => Number(row?.click) > 0);
  const touchesNow = counts.reduce((sum, row) => sum + Number(row?.touches ?? 0), 0);
  const clickBefore = context.clickFound && !context.onMain.clickFound;
  return clickNow !== clickBefore || touchesNow !== context.visitorTouchCount - context.onMain.visitorTouchCount;
}
