/** The zod schema of a campaign's `referral_reward`: the template of the promo code a referrer earns. */
import { z } from '@hono/zod-openapi';
import { prefixProblem } from '../domain/codes';

export const ReferralRewardInput = z
  .object({
    discount: z.string().trim().min(1).max(200).openapi({ description: 'What the code gives, as shown to the customer ("10 %", "5 EUR")' }),
    prefix: z
      .string()
      .refine((value) => prefixProblem(value) === null, { error: (issue) => prefixProblem(String(issue.input)) ?? 'invalid prefix' })
      .optional(),
    min_order_value: z.number().min(0).max(1e12).optional(),
    valid_days: z.number().int().min(1).max(3650).optional().openapi({ description: 'Days the earned code stays valid; default unlimited' }),
  })
  .strict()
  .openapi('ReferralReward');
