/** Request and response schemas of /api/v1/campaigns (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import type { Campaign } from '../db/campaigns';
import { RECORD_STATUSES } from '../domain/vocab';
import { isoDateTime, jsonResponse } from './common';
import { destinationUrl, utmValue } from './links';
import { ReferralRewardInput } from './referral-reward';

export const CampaignFieldsInput = z.object({
  name: z.string().trim().min(1).max(200),
  utm_campaign: utmValue.optional(),
  landing_url: destinationUrl.nullable().optional(),
  referral_reward: ReferralRewardInput.nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
  starts_at: isoDateTime.nullable().optional(),
  ends_at: isoDateTime.nullable().optional(),
});

export const CampaignInput = CampaignFieldsInput.strict().openapi('CampaignInput');
export const CampaignPatch = CampaignFieldsInput.partial().strict().openapi('CampaignPatch');

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    utm_campaign: z.string(),
    landing_url: z.string().nullable(),
    referral_reward: ReferralRewardInput.nullable(),
    description: z.string().nullable(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    status: z.enum(RECORD_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Campaign');

export const campaignJson = (campaign: Campaign) => ({
  id: campaign.id,
  name: campaign.name,
  utm_campaign: campaign.utmCampaign,
  landing_url: campaign.landingUrl,
  referral_reward: campaign.referralReward,
  description: campaign.description,
  starts_at: campaign.startsAt,
  ends_at: campaign.endsAt,
  status: campaign.status,
  created_at: campaign.createdAt,
  updated_at: campaign.updatedAt,
});

export const campaignResponse = (description: string) => jsonResponse(CampaignSchema, description);
