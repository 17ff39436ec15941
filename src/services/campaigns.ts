/** Creating, editing and archiving campaigns: shared by the API and the dashboard. */
import { findCampaignById, insertCampaign, updateCampaign, type Campaign } from '../db/campaigns';
import type { Db } from '../db/client';
import type { ReferralReward } from '../domain/referrals';
import { campaignSlug } from '../domain/utm';
import type { RecordStatus } from '../domain/vocab';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { redirectCache, referralCache } from './link-cache';

export interface NewCampaign {
  name: string;
  utm_campaign?: string;
  landing_url?: string | null;
  referral_reward?: ReferralReward | null;
  description?: string | null;
  starts_at?: string | null;
  ends_at?: string | null;
}

/** Refuses a window that ends before it starts. */
export function checkCampaignWindow(startsAt: string | null | undefined, endsAt: string | null | undefined): void {
  if (startsAt && endsAt && endsAt < startsAt) throw new ApiError('validation_error', 'ends_at: must not be before starts_at');
}

/** Creates a campaign; utm_campaign defaults to a slug of the name. */
export async function createCampaign(db: Db, input: NewCampaign, now: number): Promise<Campaign> {
  checkCampaignWindow(input.starts_at, input.ends_at);
  return insertCampaign(
    db,
    newId('campaign', now),
    {
      name: input.name,
      utmCampaign: input.utm_campaign ?? campaignSlug(input.name),
      landingUrl: input.landing_url ?? null,
      referralReward: input.referral_reward ?? null,
      description: input.description ?? null,
      startsAt: input.starts_at ?? null,
      endsAt: input.ends_at ?? null,
    },
    now,
  );
}

/** Changes a campaign's fields (absent: unchanged, null: cleared); its links see the change at once in this isolate. */
export async function editCampaign(db: Db, id: string, patch: Partial<NewCampaign>, now: number): Promise<Campaign> {
  const current = await findCampaignById(db, id);
  if (!current) throw notFound('Campaign');
  checkCampaignWindow(patch.starts_at === undefined ? current.startsAt : patch.starts_at, patch.ends_at === undefined ? current.endsAt : patch.ends_at);
  const updated = await updateCampaign(
    db,
    id,
    {
      name: patch.name,
      utmCampaign: patch.utm_campaign,
      landingUrl: patch.landing_url,
      referralReward: patch.referral_reward,
      description: patch.description,
      startsAt: patch.starts_at,
      endsAt: patch.ends_at,
    },
    now,
  );
  if (!updated) throw notFound('Campaign');
  redirectCache.evictCampaign(id);
  referralCache.evictCampaign(id);
  return updated;
}

/** Archives or restores a campaign; the isolate's cached redirects of its links and referrals follow at once. */
async function setCampaignStatus(db: Db, id: string, status: RecordStatus, now: number): Promise<Campaign> {
  const updated = await updateCampaign(db, id, { status }, now);
  if (!updated) throw notFound('Campaign');
  redirectCache.evictCampaign(id);
  referralCache.evictCampaign(id);
  return updated;
}

/** Archives a campaign: its links (printed QR codes too) and referral links answer 410 from now on. */
export const archiveCampaign = (db: Db, id: string, now: number): Promise<Campaign> => setCampaignStatus(db, id, 'archived', now);

/** Restores an archived campaign: its links redirect again (those archived one by one stay archived). */
export const restoreCampaign = (db: Db, id: string, now: number): Promise<Campaign> => setCampaignStatus(db, id, 'active', now);

/** The campaign `id` when it exists and is active; otherwise a 422 naming the `field` that points at it. */
export async function findActiveCampaign(db: Db, id: string, field = 'campaign_id'): Promise<Campaign> {
  const campaign = await findCampaignById(db, id);
  if (!campaign) throw new ApiError('unprocessable', `${field}: no campaign ${id}`);
  if (campaign.status === 'archived') throw new ApiError('unprocessable', `${field}: campaign ${id} is archived`);
  return campaign;
}
