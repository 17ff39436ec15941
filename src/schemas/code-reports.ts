/** Response schema of /api/v1/reports/codes. */
import { z } from '@hono/zod-openapi';
import { REJECTION_REASONS } from '../domain/vocab';

export const Rejected = z.object(Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, z.number()])));

export const CodeReportSchema = z
  .object({
    campaign_id: z.string().nullable(),
    rows: z.array(
      z.object({
        kind: z.enum(['batch', 'promo']),
        id: z.string(),
        campaign_id: z.string(),
        label: z.string().nullable(),
        minted: z.number(),
        entered: z.number(),
        accepted: z.number(),
        rejected: Rejected,
        redeemed_codes: z.number(),
        redemption_rate: z.number(),
      }),
    ),
    unmatched: Rejected.nullable(),
  })
  .openapi('CodeReport');
