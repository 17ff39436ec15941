/** Reading and rewriting the bot classification of stored events, for reclassification. */
import type { BotReason, DeviceClass } from '../domain/vocab';
import type { Db } from './client';

export interface StoredClassification {
  id: string;
  userAgent: string | null;
  isBot: boolean;
  reason: string | null;
  deviceClass: string;
}

export interface NewClassification {
  id: string;
  isBot: boolean;
  reason: string | null;
  deviceClass: string;
}

type EventTable = 'touches' | 'email_opens';

const COLUMNS = {
  touches: { flag: 'is_bot', reason: 'bot_reason' },
  email_opens: { flag: 'is_machine', reason: 'machine_reason' },
} as const;

/** One page of events in [from, to) after `afterId`, in id order. */
export async function pageOfClassifications(
  db: Db,
  table: EventTable,
  range: { from: string; to: string },
  afterId: string,
  limit: number,
): Promise<StoredClassification[]> {
  const { flag, reason } = COLUMNS[table];
  const { results } = await db.d1
    .prepare(
      `SELECT id, user_agent, ${flag} AS flag, ${reason} AS reason, device_class FROM ${table}
       WHERE occurred_at >= ?1 AND occurred_at < ?2 AND id > ?3 ORDER BY id LIMIT ?4`,
    )
    .bind(range.from, range.to, afterId, limit)
    .all<{ id: string; user_agent: string | null; flag: number; reason: string | null; device_class: string | null }>();
  return results.map((row) => ({
    id: row.id,
    userAgent: row.user_agent,
    isBot: row.flag === 1,
    reason: row.reason,
    deviceClass: row.device_class ?? 'desktop',
  }));
}

/** Writes new classifications in one statement. */
export async function writeClassifications(db: Db, table: EventTable, changes: readonly NewClassification[]): Promise<void> {
  if (changes.length === 0) return;
  const { flag, reason } = COLUMNS[table];
  const payload = JSON.stringify(changes.map((change) => [change.id, change.isBot ? 1 : 0, change.reason, change.deviceClass]));
  await db.d1
    .prepare(
      `UPDATE ${table} SET
         ${flag} = (SELECT json_extract(value, '$[1]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = ${table}.id),
         ${reason} = (SELECT json_extract(value, '$[2]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = ${table}.id),
         device_class = (SELECT json_extract(value, '$[3]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = ${table}.id)
       WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1))`,
    )
    .bind(payload)
    .run();
}

/** Recipients with touches in [from, to). */
export async function ridsInRange(db: Db, range: { from: string; to: string }): Promise<string[]> {
  const { results } = await db.d1
    .prepare('SELECT DISTINCT rid_hash FROM touches WHERE rid_hash IS NOT NULL AND occurred_at >= ?1 AND occurred_at < ?2')
    .bind(range.from, range.to)
    .all<{ rid_hash: string }>();
  return results.map((row) => row.rid_hash);
}

export type { BotReason, DeviceClass };
