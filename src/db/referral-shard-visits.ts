/**
 * Tell-a-friend visits stored on touch shards other than the main database (schema/0024): kept there
 * per (campaign, referrer hash), since the referrals live on the main database only. These reads map
 * them to the filter's referrals and add them to what the main database's referral_visits hold; a
 * visitor's touches all sit on one shard, so distinct visitors add up across shards.
 */
import type { Db } from './client';
import { touchDbs } from './shards';

/** The shapes of referral-reports.ts (restated: that module reads this one). */
type ReferralFilter = { from?: string; to?: string; campaignId?: string; referralId?: string };
type ReferralVisitSums = { referralId: string; code: string; campaignId: string; visits: number; uniqueVisitors: number };

type ReferralKey = { id: string; code: string; campaign_id: string; referrer_hash: string };

/** The filter's referrals with their keys, from the main database. */
async function referralKeys(db: Db, filter: ReferralFilter): Promise<ReferralKey[]> {
  let query = db.selectFrom('referrals').select(['id', 'code', 'campaign_id', 'referrer_hash']).where('referrer_hash', 'is not', null);
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.referralId) query = query.where('id', '=', filter.referralId);
  return (await query.execute()) as ReferralKey[];
}

/** `FROM … WHERE …` over a shard's referral_touch_visits of the given keys (?1, JSON) and days (?2, ?3). */
const KEYED_VISITS = `FROM referral_touch_visits v
  JOIN json_each(?1) k ON v.campaign_id = json_extract(k.value, '$[0]') AND v.referrer_hash = json_extract(k.value, '$[1]')
  WHERE v.day >= ?2 AND v.day <= ?3`;

const shardArgs = (keys: readonly ReferralKey[], filter: ReferralFilter) =>
  [JSON.stringify(keys.map((key) => [key.campaign_id, key.referrer_hash])), filter.from ?? '0000-01-01', filter.to ?? '9999-12-31'] as const;

/** `main` (the main database's sums) with every other shard's visits of the filter's referrals added, by referral id. */
export async function sumShardReferralVisits(db: Db, filter: ReferralFilter, main: readonly ReferralVisitSums[]): Promise<ReferralVisitSums[]> {
  const keys = await referralKeys(db, filter);
  const byKey = new Map(keys.map((key) => [JSON.stringify([key.campaign_id, key.referrer_hash]), key]));
  const sums = new Map(main.map((row) => [row.referralId, { ...row }]));
  if (keys.length === 0) return [...sums.values()];
  const [, ...others] = touchDbs(db);
  const perShard = await Promise.all(
    others.map(
      async (shard) =>
        (
          await shard.d1
            .prepare(`SELECT v.campaign_id, v.referrer_hash, SUM(v.visits) AS visits, COUNT(DISTINCT v.visitor_id) AS visitors ${KEYED_VISITS} GROUP BY 1, 2`)
            .bind(...shardArgs(keys, filter))
            .all<{ campaign_id: string; referrer_hash: string; visits: number; visitors: number }>()
        ).results,
    ),
  );
  for (const row of perShard.flat()) {
    const key = byKey.get(JSON.stringify([row.campaign_id, row.referrer_hash]));
    if (!key) continue;
    const sum = sums.get(key.id) ?? { referralId: key.id, code: key.code, campaignId: key.campaign_id, visits: 0, uniqueVisitors: 0 };
    sum.visits += Number(row.visits);
    sum.uniqueVisitors += Number(row.visitors);
    sums.set(key.id, sum);
  }
  return [...sums.values()].sort((a, b) => (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0));
}

/** Distinct visitors of the filter's referrals on every shard but the main database. */
export async function countShardReferralVisitors(db: Db, filter: ReferralFilter): Promise<number> {
  const keys = await referralKeys(db, filter);
  if (keys.length === 0) return 0;
  const [, ...others] = touchDbs(db);
  const counts = await Promise.all(
    others.map((shard) =>
      shard.d1
        .prepare(`SELECT COUNT(DISTINCT v.visitor_id) AS visitors ${KEYED_VISITS}`)
        .bind(...shardArgs(keys, filter))
        .first<{ visitors: number }>(),
    ),
  );
  return counts.reduce((sum, row) => sum + Number(row?.visitors ?? 0), 0);
}
