/** Campaigns. */
import { parseReferralReward, type ReferralReward } from '../domain/referrals';
import type { RecordStatus } from '../domain/vocab';
import { toIso } from '../lib/time';
import type { Db } from './client';
import { pageOf, type Page } from './pagination';
import type { CampaignRow } from './schema';

export interface Campaign {
  id: string;
  name: string;
  utmCampaign: string;
  landingUrl: string | null;
  /** What a referrer earns for a friend's first sale (a promo code template), or null. */
  referralReward: ReferralReward | null;
  description: string | null;
  startsAt: string | null;
  endsAt: string | null;
  status: RecordStatus;
  createdAt: string;
  updatedAt: string;
}

export type CampaignFields = Pick<Campaign, 'name' | 'utmCampaign' | 'landingUrl' | 'referralReward' | 'description' | 'startsAt' | 'endsAt'>;

const toCampaign = (row: CampaignRow): Campaign => ({
  id: row.id,
  name: row.name,
  utmCampaign: row.utm_campaign,
  landingUrl: row.landing_url,
  referralReward: parseReferralReward(row.referral_reward),
  description: row.description,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toColumns = (fields: Partial<CampaignFields>) => ({
  name: fields.name,
  utm_campaign: fields.utmCampaign,
  landing_url: fields.landingUrl,
  referral_reward: fields.referralReward === undefined ? undefined : fields.referralReward && JSON.stringify(fields.referralReward),
  description: fields.description,
  starts_at: fields.startsAt,
  ends_at: fields.endsAt,
});

/** Inserts a campaign and returns it. */
export async function insertCampaign(db: Db, id: string, fields: CampaignFields, now: number): Promise<Campaign> {
  const row = await db
    .insertInto('campaigns')
    .values({ ...toColumns(fields), name: fields.name, utm_campaign: fields.utmCampaign, id, created_at: toIso(now), updated_at: toIso(now) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCampaign(row);
}

/** One campaign by id. */
export async function findCampaignById(db: Db, id: string): Promise<Campaign | null> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCampaign(row) : null;
}

export interface CampaignFilter {
  status?: RecordStatus;
  limit: number;
  cursor?: string;
}

/** Campaigns newest first. */
export async function listCampaigns(db: Db, filter: CampaignFilter): Promise<Page<Campaign>> {
  let query = db.selectFrom('campaigns').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toCampaign), filter.limit);
}

/** Applies changed fields (and status); null when there is no such campaign. */
export async function updateCampaign(db: Db, id: string, fields: Partial<CampaignFields> & { status?: RecordStatus }, now: number): Promise<Campaign | null> {
  const row = await db
    .updateTable('campaigns')
    .set({ ...toColumns(fields), status: fields.status, updated_at: toIso(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toCampaign(row) : null;
}
