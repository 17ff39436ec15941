/**
 * A conversion's attribution context, from one touch database or from several
 * (docs/DESIGN.md "Sharded touches"): the same ConversionContext either way.
 */
import type { Db } from './client';
import { findContextInOneQuery, toStoredTouch, touchList, unique, type ConversionContext, type TouchPick } from './attribution-touches';
import { isSharded, touchDbs, visitorsByShard, type ConversionHome } from './shards';

/** The touches and visitors a conversion is attributed from (see findContextInOneQuery), read across the touch shards when there are several. */
export async function findConversionContext(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
  home: ConversionHome = { index: 0, db },
): Promise<ConversionContext> {
  return isSharded(db) ? findShardedContext(db, link, fromIso, toIso, home) : findContextInOneQuery(db, link, fromIso, toIso);
}

type ShardTouchRow = TouchPick & { referred: 0 | 1 };

const CLICK_SQL = `SELECT referrer_hash IS NOT NULL AS referred, ${touchList} FROM touches WHERE id = ?1`;
const VISITOR_TOUCHES_SQL = `SELECT referrer_hash IS NOT NULL AS referred, ${touchList} FROM touches
  WHERE visitor_id IN (SELECT value FROM json_each(?1)) AND occurred_at >= ?2 AND occurred_at <= ?3 AND is_bot = 0`;

/**
 * findConversionContext over several touch shards: the click id's touch looked up on every
 * shard, the stitched visitors on the conversion's database `home` (the main one, or its customer's
 * shard when conversions are sharded) and the bonus program on the main database (all in parallel),
 * then the window's human touches of the linked visitors, each read on its visitor's shard
 * only (in parallel). The same context as the one-query read over one database.
 */
async function findShardedContext(
  db: Db,
  link: { clickId: string | null; visitorId: string | null; customerHash: string | null },
  fromIso: string,
  toIso: string,
  home: ConversionHome,
): Promise<ConversionContext> {
  const shards = touchDbs(db);
  const identity = home.db.d1.prepare('SELECT visitor_id FROM identity_links WHERE customer_hash = ?1').bind(link.customerHash ?? '');
  const programRead = db.d1.prepare("SELECT 1 AS found FROM loyalty_program WHERE id = 'program'");
  const [clicks, [stitched, program]] = await Promise.all([
    Promise.all(shards.map((shard) => (link.clickId ? shard.d1.prepare(CLICK_SQL).bind(link.clickId).first<ShardTouchRow>() : Promise.resolve(null)))),
    home.db === db ? db.d1.batch([identity, programRead]) : Promise.all([identity.all(), programRead.all()]),
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
    onHome: { clickFound: clickShard === home.index, visitorTouchCount: perShard.find((part) => part.shard === home.index)?.rows.length ?? 0 },
    touches: touchRows.map(toStoredTouch),
    referredTouchIds: new Set(touchRows.filter((row) => row.referred === 1).map((row) => row.id)),
    loyaltyProgram: program.results.length > 0,
  };
}

/**
 * With several touch shards, a conversion's write batch re-checks only its own database (`homeIndex`) for touches
 * stored between its read and its write (requeueIfTouchesArrived). This is the same check on the other
 * shards, run after the write: whether the click id's touch or more human touches of its visitors in
 * the window are stored there now than `context` read. (A touch stored after this check finds the
 * conversion and its visitors on its database: the touch writer queues it.)
 */
export async function touchesArrivedOnShards(
  db: Db,
  context: ConversionContext,
  clickId: string | null,
  fromIso: string,
  toIso: string,
  homeIndex = 0,
): Promise<boolean> {
  const others = touchDbs(db)
    .map((shard, index) => ({ shard, index }))
    .filter(({ index }) => index !== homeIndex);
  if (others.length === 0) return false;
  const byShard = visitorsByShard(db, context.visitorIds);
  const counts = await Promise.all(
    others.map(({ shard, index }) =>
      shard.d1
        .prepare(
          `SELECT (SELECT COUNT(*) FROM touches WHERE id = ?1) AS click,
                  (SELECT COUNT(*) FROM touches WHERE visitor_id IN (SELECT value FROM json_each(?2)) AND occurred_at >= ?3 AND occurred_at <= ?4 AND is_bot = 0) AS touches`,
        )
        .bind(clickId ?? '', JSON.stringify(byShard.get(index) ?? []), fromIso, toIso)
        .first<{ click: number; touches: number }>(),
    ),
  );
  const clickNow = counts.some((row) => Number(row?.click) > 0);
  const touchesNow = counts.reduce((sum, row) => sum + Number(row?.touches ?? 0), 0);
  const clickBefore = context.clickFound && !context.onHome.clickFound;
  return clickNow !== clickBefore || touchesNow !== context.visitorTouchCount - context.onHome.visitorTouchCount;
}
