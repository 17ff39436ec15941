/** Query parameters shared by every report (the UTC date range and the format), and the money parts of report responses. */
import { z } from '@hono/zod-openapi';
import { DAY_MS } from '../domain/attribution';
import { MARKOV_STATUSES } from '../domain/markov';
import { REPORT_MODELS } from '../domain/vocab';
import { ApiError } from '../lib/errors';

export const MAX_REPORT_DAYS = 731;

export const reportDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine((value) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  }, 'is not a calendar date');

export const RangeQuery = z.object({
  from: reportDay.optional().openapi({ description: 'First UTC day, inclusive; default 29 days before `to`' }),
  to: reportDay.optional().openapi({ description: 'Last UTC day, inclusive; default today' }),
  campaign_id: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export interface DayRange {
  from: string;
  to: string;
  /** Whole days in the range. */
  days: number;
}

/** The inclusive UTC day range of a report: defaults to the 30 days up to today; refuses reversed or too long ranges. */
export function resolveRange(query: { from?: string; to?: string }, now: number): DayRange {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new ApiError('validation_error', 'to: must not be before from');
  if (days > MAX_REPORT_DAYS) throw new ApiError('validation_error', `to: the range may span at most ${MAX_REPORT_DAYS} days`);
  return { from, to, days };
}

export const INTERVALS = ['day', 'hour'] as const;
export type Interval = (typeof INTERVALS)[number];

/** What a row's revenue leaves out: per original currency without a rate for its day. */
export const UnconvertedSchema = z
  .array(z.object({ currency: z.string(), conversions: z.number(), revenue: z.number() }))
  .openapi('Unconverted', { description: 'Conversions (counted in `conversions`) whose revenue found no rate for its day, per currency; not in `revenue`' });

/** The money fields every report envelope carries. */
export const reportMoney = {
  currency: z.string().openapi({ description: 'The reporting currency (GET /api/v1/settings) every revenue figure is in' }),
  missing_rates: z.array(z.string()).openapi({ description: 'Currencies some revenue had no rate for; that revenue is in `unconverted`, not in `revenue`' }),
};

/** Spend that found no rate for its day, per currency: not in `spend`. */
export const UnconvertedSpendSchema = z
  .array(z.object({ currency: z.string(), amount: z.number() }))
  .openapi('UnconvertedSpend', { description: 'Spend whose day had no exchange rate, in its own currency; not in `spend` (and the ratios are null)' });

const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null(), UnconvertedSchema, UnconvertedSpendSchema]);

const MetricsSchema = z
  .object({
    visits: z.number(),
    unique_visitors: z.number().nullable(),
    clicks: z.number(),
    scans: z.number(),
    code_entries: z.number(),
    bots: z.number(),
    conversions: z.number().openapi({ description: 'Attributed conversions (fractions allowed), the unconverted ones included' }),
    revenue: z.number().openapi({ description: 'Attributed revenue in `currency`, each day converted at its rate' }),
    currency: z.string(),
    unconverted: UnconvertedSchema,
    conversion_rate: z.number().nullable(),
    new_customers: z.number().nullable().optional().openapi({ description: "Channels and campaigns: the model's credit of customers' first conversions" }),
    spend: z.number().nullable().optional().openapi({ description: 'Channels and campaigns: spend in `currency`, each day at its rate' }),
    spend_unconverted: UnconvertedSpendSchema.optional(),
    cost_per_conversion: z.number().nullable().optional().openapi({ description: 'spend ÷ conversions; null without either' }),
    roas: z.number().nullable().optional().openapi({ description: 'revenue ÷ spend; null without spend' }),
    cac: z.number().nullable().optional().openapi({ description: 'spend ÷ new_customers; null without either' }),
  })
  .openapi('ReportTotals');

/** What a report under model=markov says about its chain (services/markov.ts). */
export const MarkovSummarySchema = z
  .object({
    status: z.enum(MARKOV_STATUSES).openapi({
      description:
        "fitted: the credit is the chain's; computing: the range is larger than MARKOV_READ_TIME_TOUCHES and has no stored fit yet — the cron computes it, and meanwhile the credit is the linear model's",
    }),
    requested_at: z.string().nullable().openapi({ description: "When a report first asked for this range's fit (large ranges); null: never requested" }),
    journeys: z
      .number()
      .nullable()
      .openapi({ description: 'Journeys in the chain: converting ones and those that ended without a conversion; null while computing' }),
    converting_journeys: z.number().nullable().openapi({ description: 'Conversions of the range with a candidate touch; null while computing' }),
    max_steps: z.number().nullable().openapi({ description: 'Channel visits a walk may take: the longest path + 1, as ChannelAttribution simulates' }),
    computed_at: z.string().nullable().openapi({
      description:
        'When the cron fitted the chain of this range (the trailing 30 days, refitted hourly, or a requested range); null: fitted for this request, or computing',
    }),
    channels: z.array(
      z.object({
        channel: z.string(),
        removal_effect: z.number().openapi({ description: '1 − P(conversion without the channel) ÷ P(conversion)' }),
        removal_effect_value: z.number().openapi({ description: 'The same for the expected conversion value' }),
        conversions: z.number(),
        revenue: z.number(),
      }),
    ),
  })
  .openapi('MarkovSummary');

export const ReportSchema = z
  .object({
    model: z.enum(REPORT_MODELS),
    from: z.string(),
    to: z.string(),
    lookback_days: z.number(),
    interval: z.enum(INTERVALS).optional(),
    unique_visitors_estimated: z
      .boolean()
      .openapi({ description: 'true: unique_visitors are HyperLogLog estimates (±3.25 %); the range holds more human visits than EXACT_VISITORS_LIMIT' }),
    ...reportMoney,
    rows: z
      .array(z.record(z.string(), cellValue))
      .openapi({ description: 'One row per group (channel, campaign, link, channel × device, bucket, link × rule × variant)' }),
    totals: MetricsSchema.openapi({ description: 'The rows added up; unique_visitors distinct over the whole range (null for hourly series)' }),
    markov: MarkovSummarySchema.optional().openapi({ description: 'Under model=markov: the journeys of the chain and the removal effect of each channel' }),
  })
  .openapi('Report');
