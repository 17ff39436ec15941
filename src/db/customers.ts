/** Erasing a customer: every place a hashed customer reference is kept. */
import type { Db } from './client';
import { conversionsSharded, touchDbs } from './shards';

/**
 * Columns that hold a customer's keyed hash. On erasure their value is
 * replaced by a random pseudonym: counts and sums stay, the person is gone.
 */
export const CUSTOMER_HASH_COLUMNS = [
  { table: 'conversions', column: 'customer_hash' },
  { table: 'code_entries', column: 'customer_hash' },
  { table: 'promo_redemptions', column: 'customer_hash' },
  // Tell-a-friend: the referrer's link and visits, and the friend's referred conversions.
  { table: 'referrals', column: 'referrer_hash' },
  { table: 'touches', column: 'referrer_hash' },
  { table: 'referral_conversions', column: 'customer_hash' },
] as const;

/** Rows that only link a person to visitors: deleted on erasure. */
export const CUSTOMER_LINK_TABLES = [
  { table: 'identity_links', column: 'customer_hash' },
  // Bonus program occasions still waiting for the cron: an erased customer earns nothing more.
  { table: 'loyalty_pending_occasions', column: 'customer_hash' },
] as const;

/** Columns whose hash becomes NULL on erasure: the bonus program's member is pseudonymised, its ledger and sums stay. */
export const CUSTOMER_HASH_CLEARED = [{ table: 'loyalty_members', column: 'customer_hash' }] as const;

/** Text holding the hash among other things (outgoing webhook bodies, schema/0020): the hash in it becomes the pseudonym. */
export const CUSTOMER_HASH_IN_TEXT = [{ table: 'webhook_deliveries', column: 'body' }] as const;

/**
 * Replaces `hash` by `pseudonym` everywhere and deletes its identity links, in one batch; counts per table.
 * With several touch shards, the other shards' tell-a-friend touches and visits are renamed first (in
 * parallel): should the main batch then fail, the person's hash is gone from them already, and a retry
 * renames what is left on the main database.
 */
export async function eraseCustomerHash(db: Db, hash: string, pseudonym: string): Promise<Record<string, number>> {
  const [, ...others] = touchDbs(db);
  // With sharded conversions the person's conversions and identity links sit on their shard (any one of them).
  const conversionsToo = conversionsSharded(db);
  const onShards = await Promise.all(
    others.map((shard) =>
      shard.d1.batch([
        shard.d1.prepare('UPDATE touches SET referrer_hash = ?2 WHERE referrer_hash = ?1 RETURNING 1').bind(hash, pseudonym),
        shard.d1.prepare('UPDATE referral_touch_visits SET referrer_hash = ?2 WHERE referrer_hash = ?1').bind(hash, pseudonym),
        ...(conversionsToo
          ? [
              shard.d1.prepare('UPDATE conversions SET customer_hash = ?2 WHERE customer_hash = ?1 RETURNING 1').bind(hash, pseudonym),
              shard.d1.prepare('DELETE FROM identity_links WHERE customer_hash = ?1 RETURNING 1').bind(hash),
            ]
          : []),
      ]),
    ),
  );
  const statements = [
    ...CUSTOMER_HASH_COLUMNS.map(({ table, column }) =>
      db.d1.prepare(`UPDATE ${table} SET ${column} = ?2 WHERE ${column} = ?1 RETURNING 1`).bind(hash, pseudonym),
    ),
    ...CUSTOMER_LINK_TABLES.map(({ table, column }) => db.d1.prepare(`DELETE FROM ${table} WHERE ${column} = ?1 RETURNING 1`).bind(hash)),
    ...CUSTOMER_HASH_CLEARED.map(({ table, column }) => db.d1.prepare(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ?1 RETURNING 1`).bind(hash)),
    ...CUSTOMER_HASH_IN_TEXT.map(({ table, column }) =>
      db.d1.prepare(`UPDATE ${table} SET ${column} = replace(${column}, ?1, ?2) WHERE instr(${column}, ?1) > 0 RETURNING 1`).bind(hash, pseudonym),
    ),
  ];
  // The main database keeps a tell-a-friend visit here too when its touch names no referral it holds (schema/0024).
  statements.push(db.d1.prepare('UPDATE referral_touch_visits SET referrer_hash = ?2 WHERE referrer_hash = ?1').bind(hash, pseudonym));
  const results = await db.d1.batch(statements);
  const tables = [...CUSTOMER_HASH_COLUMNS, ...CUSTOMER_LINK_TABLES, ...CUSTOMER_HASH_CLEARED, ...CUSTOMER_HASH_IN_TEXT].map((entry) => entry.table);
  // RETURNING counts only this table's rows (D1's change count would include trigger writes).
  const counts: Record<string, number> = Object.fromEntries(tables.map((table, i) => [table, results[i].results.length]));
  counts.touches += onShards.reduce((sum, [touches]) => sum + touches.results.length, 0);
  counts.conversions += onShards.reduce((sum, [, , conversions]) => sum + (conversions?.results.length ?? 0), 0);
  counts.identity_links += onShards.reduce((sum, [, , , links]) => sum + (links?.results.length ?? 0), 0);
  return counts;
}
