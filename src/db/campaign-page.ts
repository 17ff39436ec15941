/**
 * Grouped reads of the campaign page and its link pages: conversions credited
 * to a campaign's code batches and promotions, a link's attributed conversions,
 * countries and referrers, and what archiving a campaign or link stops. Each is
 * one statement whatever the number of links, batches or promotions.
 */
import { sql } from 'kysely';
import type { Db } from './client';
import { topFacetValues } from './facet-rollups';
import { conversionDbs, onEveryConversionShard, isSharded, onEveryShard } from './shards';

export interface CodeCreditSums {
  kind: 'batch' | 'promo';
  /** The batch or promotion id. */
  ownerId: string;
  currency: string | null;
  /** The conversions' UTC day, whose exchange rate converts their revenue. */
  day: string;
  conversions: number;
  revenue: number;
}

/**
 * Conversions and revenue credited under `model` to the code entries of each of
 * the campaign's batches and the redemptions of each of its promotions, all time,
 * one row per owner and currency. Code entries and promo redemptions are touches
 * without a link: saying so lets the partial index conversion_paths_code_touch
 * (schema/0022) serve the join. Credits archived to R2 count through their sums
 * kept in archived_code_credits (schema/0029).
 */
export async function sumCodeCredits(db: Db, campaignId: string, model: string): Promise<CodeCreditSums[]> {
  if (conversionDbs(db).length > 1) return sumShardedCodeCredits(db, campaignId, model);
  const { rows } = await sql<{ kind: 'batch' | 'promo'; owner_id: string; currency: string | null; day: string; conversions: number; revenue: number }>`
    SELECT 'batch' AS kind, e.batch_id AS owner_id, cc.currency, cc.day, SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue
    FROM code_entries e JOIN conversion_credits cc ON cc.touch_id = e.touch_id
    WHERE e.batch_id IN (SELECT id FROM code_batches WHERE campaign_id = ${campaignId}) AND e.result = 'accepted'
      AND cc.link_id IS NULL AND cc.model = ${model} AND cc.weight > 0
    GROUP BY e.batch_id, cc.currency, cc.day
    UNION ALL
    SELECT 'promo', r.promo_code_id, cc.currency, cc.day, SUM(cc.weight), SUM(coalesce(cc.revenue, 0))
    FROM promo_redemptions r JOIN conversion_credits cc ON cc.touch_id = r.touch_id
    WHERE r.promo_code_id IN (SELECT id FROM promo_codes WHERE campaign_id = ${campaignId})
      AND cc.link_id IS NULL AND cc.model = ${model} AND cc.weight > 0
    GROUP BY r.promo_code_id, cc.currency, cc.day
    UNION ALL
    SELECT a.kind, a.owner_id, nullif(a.currency, ''), a.day, a.conversions, a.revenue
    FROM archived_code_credits a
    WHERE a.model = ${model}
      AND ((a.kind = 'batch' AND a.owner_id IN (SELECT id FROM code_batches WHERE campaign_id = ${campaignId}))
        OR (a.kind = 'promo' AND a.owner_id IN (SELECT id FROM promo_codes WHERE campaign_id = ${campaignId})))`.execute(db);
  return rows.map((row) => ({
    kind: row.kind,
    ownerId: row.owner_id,
    currency: row.currency,
    day: row.day,
    conversions: Number(row.conversions),
    revenue: Number(row.revenue),
  }));
}

/**
 * sumCodeCredits with conversions on several shards: code entries and redemptions live on the main database, credits
 * and their archived sums on each conversion shard. Each shard gives its credits of the campaign's touches without a
 * link, per touch (only touches that won a conversion), and its archived sums; the main database says which batch or
 * promotion each of those touches belongs to.
 */
