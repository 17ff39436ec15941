/**
 * Raw exports (`/api/v1/exports/*`): the query (a time range and a format),
 * its resolution to a half-open range of instants, and one exported row of
 * each kind (an NDJSON line; a CSV record has the same columns in the same order).
 */
import { z } from '@hono/zod-openapi';
import { DAY_MS } from '../domain/attribution';
import { CHANNELS, DEVICE_CLASSES, TOUCH_TYPES, BOT_REASONS } from '../domain/vocab';
import type { ExportRange } from '../db/exports';
import { ApiError } from '../lib/errors';
import { reportDay } from './reports';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC date (as the reports take it) or an ISO-8601 date-time with an offset. */
const dateOrInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'must be a date YYYY-MM-DD or a date-time like 2026-05-01T12:00:00Z',
    abort: true,
  })
  .refine((value) => (DATE.test(value) ? reportDay.safeParse(value).success : !Number.isNaN(Date.parse(value))), 'is not a calendar date or time');

export const ExportQuery = z.object({
  from: dateOrInstant.optional().openapi({
    description: 'Start, inclusive: a UTC date (from its first instant) or an ISO-8601 date-time; default 29 days before `to`',
    example: '2026-05-01',
  }),
  to: dateOrInstant.optional().openapi({
    description:
      'End: a UTC date is inclusive (up to its last instant), a date-time is exclusive, so consecutive exports `from=T1&to=T2`, `from=T2&to=T3` neither overlap nor miss a row; default today',
    example: '2026-05-31',
  }),
  format: z.enum(EXPORT_FORMATS).optional().openapi({
    description: 'ndjson (default) or csv; without it, an Accept header naming text/csv chooses CSV',
  }),
});

const startOf = (value: string): number => Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
/** The instant after a date's last one, or the date-time itself. */
const endOf = (value: string): number => (DATE.test(value) ? startOf(value) + DAY_MS : Date.parse(value));

/** The export's half-open range [from, to) as stored timestamps; defaults to the 30 UTC days up to today; refuses a reversed range. */
export function resolveExportRange(query: { from?: string; to?: string }, now: number): ExportRange {
  const to = query.to ? endOf(query.to) : startOf(new Date(now).toISOString().slice(0, 10)) + DAY_MS;
  const from = query.from ? startOf(query.from) : to - 30 * DAY_MS;
  // A date `to` names its whole day: the range may start anywhere within it (up to its last instant), not after it.
  const latestStart = query.to && DATE.test(query.to) ? to - 1 : to;
  if (from > latestStart) throw new ApiError('validation_error', 'to: must not be before from');
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The format asked for: `format` wins; otherwise an Accept header naming text/csv (and not NDJSON first) asks for CSV. */
export function exportFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format) return format;
  const wanted = (accept ?? '').toLowerCase();
  const csv = wanted.indexOf('text/csv');
  const ndjson = wanted.indexOf('application/x-ndjson');
  return csv >= 0 && (ndjson < 0 || csv < ndjson) ? 'csv' : 'ndjson';
}

const hashed = (what: string) =>
  z
    .string()
    .nullable()
    .openapi({ description: `Keyed hash (HMAC-SHA256, hex) of ${what}; never the value itself` });

/** One touch as exported (keys in column order). */
export const TouchExportRowSchema = z
  .object({
    id: z.string().openapi({ description: 'The touch id, also the click id (`tp_click`) handed to the landing site' }),
    occurred_at: z.string().openapi({ description: 'ISO-8601 UTC' }),
    type: z.enum(TOUCH_TYPES),
    campaign_id: z.string().nullable(),
    link_id: z.string().nullable(),
    channel: z.enum(CHANNELS),
    visitor_id: z.string().nullable().openapi({ description: "The visitor's first-party cookie id, or in cookieless mode a daily-salted hash" }),
    visitor_kind: z.enum(['cookie', 'hash']).nullable(),
    device_class: z.enum(DEVICE_CLASSES),
    os: z.string().nullable(),
    browser: z.string().nullable(),
    is_bot: z.boolean(),
    bot_reason: z.enum(BOT_REASONS).nullable(),
    user_agent: z.string().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
    referrer_host: z.string().nullable(),
    utm_source: z.string().nullable(),
    utm_medium: z.string().nullable(),
    utm_campaign: z.string().nullable(),
    rid_hash: hashed("an email tool's recipient id (`?rid=`)"),
    referrer_hash: hashed("the referrer's customer_ref on a tell-a-friend visit"),
  })
  .openapi('TouchExportRow', { description: 'One line of the touches export (NDJSON); the CSV has these columns in this order, is_bot as true/false' });

/** One conversion as exported (keys in column order). */
export const ConversionExportRowSchema = z
  .object({
    id: z.string(),
    occurred_at: z.string().openapi({ description: 'ISO-8601 UTC' }),
    type: z.string().openapi({ description: 'lead, sale, or a custom name' }),
    order_id: z.string().nullable(),
    click_id: z.string().nullable().openapi({ description: 'The touch id the shop reported it against' }),
    visitor_id: z.string().nullable(),
    customer_hash: hashed("the shop's customer_ref"),
    promo_code: z.string().nullable(),
    promo_touch_id: z.string().nullable().openapi({ description: 'The promo_redemption touch of this conversion' }),
    value: z.number().nullable().openapi({ description: 'The order value as reported, in `currency`' }),
    refunded: z.number().openapi({ description: 'What refunds took back of `value` so far, in `currency` (reports count value − refunded)' }),
    currency: z.string().nullable(),
    lookback_days: z.number().int(),
    created_at: z.string().openapi({ description: 'When Touchpoint recorded it, ISO-8601 UTC' }),
  })
  .openapi('ConversionExportRow', { description: 'One line of the conversions export (NDJSON); the CSV has these columns in this order' });
