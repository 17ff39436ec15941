/** Request and response schemas of /api/v1/spend: a day's cost on a campaign or a channel. */
import { z } from '@hono/zod-openapi';
import { CHANNELS } from '../domain/vocab';
import { currency } from './conversions';
import { reportDay } from './reports';

/** Entries one request (JSON or CSV) may store. */
export const MAX_SPEND_PER_REQUEST = 1000;

export const spendAmount = z
  .number()
  .finite()
  .min(0, 'must not be negative')
  .max(1e12, 'must be at most 1000000000000')
  .openapi({ description: 'The cost of the day in `currency`' });

/** One entry: exactly one of campaign_id and channel. */
export const SpendInput = z
  .object({
    day: reportDay.openapi({ description: 'The UTC day the money was spent, YYYY-MM-DD' }),
    campaign_id: z.string().min(1).max(64).optional().openapi({ description: "The campaign the cost is for; it counts on its links' channels" }),
    channel: z.enum(CHANNELS).optional().openapi({ description: 'A channel, for cost not tied to a campaign' }),
    amount: spendAmount,
    currency: currency.openapi({ description: 'ISO 4217; converted into the reporting currency at the rate of `day`' }),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if ((entry.campaign_id === undefined) === (entry.channel === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['campaign_id'], message: 'give either campaign_id or channel, not both or neither' });
    }
  })
  .openapi('SpendInput');
export type SpendInputData = z.infer<typeof SpendInput>;

const SpendList = z.object({ spend: z.array(SpendInput).min(1).max(MAX_SPEND_PER_REQUEST) }).strict();

/** One entry, or `{spend: [...]}`; one entry is read as a list of one (so its errors name `spend.0.…`). */
export const SpendBody = z
  .preprocess((body) => (body !== null && typeof body === 'object' && !Array.isArray(body) && !('spend' in body) ? { spend: [body] } : body), SpendList)
  .openapi('SpendBody', {
    description: `One entry, or \`{spend: [...]}\` with up to ${MAX_SPEND_PER_REQUEST} (all stored or none); one entry is read as \`{spend: [entry]}\``,
  });

export const SpendSchema = z
  .object({
    id: z.string(),
    day: z.string(),
    campaign_id: z.string().nullable(),
    channel: z.enum(CHANNELS).nullable(),
    amount: z.number(),
    currency: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Spend');
export type Spend = z.infer<typeof SpendSchema>;

export const SavedSpendSchema = z
  .object({
    data: z.array(SpendSchema).openapi({ description: 'The stored entries, in input order' }),
    created: z.number().int(),
    updated: z.number().int().openapi({ description: 'Entries that replaced the one of the same day and campaign (or channel)' }),
  })
  .openapi('SavedSpend');

export const SpendListSchema = z.object({ data: z.array(SpendSchema), next_cursor: z.string().nullable() }).openapi('SpendList');

export const SpendListQuery = z.object({
  from: reportDay.optional().openapi({ description: 'First UTC day, inclusive; default 29 days before `to`' }),
  to: reportDay.optional().openapi({ description: 'Last UTC day, inclusive; default today' }),
  campaign_id: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}:spd_[0-9A-Z]{26}$/, 'must be a next_cursor of this list')
    .optional(),
});

export const SpendParams = z.object({ id: z.string().min(1).max(64) });

/** The columns of a spend CSV: day, amount and currency, and campaign_id or channel on each line. */
export const SPEND_IMPORT_COLUMNS = { required: ['day', 'amount', 'currency'], optional: ['campaign_id', 'channel'] } as const;
