/** Request and response schemas of /api/v1/loyalty/challenges. */
import { z } from '@hono/zod-openapi';
import type { Challenge } from '../db/loyalty-challenges';
import { LOYALTY_EVENT_TYPES, RECORD_STATUSES } from '../domain/vocab';
import { isoDateTime, jsonResponse } from './common';

export const ChallengeInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).nullable().optional(),
    event_type: z.enum(LOYALTY_EVENT_TYPES),
    event_name: z.string().trim().min(1).max(100).nullable().optional(),
    campaign_id: z.string().min(1).max(64).nullable().optional(),
    goal: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(10000),
    bonus: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1e6),
    starts_at: isoDateTime,
    ends_at: isoDateTime,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.event_type === 'custom' && !input.event_name) ctx.addIssue({ code: 'custom', path: ['event_name'], message: 'required for a custom event type' });
    if (input.event_type !== 'custom' && input.event_name) ctx.addIssue({ code: 'custom', path: ['event_name'], message: 'only a custom event type has one' });
    if (input.ends_at <= input.starts_at) ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
  })
  .openapi('LoyaltyChallengeInput');

export type ChallengeInputJson = z.infer<typeof ChallengeInput>;

export const ChallengeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    event_type: z.enum(LOYALTY_EVENT_TYPES),
    event_name: z.string().nullable(),
    campaign_id: z.string().nullable(),
    goal: z.number(),
    bonus: z.number(),
    starts_at: z.string(),
    ends_at: z.string(),
    status: z.enum(RECORD_STATUSES),
    archived_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('LoyaltyChallenge');

export const challengeJson = (challenge: Challenge) => ({
  id: challenge.id,
  name: challenge.name,
  description: challenge.description,
  event_type: challenge.eventType,
  event_name: challenge.eventName,
  campaign_id: challenge.campaignId,
  goal: challenge.goal,
  bonus: challenge.bonus,
  starts_at: challenge.startsAt,
  ends_at: challenge.endsAt,
  status: challenge.archivedAt ? ('archived' as const) : ('active' as const),
  archived_at: challenge.archivedAt,
  created_at: challenge.createdAt,
});

export const challengeResponse = (description: string) => jsonResponse(ChallengeSchema, description);
