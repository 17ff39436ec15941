/** Marketing spend (schema/0031): one row per (day, campaign) or (day, channel), upserted; and the reads the reports add to it. */
import type { Selectable } from 'kysely';
import type { Dim, RangeFilter } from './report-dims';
import { ACQUIRED_CUSTOMERS_CTE } from './loyalty';
import { chunkRows, runAtomically, type Db } from './client';
import { sumRowsBy } from './shard-merge';
import { onEveryConversionShard } from './shards';
import type { SpendTable } from './schema';

export type SpendRow = Selectable<SpendTable>;

/** A day's cost on a campaign or (campaignId '') a channel, in `currency`. */
export interface SpendEntry {
  day: string;
  campaignId: string;
  channel: string;
  amount: number;
  currency: string;
}

/**
 * Stores `entries` (each with the id it gets when new) in one D1 batch: a row
 * of the same (day, campaign, channel) is replaced — amount, currency and
 * updated_at — and keeps its id. Answers the stored rows in input order.
 */
export async function upsertSpend(db: Db, entries: ReadonlyArray<SpendEntry & { id: string }>, now: string): Promise<SpendRow[]> {
  const rows = entries.map((entry) => ({
    id: entry.id,
    day: entry.day,
    campaign_id: entry.campaignId,
    channel: entry.channel,
    amount: entry.amount,
    currency: entry.currency,
    created_at: now,
    updated_at: now,
  }));
  const results = await runAtomically(
    db,
    chunkRows(rows).map((chunk) =>
      db
        .insertInto('spend')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['day', 'campaign_id', 'channel']).doUpdateSet((eb) => ({
            amount: eb.ref('excluded.amount'),
            currency: eb.ref('excluded.currency'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returningAll(),
    ),
  );
  const stored = new Map<string, SpendRow>();
  for (const result of results) for (const row of result.results as SpendRow[]) stored.set(keyOf(row), row);
  return rows.map((row) => stored.get(keyOf(row))!);
}

const keyOf = (row: { day: string; campaign_id: string; channel: string }) => `${row.day}|${row.campaign_id}|${row.channel}`;

/** Spend rows of [from, to] by day then id, after `cursor` (the last row's day and id) when given; one more than `limit` tells of a next page. */
export async function listSpendRows(db: Db, filter: { from: string; to: string; campaignId?: string; limit: number; cursor?: { day: string; id: string } }) {
  let query = db.selectFrom('spend').selectAll().where('day', '>=', filter.from).where('day', '<=', filter.to);
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  const after = filter.cursor;
  if (after) query = query.where((eb) => eb.or([eb('day', '>', after.day), eb.and([eb('day', '=', after.day), eb('id', '>', after.id)])]));
  return query
    .orderBy('day', 'asc')
    .orderBy('id', 'asc')
    .limit(filter.limit + 1)
    .execute();
}

/** Deletes one spend row; false when there was none. */
export async function deleteSpendRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('spend').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The ids of `campaignIds` that exist (archived ones too: a past day's cost may be entered late). */
export async function findCampaignIds(db: Db, campaignIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < campaignIds.length; i += 90) {
    const rows = await db
      .selectFrom('campaigns')
      .select('id')
      .where('id', 'in', campaignIds.slice(i, i + 90))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Spend of [from, to] summed per campaign ('' for none), channel ('' for none), currency and day: what a report converts and allocates. */
export async function sumSpend(db: Db, filter: { from: string; to: string; campaignId?: string }) {
  let query = db
    .selectFrom('spend')
    .select((eb) => ['campaign_id', 'channel', 'currency', 'day', eb.fn.sum<number>('amount').as('amount')])
    .where('day', '>=', filter.from)
    .where('day', '<=', filter.to);
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  const rows = await query.groupBy(['campaign_id', 'channel', 'currency', 'day']).execute();
  return rows.map((row) => ({ ...row, amount: Number(row.amount) }));
}

/** Links per campaign and channel (every link, archived ones too), for the campaigns of `campaignIds`: how campaign spend splits over channels. */
export async function countCampaignLinksByChannel(
  db: Db,
  campaignIds: readonly string[],
): Promise<Array<{ campaign_id: string; channel: string; links: number }>> {
  const out: Array<{ campaign_id: string; channel: string; links: number }> = [];
  for (let i = 0; i < campaignIds.length; i += 90) {
    const rows = await db
      .selectFrom('links')
      .select((eb) => ['campaign_id', 'channel', eb.fn.countAll<number>().as('links')])
      .where('campaign_id', 'in', campaignIds.slice(i, i + 90))
      .groupBy(['campaign_id', 'channel'])
      .execute();
    out.push(...rows.map((row) => ({ ...row, links: Number(row.links) })));
  }
  return out;
}

/**
 * New customers credited under a stored model: the weights of `model`'s credits
 * of conversions that are their customer's first conversion (the `firsts` of
 * ACQUIRED_CUSTOMERS_CTE, the loyalty report's definition) and fall in the
 * range, summed per `dim` (channel or campaign; '' for none).
 */
export async function sumNewCustomerCredits(db: Db, model: string, dim: Extract<Dim, 'channel' | 'campaign_id'>, filter: RangeFilter) {
  // A customer's conversions share one conversion shard, so each shard's firsts are the customers' firsts: sums add.
  const perShard = await onEveryConversionShard(db, (shard) => sumShardNewCustomerCredits(shard, model, dim, filter));
  return perShard.length === 1 ? perShard[0] : sumRowsBy(perShard.flat(), (row) => row.dim, ['customers']);
}

async function sumShardNewCustomerCredits(db: Db, model: string, dim: Extract<Dim, 'channel' | 'campaign_id'>, filter: RangeFilter) {
  const column = dim === 'channel' ? 'cc.channel' : "coalesce(cc.campaign_id, '')";
  const { results } = await db.d1
    .prepare(
      `WITH ${ACQUIRED_CUSTOMERS_CTE}
       SELECT ${column} AS dim, SUM(cc.weight) AS customers
       FROM firsts f JOIN conversion_credits cc ON cc.conversion_id = f.first_id
       WHERE cc.model = ?1 AND cc.weight > 0 AND cc.day >= ?2 AND cc.day <= ?3 AND (?4 IS NULL OR cc.campaign_id = ?4)
       GROUP BY dim`,
    )
    .bind(model, filter.from, filter.to, filter.campaignId ?? null)
    .all<{ dim: string; customers: number }>();
  return results;
}

/** The ids of conversions of [from, to] that are their customer's first conversion (as sumNewCustomerCredits counts them). */
export async function findFirstConversionIds(db: Db, filter: { from: string; to: string }): Promise<Set<string>> {
  const perShard = await onEveryConversionShard(db, (shard) => findShardFirstConversionIds(shard, filter));
  return new Set(perShard.flatMap((ids) => [...ids]));
}

async function findShardFirstConversionIds(db: Db, filter: { from: string; to: string }): Promise<Set<string>> {
  const { results } = await db.d1
    .prepare(
      `WITH ${ACQUIRED_CUSTOMERS_CTE}
       SELECT f.first_id AS id FROM firsts f JOIN conversions c ON c.id = f.first_id WHERE c.day >= ?1 AND c.day <= ?2`,
    )
    .bind(filter.from, filter.to)
    .all<{ id: string }>();
  return new Set(results.map((row) => row.id));
}

/** Whether some conversion day of [from, to] has credits archived to R2 (schema/0029), out of conversion_credits' reach. */
export async function holdsArchivedCredits(db: Db, range: { from: string; to: string }): Promise<boolean> {
  return (await onEveryConversionShard(db, (shard) => shardHoldsArchivedCredits(shard, range))).some((held) => held);
}

async function shardHoldsArchivedCredits(db: Db, range: { from: string; to: string }): Promise<boolean> {
  const row = await db.d1
    .prepare("SELECT 1 AS found FROM credit_parts WHERE state = 'archived' AND day >= ?1 AND day <= ?2 LIMIT 1")
    .bind(range.from, range.to)
    .first<{ found: number }>();
  return row !== null;
}
