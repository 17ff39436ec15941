/** Request and response schemas of POST /api/v1/conversions/:id/refund. */
import { z } from '@hono/zod-openapi';

export const RefundInput = z
  .object({
    amount: z.number().gt(0).max(1e12).optional().openapi({ description: 'How much of the value to refund; absent: all that is left' }),
    refund_id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "The shop's id of the refund: the same one again answers the first result" }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals')
      .optional()
      .openapi({ description: "The refund's currency; must be the conversion's" }),
  })
  .strict()
  .openapi('RefundInput');

export const RefundSchema = z
  .object({
    conversion_id: z.string(),
    refund_id: z.string().describe('The shop’s refund_id, or the generated one'),
    amount: z.number().describe('What this refund took'),
    refunded: z.number().describe("The conversion's refunded total after it"),
    remaining_value: z.number().describe('What reports count for the conversion now (value - refunded)'),
    points_reversed: z.number().describe('Purchase points this refund took back (pending first; what was spent already became debt)'),
  })
  .openapi('Refund');
