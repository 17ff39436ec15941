/** Request and response schemas of /api/v1/maintenance (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';

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
