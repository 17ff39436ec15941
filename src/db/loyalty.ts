/** Reads for the loyalty, customers and email reports. */
import type { Db } from './client';
import { conversionsSharded, isSharded, onEveryConversionShard, onEveryShard } from './shards';
import { sumRowsBy } from './shard-merge';

export interface CustomerSale {
  customerHash: string;
  /** Channel of the first touch of the customer's first conversion; `direct` when it had none. */
  channel: string;
  /** Whether the customer is a member of the bonus program (now). */
  member: boolean;
  occurredAt: string;
  value: number;
  currency: string;
}

/**
 * The channel (`direct` when it had no touch) and campaign of the first-touch credit of conversion `id` (SQL),
 * from D1 while its credits are there, else as archived_first_touches noted it when they moved to R2.
 */
export const acquisitionOf = (id: string) => `
  CASE WHEN EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = ${id})
       THEN coalesce((SELECT p.channel FROM conversion_paths p WHERE p.conversion_id = ${id} AND p.w_first_touch > 0 LIMIT 1), 'direct')
       ELSE coalesce((SELECT a.channel FROM archived_first_touches a WHERE a.conversion_id = ${id}), 'direct') END AS channel,
  CASE WHEN EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = ${id})
       THEN (SELECT p.campaign_id FROM conversion_paths p WHERE p.conversion_id = ${id} AND p.w_first_touch > 0 LIMIT 1)
       ELSE (SELECT a.campaign_id FROM archived_first_touches a WHERE a.conversion_id = ${id}) END AS campaign_id`;

/**
 * The CTEs `firsts` and `acquired` (customer_hash, first_at, channel, campaign_id): every customer (hashed
 * reference) with the time of their first conversion and its first touch's channel (`direct` when it had
 * none) and campaign. The one definition of a customer's acquisition channel, for every report using it
 * (acquisitionOf for one conversion). Credits archived to R2 are read from archived_first_touches (schema/0029).
 */
export const ACQUIRED_CUSTOMERS_CTE = `firsts AS (
         SELECT customer_hash, id AS first_id, MIN(occurred_at) AS first_at
         FROM conversions WHERE customer_hash IS NOT NULL GROUP BY customer_hash
       ),
       acquired AS (
         SELECT f.customer_hash, f.first_at, ${acquisitionOf('f.first_id')}
         FROM firsts f
       )`;

/**
 * Sales of customers (by hashed customer reference), each with the customer's
 * acquisition channel. `acquiredFrom`/`acquiredTo` (ISO, [from, to)) keep
 * customers whose first conversion lies in the range; `salesFrom`/`salesTo`
 * keep the sales counted. A sale counts its value net of refunds (schema/0018).
 */
