/** Request and response schemas of /api/v1/loyalty/program. */
import { z } from '@hono/zod-openapi';
import type { Program } from '../domain/loyalty-program';
import { ENROLLMENT_MODES } from '../domain/vocab';
import { jsonResponse } from './common';
import { currencyCode } from './exchange-rates';

/** Most tiers a program may have. */
export const MAX_TIERS = 20;

const TierInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    min_points_12m: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1e9),
    multiplier: z.number().finite().min(1, 'must be 1 or more').max(100, 'must be at most 100'),
  })
  .strict();

export const ProgramInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    points_name: z.string().trim().min(1).max(50),
    point_value: z.number().finite().min(0, 'must be 0 or more').max(1e6),
    currency: currencyCode,
    pending_days: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(365, 'must be at most 365'),
    expiry_days: z.number().int('must be a whole number').min(1, 'must be 1 or more (null: points never expire)').max(3650).nullable(),
    tiers: z
      .array(TierInput)
      .max(MAX_TIERS)
      .superRefine((tiers, ctx) => {
        for (let i = 1; i < tiers.length; i++) {
          if (tiers[i].min_points_12m <= tiers[i - 1].min_points_12m) {
            ctx.addIssue({ code: 'custom', path: [i, 'min_points_12m'], message: 'tiers must be strictly ascending by min_points_12m' });
          }
        }
        const names = new Set<string>();
        for (const [i, tier] of tiers.entries()) {
          if (names.has(tier.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `tier name "${tier.name}" is used twice` });
          names.add(tier.name);
        }
      }),
    enrollment: z.enum(ENROLLMENT_MODES),
    referral_campaign_id: z.string().min(1).max(64).nullable().optional(),
  })
  .strict()
  .openapi('LoyaltyProgramInput');

export type ProgramInputJson = z.infer<typeof ProgramInput>;

export const ProgramSchema = z
  .object({
    name: z.string(),
    points_name: z.string(),
    point_value: z.number(),
    currency: z.string(),
    pending_days: z.number(),
    expiry_days: z.number().nullable(),
    tiers: z.array(z.object({ name: z.string(), min_points_12m: z.number(), multiplier: z.number() })),
    enrollment: z.enum(ENROLLMENT_MODES),
    referral_campaign_id: z.string().nullable(),
  })
  .openapi('LoyaltyProgram');

export const programJson = (program: Program) => ({
  name: program.name,
  points_name: program.pointsName,
  point_value: program.pointValue,
  currency: program.currency,
  pending_days: program.pendingDays,
  expiry_days: program.expiryDays,
  tiers: program.tiers.map((tier) => ({ name: tier.name, min_points_12m: tier.minPoints12m, multiplier: tier.multiplier })),
  enrollment: program.enrollment,
  referral_campaign_id: program.referralCampaignId,
});

/** The stored form of a valid input. */
export const programOf = (input: ProgramInputJson): Program => ({
  name: input.name,
  pointsName: input.points_name,
  pointValue: input.point_value,
  currency: input.currency,
  pendingDays: input.pending_days,
  expiryDays: input.expiry_days,
  tiers: input.tiers.map((tier) => ({ name: tier.name, minPoints12m: tier.min_points_12m, multiplier: tier.multiplier })),
  enrollment: input.enrollment,
  referralCampaignId: input.referral_campaign_id ?? null,
});

export const programResponse = (description: string) => jsonResponse(ProgramSchema, description);
