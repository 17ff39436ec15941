/** Touches and orphan visits: written in coalesced batches. */
import { chunkedInserts, jsonInsertStatements, runAtomically, type Db } from './client';
import type { NewOrphanVisit, NewTouch } from './schema';

/** Every column of a touch row, in one fixed order for the JSON insert. */
export const TOUCH_COLUMNS = [
  'id', 'type', 'occurred_at', 'campaign_id', 'link_id', 'channel', 'visitor_id', 'visitor_kind', 'device_class', 'os',
  'browser', 'is_bot', 'bot_reason', 'country', 'region', 'city', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign',
] as const satisfies readonly (keyof NewTouch)[];

/** Inserts touches in one D1 batch; a touch already stored (same id) is skipped. */
export async function insertTouches(db: Db, touches: readonly NewTouch[]): Promise<void> {
  if (touches.length === 0) return;
  await db.d1.batch(jsonInsertStatements(db, 'touches', TOUCH_COLUMNS, touches));
}

/** Inserts orphan visits (requests for unknown slugs). */
export async function insertOrphanVisits(db: Db, visits: readonly NewOrphanVisit[]): Promise<void> {
  await runAtomically(db, chunkedInserts(visits, (chunk) => db.insertInto('orphan_visits').values(chunk)));
}