export async function findCustomerSales(db: Db, filter: CustomerSalesFilter): Promise<CustomerSale[]> {
  if (!conversionsSharded(db)) return findShardCustomerSales(db, filter);
  // A customer's conversions sit on one conversion shard (the hash of the customer), so each shard's acquired
  // customers are whole; membership lives on the main database and is asked there for all of them.
  const perShard = await onEveryConversionShard(db, (shard) => findShardCustomerSales(shard, filter));
  const sales = perShard.flat().sort((a, b) => compareText(a.customerHash, b.customerHash) || compareText(a.occurredAt, b.occurredAt));
  const members = new Set(
    (
      await db.d1
        .prepare('SELECT customer_hash FROM loyalty_members WHERE customer_hash IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify([...new Set(sales.map((sale) => sale.customerHash))]))
        .all<{ customer_hash: string }>()
    ).results.map((row) => row.customer_hash),
  );
  return sales.map((sale) => ({ ...sale, member: members.has(sale.customerHash) }));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type CustomerSalesFilter = { acquiredFrom: string; acquiredTo: string; salesFrom: string; salesTo: string; campaignId?: string };

async function findShardCustomerSales(db: Db, filter: CustomerSalesFilter): Promise<CustomerSale[]> {
  const { results } = await db.d1
    .prepare(
      `WITH ${ACQUIRED_CUSTOMERS_CTE}
       SELECT a.customer_hash, a.channel, c.occurred_at, c.value - c.refunded AS value, c.currency,
              EXISTS (SELECT 1 FROM loyalty_members m WHERE m.customer_hash = a.customer_hash) AS member
       FROM acquired a JOIN conversions c ON c.customer_hash = a.customer_hash
       WHERE a.first_at >= ?1 AND a.first_at < ?2
         AND c.type = 'sale' AND c.value IS NOT NULL AND c.occurred_at >= ?3 AND c.occurred_at < ?4
         AND (?5 IS NULL OR a.campaign_id = ?5)
       ORDER BY a.customer_hash, c.occurred_at`,
    )
    .bind(filter.acquiredFrom, filter.acquiredTo, filter.salesFrom, filter.salesTo, filter.campaignId ?? null)
    .all<{ customer_hash: string; channel: string; occurred_at: string; value: number; currency: string; member: number }>();
  return results.map((row) => ({
    customerHash: row.customer_hash,
    channel: row.channel,
    member: row.member === 1,
    occurredAt: row.occurred_at,
    value: row.value,
    currency: row.currency,
  }));
}

export interface EmailCampaignCounts {
  campaignId: string;
  opens: number;
  machineOpens: number;
  humanClicks: number;
  scannerClicks: number;
}

/**
 * Opens (from the pixel) and clicks on email links per campaign in [fromDay, toDay].
 * An email link is one of kind `email` or any link in the email channel (a plain
 * `link` with utm_medium=email in a newsletter counts too).
 */
export async function emailCounts(db: Db, fromDay: string, toDay: string, campaignId?: string): Promise<EmailCampaignCounts[]> {
  const opensRead = db.d1
    .prepare(
      `SELECT campaign_id, SUM(is_machine = 0) AS a, SUM(is_machine = 1) AS b FROM email_opens
       WHERE occurred_at >= ?1 AND occurred_at < ?2 AND (?3 IS NULL OR campaign_id = ?3) GROUP BY campaign_id`,
    )
    .bind(`${fromDay}T00:00:00.000Z`, nextDayIso(toDay), campaignId ?? null);
  const [opens, clicks] = isSharded(db)
    ? await Promise.all([opensRead.all<{ campaign_id: string; a: number; b: number }>(), shardedEmailClicks(db, fromDay, toDay, campaignId)])
    : await db.d1.batch<{ campaign_id: string; a: number; b: number }>([opensRead, db.d1.prepare(EMAIL_CLICKS_SQL).bind(fromDay, toDay, campaignId ?? null)]);
  const rows = new Map<string, EmailCampaignCounts>();
  const row = (id: string) => {
    let found = rows.get(id);
    if (!found) rows.set(id, (found = { campaignId: id, opens: 0, machineOpens: 0, humanClicks: 0, scannerClicks: 0 }));
    return found;
  };
  for (const r of opens.results) Object.assign(row(r.campaign_id), { opens: r.a, machineOpens: r.b });
  for (const r of clicks.results) Object.assign(row(r.campaign_id), { humanClicks: r.a, scannerClicks: r.b });
  return [...rows.values()];
}

const EMAIL_CLICKS_SQL = `SELECT td.campaign_id, SUM(CASE WHEN td.is_bot = 0 THEN td.touches ELSE 0 END) AS a, SUM(CASE WHEN td.is_bot = 1 THEN td.touches ELSE 0 END) AS b
  FROM touch_daily td JOIN links l ON l.id = td.link_id
  WHERE (l.kind = 'email' OR l.channel = 'email') AND td.type = 'click' AND td.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR td.campaign_id = ?3)
  GROUP BY td.campaign_id`;

/** Email-link clicks per campaign with several touch shards: the email links from the main database, their clicks from every shard, added up. */
async function shardedEmailClicks(
  db: Db,
  fromDay: string,
  toDay: string,
  campaignId?: string,
): Promise<{ results: Array<{ campaign_id: string; a: number; b: number }> }> {
  const links = await db.d1
    .prepare("SELECT id FROM links WHERE (kind = 'email' OR channel = 'email') AND (?1 IS NULL OR campaign_id = ?1)")
    .bind(campaignId ?? null)
    .all<{ id: string }>();
  const ids = JSON.stringify(links.results.map((link) => link.id));
  const perShard = await onEveryShard(db, (shard) =>
    shard.d1
      .prepare(
        EMAIL_CLICKS_SQL.replace('JOIN links l ON l.id = td.link_id', 'JOIN json_each(?4) l ON l.value = td.link_id').replace(
          "(l.kind = 'email' OR l.channel = 'email') AND ",
          '',
        ),
      )
      .bind(fromDay, toDay, campaignId ?? null, ids)
      .all<{ campaign_id: string; a: number; b: number }>(),
  );
  return {
    results: sumRowsBy(
      perShard.flatMap((part) => part.results),
      (row) => row.campaign_id,
      ['a', 'b'],
    ),
  };
}

/** Attributed conversions and revenue on email links (as in emailCounts) per campaign, currency and day, from the credit rollup. */
export async function emailCredits(
  db: Db,
  model: string,
  fromDay: string,
  toDay: string,
  campaignId?: string,
): Promise<Array<{ campaignId: string; currency: string; day: string; conversions: number; revenue: number }>> {
  type Row = { campaign_id: string; currency: string; day: string; conversions: number; revenue: number };
  let results: Row[];
  if (conversionsSharded(db)) {
    // The email links from the main database, their credit rollups from every conversion shard, added up.
    const links = await db.d1.prepare("SELECT id FROM links WHERE kind = 'email' OR channel = 'email'").all<{ id: string }>();
    const ids = JSON.stringify(links.results.map((link) => link.id));
    const perShard = await onEveryConversionShard(
      db,
      async (shard) =>
        (
          await shard.d1
            .prepare(
              `SELECT cd.campaign_id, cd.currency, cd.day, SUM(cd.conversions) AS conversions, SUM(cd.revenue) AS revenue
             FROM credit_daily cd WHERE cd.link_id IN (SELECT value FROM json_each(?5)) AND cd.model = ?1 AND cd.day BETWEEN ?2 AND ?3
               AND (?4 IS NULL OR cd.campaign_id = ?4)
             GROUP BY cd.campaign_id, cd.currency, cd.day`,
            )
            .bind(model, fromDay, toDay, campaignId ?? null, ids)
            .all<Row>()
        ).results,
    );
    const key = (row: Row) => JSON.stringify([row.campaign_id, row.currency, row.day]);
    results = sumRowsBy(perShard.flat(), key, ['conversions', 'revenue']).sort((a, b) => compareText(key(a), key(b)));
  } else {
    results = (
      await db.d1
        .prepare(
          `SELECT cd.campaign_id, cd.currency, cd.day, SUM(cd.conversions) AS conversions, SUM(cd.revenue) AS revenue
           FROM credit_daily cd JOIN links l ON l.id = cd.link_id
           WHERE (l.kind = 'email' OR l.channel = 'email') AND cd.model = ?1 AND cd.day BETWEEN ?2 AND ?3 AND (?4 IS NULL OR cd.campaign_id = ?4)
           GROUP BY cd.campaign_id, cd.currency, cd.day`,
        )
        .bind(model, fromDay, toDay, campaignId ?? null)
        .all<Row>()
    ).results;
  }
  return results.map((r) => ({ campaignId: r.campaign_id, currency: r.currency, day: r.day, conversions: r.conversions, revenue: r.revenue }));
}

export const nextDayIso = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/**
 * Per touch channel: humans seen in [fromDay, toDay] for the first time, and those seen before (daily visitor sets:
 * they outlive raw touches). "Seen before" is one pass over the earlier days' visitor sets (SQLite builds the IN list
 * once, by visitor_days' key), not an index per visitor: such an index would cost as much as the sets themselves.
 */
export async function newAndReturningVisitors(
  db: Db,
  fromDay: string,
  toDay: string,
  campaignId?: string,
): Promise<Array<{ channel: string; new_visitors: number; returning_visitors: number }>> {
  // Per touch shard (a visitor's touches and visitor sets sit on one shard), added up per channel.
  const perShard = await onEveryShard(
    db,
    async (shard) =>
      (
        await shard.d1
          .prepare(
            `WITH seen AS (
         SELECT DISTINCT channel, visitor_id FROM visitor_daily
         WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR campaign_id = ?3)
       ),
       marked AS (
         SELECT channel, visitor_id,
                visitor_id IN (SELECT visitor_id FROM visitor_days WHERE day < ?1) AS seen_before
         FROM seen
       )
       SELECT channel, SUM(seen_before = 0) AS new_visitors, SUM(seen_before = 1) AS returning_visitors
       FROM marked GROUP BY channel ORDER BY channel`,
          )
          .bind(fromDay, toDay, campaignId ?? null)
          .all<{ channel: string; new_visitors: number; returning_visitors: number }>()
      ).results,
  );
  if (perShard.length === 1) return perShard[0];
  const sums = sumRowsBy(perShard.flat(), (row) => row.channel, ['new_visitors', 'returning_visitors']);
  return sums.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
}
