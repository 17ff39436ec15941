/** Request and response schemas of /api/v1/maintenance (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import { MAX_LOOKBACK_DAYS, MIN_LOOKBACK_DAYS } from '../domain/attribution';

export const day = z.iso.date();

export const ReclassifyInput = z.object({ from: day.optional(), to: day.optional() }).strict().openapi('ReclassifyInput');

export const ReclassifyResultSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    touches_checked: z.number(),
    touches_changed: z.number(),
    scanner_bursts_flagged: z.number(),
    opens_checked: z.number(),
    opens_changed: z.number(),
  })
  .openapi('ReclassifyResult');

const DeadLetterCountsSchema = z.object({
  objects: z.number().openapi({ description: 'Dead-letter objects in R2 (one per dead-lettered queue batch)' }),
  touches: z.number().openapi({ description: 'Touches they hold' }),
});

export const DeadLettersSchema = DeadLetterCountsSchema.openapi('DeadLetters');

export const ReplayDeadLettersResultSchema = z
  .object({
    replayed: DeadLetterCountsSchema.openapi({ description: 'Objects whose touches are now in D1 (and that were deleted from R2)' }),
    remaining: DeadLetterCountsSchema.openapi({ description: 'Objects still waiting: call again while objects remain' }),
  })
  .openapi('ReplayDeadLettersResult');

/** Days one recompute covers at most: its work (archived parts, conversions) stays within one request. */
export const MAX_RECOMPUTE_DAYS = 31;

export const RecomputeInput = z
  .object({
    from: day,
    to: day,
    lookback_days: z
      .number()
      .int()
      .min(MIN_LOOKBACK_DAYS)
      .max(MAX_LOOKBACK_DAYS)
      .optional()
      .openapi({ description: "Store the period's credits under this lookback (default: each conversion keeps its own)" }),
  })
  .strict()
  .openapi('RecomputeInput');

export const RecomputeResultSchema = ReclassifyResultSchema.extend({
  from: z.string(),
  to: z.string(),
  lookback_days: z.number().nullable(),
  archived_touches_checked: z.number(),
  archived_touches_changed: z.number(),
  parts_rewritten: z.number(),
  days_rebuilt: z.number(),
  conversions_queued: z.number(),
  conversions_pending: z.number().openapi({ description: 'Conversions queued but not re-attributed within this request: the minute cron finishes them' }),
}).openapi('RecomputeResult');
