/** Request and response schemas of action-code entry. */
import { z } from '@hono/zod-openapi';

export const RedeemInput = z
  .object({
    code: z.string().min(1).max(100),
    customer_ref: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('CodeRedeemInput');

export const RedeemedSchema = z
  .object({
    status: z.literal('accepted'),
    campaign_id: z.string(),
    batch_id: z.string(),
    reward: z.string().optional(),
  })
  .openapi('CodeRedeemed');
