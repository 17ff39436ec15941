/** Touches and orphan visits: written in coalesced batches. */
import { chunkedInserts, jsonInsertStatements, runAtomically, type Db } from './client';
import { SCANNER_BURST } from '../domain/email';
import { sketchSlot } from '../domain/visitor-sketch';
import type { NewEmailOpen, NewOrphanVisit, NewTouch } from './schema';
import { pendingAttributionsStatement, type PendingAttribution } from './pending-attributions';
import { groupByShard, shardOfVisitor } from '../domain/shards';
import { conversionsSharded, onEveryConversionShard, touchDbs } from './shards';

/** Every column of a touch row, in one fixed order for the JSON insert. */
export const TOUCH_COLUMNS = [
  'id',
  'type',
  'occurred_at',
  'campaign_id',
  'link_id',
  'channel',
  'visitor_id',
  'visitor_kind',
  'device_class',
  'os',
  'browser',
  'is_bot',
  'bot_reason',
  'user_agent',
  'rid_hash',
  'country',
  'region',
  'city',
  'referrer_host',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'referrer_hash',
  'visitor_hll',
  'rule',
  'variant',
  'after_cap',
] as const satisfies readonly (keyof NewTouch)[];

/** A touch as it is stored: its visitor's sketch slot derived from the visitor id (every touch insert goes through here). */
export const storedTouch = (touch: NewTouch): NewTouch => ({
  ...touch,
  visitor_hll: touch.visitor_id ? sketchSlot(touch.visitor_id) : null,
  after_cap: touch.after_cap ?? 0,
});

/**
 * Marks as `scanner_burst` the human-looking touches of these recipients that
 * sit in a burst: within ± `seconds` of each, the recipient hit `links` or
 * more distinct links (a mail scanner opening every link of the message).
 */
export function flagScannerBursts(db: Db, ridHashes: readonly string[], seconds: number, links: number): D1PreparedStatement {
  return db.d1
    .prepare(
      `UPDATE touches SET is_bot = 1, bot_reason = 'scanner_burst', device_class = 'bot'
       WHERE rid_hash IN (SELECT value FROM json_each(?1)) AND is_bot = 0
         AND (SELECT COUNT(DISTINCT other.link_id) FROM touches AS other
              WHERE other.rid_hash = touches.rid_hash
                AND other.occurred_at BETWEEN strftime('%Y-%m-%dT%H:%M:%fZ', touches.occurred_at, '-' || ?2 || ' seconds')
                                          AND strftime('%Y-%m-%dT%H:%M:%fZ', touches.occurred_at, '+' || ?2 || ' seconds')) >= ?3
       RETURNING id`,
    )
    .bind(JSON.stringify(ridHashes), seconds, links);
}

/** The statements storing touches on one database: the rows (a touch already stored, same id, is skipped), then the burst re-check of their recipients. */
function touchInsertStatements(db: Db, touches: readonly NewTouch[]): D1PreparedStatement[] {
  const statements = jsonInsertStatements(db, 'touches', TOUCH_COLUMNS, touches.map(storedTouch));
  const rids = [...new Set(touches.map((touch) => touch.rid_hash).filter((rid): rid is string => !!rid))];
  if (rids.length > 0) statements.push(flagScannerBursts(db, rids, SCANNER_BURST.seconds, SCANNER_BURST.links));
  return statements;
}

/**
 * What schema/0010's touches_late_for_conversions trigger does for touches stored on
 * another shard (whose conversions tables are empty): queues, on the main database,
 * the conversions of their click ids and those of their visitors whose window they
 * fall in. Run after those touches are stored; running it again (a retried batch)
 * only bumps the queue entries' versions, and a re-attribution more is harmless.
 */
