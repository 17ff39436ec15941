/** Query parameters shared by every report: the UTC date range and the format. */
import { z } from '@hono/zod-openapi';
import { DAY_MS } from '../domain/attribution';
import { ApiError } from '../lib/errors';

export const MAX_REPORT_DAYS = 731;

export const reportDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
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