async function sumShardedCodeCredits(db: Db, campaignId: string, model: string): Promise<CodeCreditSums[]> {
  type Row = { kind: 'batch' | 'promo'; owner_id: string; currency: string | null; day: string; conversions: number; revenue: number };
  const [batchIds, promoIds] = await Promise.all([ownerIds(db, 'batch', campaignId), ownerIds(db, 'promo', campaignId)]);
  const perShard = await onEveryConversionShard(db, async (shard) => {
    const credited = await sql<{ touch_id: string; currency: string | null; day: string; conversions: number; revenue: number }>`
      SELECT cc.touch_id, cc.currency, cc.day, SUM(cc.weight) AS conversions, SUM(coalesce(cc.revenue, 0)) AS revenue
      FROM conversion_credits cc
      WHERE cc.campaign_id = ${campaignId} AND cc.link_id IS NULL AND cc.model = ${model} AND cc.weight > 0 AND cc.touch_id IS NOT NULL
      GROUP BY cc.touch_id, cc.currency, cc.day`.execute(shard);
    const archived = await sql<Row>`
      SELECT a.kind, a.owner_id, nullif(a.currency, '') AS currency, a.day, a.conversions, a.revenue
      FROM archived_code_credits a
      WHERE a.model = ${model}
        AND ((a.kind = 'batch' AND a.owner_id IN (SELECT value FROM json_each(${JSON.stringify(batchIds)})))
          OR (a.kind = 'promo' AND a.owner_id IN (SELECT value FROM json_each(${JSON.stringify(promoIds)}))))`.execute(shard);
    return { credited: credited.rows, archived: archived.rows };
  });
  const credited = perShard.flatMap((shard) => shard.credited);
  const touchIds = JSON.stringify([...new Set(credited.map((row) => row.touch_id))]);
  const { rows: owners } = await sql<{ kind: 'batch' | 'promo'; owner_id: string; touch_id: string }>`
    SELECT 'batch' AS kind, e.batch_id AS owner_id, e.touch_id FROM code_entries e
    WHERE e.touch_id IN (SELECT value FROM json_each(${touchIds})) AND e.result = 'accepted'
      AND e.batch_id IN (SELECT id FROM code_batches WHERE campaign_id = ${campaignId})
    UNION ALL
    SELECT 'promo', r.promo_code_id, r.touch_id FROM promo_redemptions r
    WHERE r.touch_id IN (SELECT value FROM json_each(${touchIds}))
      AND r.promo_code_id IN (SELECT id FROM promo_codes WHERE campaign_id = ${campaignId})`.execute(db);
  const ownerOf = new Map(owners.map((row) => [row.touch_id, row]));
  const sums = new Map<string, CodeCreditSums>();
  const add = (kind: 'batch' | 'promo', ownerId: string, currency: string | null, day: string, conversions: number, revenue: number) => {
    const key = JSON.stringify([kind, ownerId, currency, day]);
    const sum = sums.get(key) ?? { kind, ownerId, currency, day, conversions: 0, revenue: 0 };
    sum.conversions += Number(conversions);
    sum.revenue += Number(revenue);
    sums.set(key, sum);
  };
  for (const row of credited) {
    const owner = ownerOf.get(row.touch_id);
    if (owner) add(owner.kind, owner.owner_id, row.currency, row.day, row.conversions, row.revenue);
  }
  for (const row of perShard.flatMap((shard) => shard.archived)) add(row.kind, row.owner_id, row.currency, row.day, row.conversions, row.revenue);
  return [...sums.values()];
}

/** The ids of a campaign's code batches or promotions (main database). */
async function ownerIds(db: Db, kind: 'batch' | 'promo', campaignId: string): Promise<string[]> {
  const table = kind === 'batch' ? sql`code_batches` : sql`promo_codes`;
  const { rows } = await sql<{ id: string }>`SELECT id FROM ${table} WHERE campaign_id = ${campaignId}`.execute(db);
  return rows.map((row) => row.id);
}

export interface LinkConversion {
  id: string;
  type: string;
  occurredAt: string;
  /** The conversion's own value and currency. */
  value: number | null;
  currency: string | null;
  /** The link's share of it under the model, and the revenue that share carries. */
  weight: number;
  revenue: number | null;
}

/** The conversions credited to a link under `model` in the UTC days [from, to], newest first. */
export async function findLinkConversions(
  db: Db,
  linkId: string,
  model: string,
  range: { from: string; to: string },
  limit: number,
): Promise<LinkConversion[]> {
  // Each conversion shard's newest `limit`, then the newest `limit` of them all (one database unless sharded).
  const perShard = await onEveryConversionShard(db, (shard) => findShardLinkConversions(shard, linkId, model, range, limit));
  if (perShard.length === 1) return perShard[0];
  const newest = (a: LinkConversion, b: LinkConversion) => (a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1);
  return perShard.flat().sort(newest).slice(0, limit);
}