function lateForConversionsStatement(db: Db, touches: readonly NewTouch[]): D1PreparedStatement {
  const rows = touches.map((touch) => [touch.id, touch.visitor_id ?? null, touch.occurred_at, touch.is_bot]);
  return db.d1
    .prepare(
      `INSERT INTO pending_attributions (conversion_id)
       SELECT id FROM (
         SELECT c.id FROM json_each(?1) AS j JOIN conversions c ON c.click_id = json_extract(j.value, '$[0]')
         UNION
         SELECT c.id FROM json_each(?1) AS j
           JOIN conversion_visitors cv ON cv.visitor_id = json_extract(j.value, '$[1]')
           JOIN conversions c ON c.id = cv.conversion_id
         WHERE json_extract(j.value, '$[3]') = 0
           AND c.occurred_at >= json_extract(j.value, '$[2]')
           AND json_extract(j.value, '$[2]') >= strftime('%Y-%m-%dT%H:%M:%fZ', c.occurred_at, '-' || c.lookback_days || ' days'))
       WHERE true
       ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1`,
    )
    .bind(JSON.stringify(rows));
}

/**
 * Inserts touches in one D1 batch (a touch already stored, same id, is skipped), then re-checks their
 * recipients for scanner bursts. Resolves to up to `pendingLimit` conversions waiting for re-attribution,
 * read in the same batch — those the inserted touches arrived too late for, among others.
 *
 * With several touch shards each touch goes to its visitor's shard (one batch per shard, in parallel);
 * then one batch on the main database queues the conversions the other shards' touches are late for
 * and reads the queue (with sharded conversions, one such batch on every shard, each for the touches
 * stored on the others; the entries read carry their shard). A failed shard fails the whole write, which is retried whole: the stored rows
 * are skipped, the shard-local triggers (rollups, referral visits) fire only for new rows.
 */
export async function insertTouches(db: Db, touches: readonly NewTouch[], pendingLimit = 0): Promise<PendingAttribution[]> {
  if (touches.length === 0) return [];
  const shards = touchDbs(db);
  const pendingRead = pendingLimit > 0 ? [pendingAttributionsStatement(db, pendingLimit)] : [];
  const groups = groupByShard(touches, (touch) => shardOfVisitor(touch.visitor_id, shards.length));
  const elsewhere = [...groups].filter(([shard]) => shard !== 0).flatMap(([, rows]) => rows);
  // One shard, or every row on the main database: one batch.
  if (elsewhere.length === 0 && !conversionsSharded(db)) {
    const results = await db.d1.batch([...touchInsertStatements(db, touches), ...pendingRead]);
    return pendingLimit > 0 ? (results[results.length - 1].results as PendingAttribution[]) : [];
  }
  await Promise.all([...groups].map(([shard, rows]) => shards[shard].d1.batch(touchInsertStatements(shards[shard], rows))));
  // On every conversion database (the main one unless conversions are sharded): its trigger queued its own
  // conversions its own touches are late for; the touches of the other shards are checked against its conversions
  // here, and its queue read, all in parallel. Entries of a shard other than the main one carry it.
  const perShard = await onEveryConversionShard(db, async (shard, index) => {
    const others = [...groups].filter(([touchShard]) => touchShard !== index).flatMap(([, rows]) => rows);
    const statements = [
      ...(others.length > 0 ? [lateForConversionsStatement(shard, others)] : []),
      ...(pendingLimit > 0 ? [pendingAttributionsStatement(shard, pendingLimit)] : []),
    ];
    if (statements.length === 0) return [];
    const results = await shard.d1.batch(statements);
    const pending = pendingLimit > 0 ? (results[results.length - 1].results as PendingAttribution[]) : [];
    return index === 0 ? pending : pending.map((item) => ({ ...item, shard: index }));
  });
  return perShard.flat().slice(0, pendingLimit);
}

/** Inserts orphan visits (requests for unknown slugs). */
export async function insertOrphanVisits(db: Db, visits: readonly NewOrphanVisit[]): Promise<void> {
  await runAtomically(
    db,
    chunkedInserts(visits, (chunk) => db.insertInto('orphan_visits').values(chunk)),
  );
}

/** Inserts one open-pixel event. */
export async function insertEmailOpen(db: Db, open: NewEmailOpen): Promise<void> {
  await db.insertInto('email_opens').values(open).execute();
}
