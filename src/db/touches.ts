/** Touches and orphan visits: written in coalesced batches. */
import { chunkedInserts, jsonInsertStatements, runAtomically, type Db } from './client';
import { SCANNER_BURST } from '../domain/email';
import { sketchSlot } from '../domain/visitor-sketch';
import type { NewEmailOpen, NewOrphanVisit, NewTouch } from './schema';
import { pendingAttributionsStatement, type PendingAttribution } from './pending-attributions';

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
] as const satisfies readonly (keyof NewTouch)[];

/** A touch as it is stored: its visitor's sketch slot derived from the visitor id (every touch insert goes through here). */
export const storedTouch = (touch: NewTouch): NewTouch => ({ ...touch, visitor_hll: touch.visitor_id ? sketchSlot(touch.visitor_id) : null });

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

/**
 * Inserts touches in one D1 batch (a touch already stored, same id, is skipped), then re-checks their
 * recipients for scanner bursts. Resolves to up to `pendingLimit` conversions waiting for re-attribution,
 * read in the same batch — those the inserted touches arrived too late for, among others.
 */
export async function insertTouches(db: Db, touches: readonly NewTouch[], pendingLimit = 0): Promise<PendingAttribution[]> {
  if (touches.length === 0) return [];
  const statements = jsonInsertStatements(db, 'touches', TOUCH_COLUMNS, touches.map(storedTouch));
  const rids = [...new Set(touches.map((touch) => touch.rid_hash).filter((rid): rid is string => !!rid))];
  if (rids.length > 0) statements.push(flagScannerBursts(db, rids, SCANNER_BURST.seconds, SCANNER_BURST.links));
  if (pendingLimit > 0) statements.push(pendingAttributionsStatement(db, pendingLimit));
  const results = await db.d1.batch(statements);
  return pendingLimit > 0 ? (results[results.length - 1].results as PendingAttribution[]) : [];
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