async function findShardLinkConversions(db: Db, linkId: string, model: string, range: { from: string; to: string }, limit: number): Promise<LinkConversion[]> {
  const rows = await db
    .selectFrom('conversion_credits as cc')
    .innerJoin('conversions as c', 'c.id', 'cc.conversion_id')
    .select(['c.id', 'c.type', 'c.occurred_at', 'c.value', 'c.currency'])
    .select((eb) => [eb.fn.sum<number>('cc.weight').as('weight'), eb.fn.sum<number | null>('cc.revenue').as('revenue')])
    .where('cc.link_id', '=', linkId)
    .where('cc.model', '=', model as never)
    .where('cc.weight', '>', 0)
    .where('cc.day', '>=', range.from)
    .where('cc.day', '<=', range.to)
    .groupBy('c.id')
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at,
    value: row.value,
    currency: row.currency,
    weight: Number(row.weight),
    revenue: row.revenue === null ? null : Number(row.revenue),
  }));
}

/** Columns of a touch a link page breaks its visits down by. */
export const TOUCH_BREAKDOWNS = ['country', 'referrer_host'] as const;
export type TouchBreakdown = (typeof TOUCH_BREAKDOWNS)[number];

/**
 * Human visits of a link in the UTC days [from, to] per value of `column` (null: not known), busiest first,
 * from the daily facet rollup (schema/0015), which keeps its history when raw touches leave D1.
 */
export async function countLinkVisitsBy(
  db: Db,
  linkId: string,
  column: TouchBreakdown,
  range: { from: string; to: string },
  limit: number,
): Promise<Array<{ value: string | null; visits: number }>> {
  return topFacetValues(db, column === 'country' ? 'country' : 'referrer', { from: range.from, to: range.to, linkId }, limit);
}

/** What archiving a campaign stops: its live links, those scanned from print, code batches and codes, live promotions, referral links. */
export interface CampaignReach {
  links: number;
  scannedLinks: number;
  batches: number;
  codes: number;
  promos: number;
  referrals: number;
}

/** The reach of a campaign, in one statement. */
export async function findCampaignReach(db: Db, campaignId: string): Promise<CampaignReach> {
  const { rows } = await sql<Record<keyof CampaignReach, number | null>>`
    SELECT
      (SELECT count(*) FROM links WHERE campaign_id = ${campaignId} AND status = 'active') AS links,
      (SELECT count(*) FROM links l WHERE l.campaign_id = ${campaignId} AND l.status = 'active'
        AND EXISTS (SELECT 1 FROM touch_daily t WHERE t.link_id = l.id AND t.type = 'scan' AND t.is_bot = 0)) AS scannedLinks,
      (SELECT count(*) FROM code_batches WHERE campaign_id = ${campaignId}) AS batches,
      (SELECT sum(minted) FROM code_batches WHERE campaign_id = ${campaignId}) AS codes,
      (SELECT count(*) FROM promo_codes WHERE campaign_id = ${campaignId} AND status = 'active') AS promos,
      (SELECT count(*) FROM referrals WHERE campaign_id = ${campaignId}) AS referrals`.execute(db);
  const row = rows[0];
  return {
    links: Number(row?.links ?? 0),
    scannedLinks: isSharded(db) ? await countScannedLinks(db, campaignId) : Number(row?.scannedLinks ?? 0),
    batches: Number(row?.batches ?? 0),
    codes: Number(row?.codes ?? 0),
    promos: Number(row?.promos ?? 0),
    referrals: Number(row?.referrals ?? 0),
  };
}

/** The campaign's live links scanned from print, with several touch shards: the links from the main database, their scans from every shard. */
async function countScannedLinks(db: Db, campaignId: string): Promise<number> {
  const links = await db.selectFrom('links').select('id').where('campaign_id', '=', campaignId).where('status', '=', 'active').execute();
  if (links.length === 0) return 0;
  const ids = JSON.stringify(links.map((link) => link.id));
  const scanned = await onEveryShard(db, (shard) =>
    shard.d1
      .prepare("SELECT DISTINCT link_id FROM touch_daily WHERE link_id IN (SELECT value FROM json_each(?1)) AND type = 'scan' AND is_bot = 0")
      .bind(ids)
      .all<{ link_id: string }>()
      .then((r) => r.results.map((row) => row.link_id)),
  );
  return new Set(scanned.flat()).size;
}
