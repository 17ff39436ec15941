/** Request and response schemas of POST /api/v1/loyalty/events. */
import { z } from '@hono/zod-openapi';
import { LOYALTY_EVENT_STATUSES, LOYALTY_EVENT_TYPES } from '../domain/vocab';
import { currencyCode } from './exchange-rates';

export const EventInput = z
  .object({
    type: z.enum(LOYALTY_EVENT_TYPES),
    customer_ref: z.string().min(1).max(200),
    idempotency_key: z.string().min(1).max(200),
    value: z.number().finite().min(0, 'must be 0 or more').max(1e12).optional(),
    currency: currencyCode.optional(),
    campaign_id: z.string().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.type === 'custom' && !input.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'required for a custom event' });
    if (input.type !== 'custom' && input.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'only a custom event has a name' });
    if (input.value !== undefined && !input.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required with a value' });
    if (input.currency && input.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'required with a currency' });
  })
  .openapi('LoyaltyEventInput');

export const EventResultSchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'null: the program enrolls by sign-up and this customer has not signed up; nothing was stored' }),
    points: z.number(),
    status: z.enum(LOYALTY_EVENT_STATUSES),
    entries: z.array(z.object({ rule_id: z.string(), points: z.number() })),
  })
  .openapi('LoyaltyEventResult');

export const eventResultJson = (result: {
  id: string | null;
  points: number;
  status: (typeof LOYALTY_EVENT_STATUSES)[number];
  entries: { ruleId: string; points: number }[];
}) => ({
  id: result.id,
  points: result.points,
  status: result.status,
  entries: result.entries.map((entry) => ({ rule_id: entry.ruleId, points: entry.points })),
});
