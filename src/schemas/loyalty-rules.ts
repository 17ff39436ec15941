/** Request and response schemas of /api/v1/loyalty/rules. */
import { z } from '@hono/zod-openapi';
import type { StoredRule } from '../db/loyalty-rules';
import { ABC_SEGMENTS } from '../domain/loyalty';
import { ATTRIBUTED_CHANNELS, LOYALTY_EVENT_TYPES, RECORD_STATUSES } from '../domain/vocab';
import { isoDateTime, jsonResponse } from './common';
import { currencyCode } from './exchange-rates';

const channel = z.enum(ATTRIBUTED_CHANNELS as [string, ...string[]]);
const cap = z.number().int('must be a whole number').min(1, 'must be 1 or more (leave it out for no cap)').max(1e6);
const names = (max: number) => z.array(z.string().trim().min(1).max(max)).min(1).max(50);

export const RuleSegmentInput = z
  .object({
    abc: z.array(z.enum(ABC_SEGMENTS)).min(1).max(3).optional(),
    tiers: names(50).optional(),
    acquisition_channels: z.array(channel).min(1).max(ATTRIBUTED_CHANNELS.length).optional(),
  })
  .strict()
  .openapi('LoyaltyRuleSegment');

export const RulePlaceInput = z
  .object({
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, like DE'))
      .min(1)
      .max(50)
      .optional(),
    regions: names(100).optional(),
  })
  .strict()
  .openapi('LoyaltyRulePlace');

const RuleFieldsInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(LOYALTY_EVENT_TYPES),
  event_name: z.string().trim().min(1).max(100).nullable().optional(),
  points: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1e6),
  currency: currencyCode.nullable().optional(),
  min_order: z.number().finite().min(0, 'must be 0 or more').max(1e9).nullable().optional(),
  campaign_id: z.string().min(1).max(64).nullable().optional(),
  channel: channel.nullable().optional(),
  starts_at: isoDateTime.nullable().optional(),
  ends_at: isoDateTime.nullable().optional(),
  segment: RuleSegmentInput.nullable().optional(),
  place: RulePlaceInput.nullable().optional(),
  cap_day: cap.nullable().optional(),
  cap_month: cap.nullable().optional(),
  cap_total: cap.nullable().optional(),
});

export const RuleInput = RuleFieldsInput.strict().openapi('LoyaltyRuleInput');
export const RulePatch = RuleFieldsInput.partial().strict().openapi('LoyaltyRulePatch');
export type RuleInputJson = z.infer<typeof RuleInput>;
export type RulePatchJson = z.infer<typeof RulePatch>;

export const RuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(LOYALTY_EVENT_TYPES),
    event_name: z.string().nullable(),
    points: z.number(),
    currency: z.string().nullable(),
    min_order: z.number().nullable(),
    campaign_id: z.string().nullable(),
    channel: z.string().nullable(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    segment: RuleSegmentInput.nullable(),
    place: RulePlaceInput.nullable(),
    cap_day: z.number().nullable(),
    cap_month: z.number().nullable(),
    cap_total: z.number().nullable(),
    status: z.enum(RECORD_STATUSES),
    archived_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('LoyaltyRule');

export const ruleJson = (rule: StoredRule) => ({
  id: rule.id,
  name: rule.name,
  kind: rule.kind,
  event_name: rule.eventName,
  points: rule.points,
  currency: rule.currency,
  min_order: rule.minOrder,
  campaign_id: rule.campaignId,
  channel: rule.channel,
  starts_at: rule.startsAt,
  ends_at: rule.endsAt,
  segment: rule.segment,
  place: rule.place,
  cap_day: rule.capDay,
  cap_month: rule.capMonth,
  cap_total: rule.capTotal,
  status: rule.archivedAt ? ('archived' as const) : ('active' as const),
  archived_at: rule.archivedAt,
  created_at: rule.createdAt,
  updated_at: rule.updatedAt,
});

export const ruleResponse = (description: string) => jsonResponse(RuleSchema, description);
