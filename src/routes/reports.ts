/** `/api/v1/reports/*`: channels, campaigns, links, timeseries and devices, as JSON or CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { DAY_MS, MAX_LOOKBACK_DAYS, MIN_LOOKBACK_DAYS } from '../domain/attribution';
import { ATTRIBUTION_MODELS, DEFAULT_ATTRIBUTION_MODEL } from '../domain/vocab';
import { requireScope } from '../lib/auth';
import { csvResponse, toCsv } from '../lib/csv';
import { ApiError } from '../lib/errors';
import { authErrors, createRouter } from '../lib/validation';
import { lookbackDaysSetting } from '../services/record-conversion';
import { buildReport, INTERVALS, type ReportKind } from '../services/reports';

const METRICS = ['visits', 'unique_visitors', 'clicks', 'scans', 'code_entries', 'bots', 'conversions', 'revenue', 'currency', 'conversion_rate'];

/** CSV columns per report, in order (JSON rows have the same keys). */
const COLUMNS: Record<ReportKind, readonly string[]> = {
  channels: ['channel', ...METRICS],
  devices: ['channel', 'device_class', ...METRICS],
  campaigns: ['campaign_id', 'campaign_name', ...METRICS],
  links: ['link_id', 'slug', 'campaign_id', ...METRICS],
  timeseries: ['bucket', 'visits', 'unique_visitors', 'bots', 'conversions', 'revenue', 'currency', 'conversion_rate'],
};

const MAX_DAYS = 731;
const MAX_HOURLY_DAYS = 31;

export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  }, 'is not a calendar date');

const ReportQuery = z.object({
  from: day.optional().openapi({ description: 'First UTC day, inclusive; default 29 days before `to`' }),
  to: day.optional().openapi({ description: 'Last UTC day, inclusive; default today' }),
  campaign_id: z.string().min(1).max(64).optional(),
  model: z.enum(ATTRIBUTION_MODELS).default(DEFAULT_ATTRIBUTION_MODEL),
  lookback_days: z.coerce.number().int().min(MIN_LOOKBACK_DAYS).max(MAX_LOOKBACK_DAYS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const TimeseriesQuery = ReportQuery.extend({ interval: z.enum(INTERVALS).default('day') });

const ReportSchema = z
  .object({
    model: z.enum(ATTRIBUTION_MODELS),
    from: z.string(),
    to: z.string(),
    lookback_days: z.number(),
    interval: z.enum(INTERVALS).optional(),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  })
  .openapi('Report');

const security = [{ bearer: [] }];

/** The report's days: `to` defaults to today, `from` to 29 days before `to`; at most MAX_DAYS. */
export function reportRange(query: { from?: string; to?: string }, now: number): { from: string; to: string; days: number } {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new ApiError('validation_error', 'to: must not be before from');
  if (days > MAX_DAYS) throw new ApiError('validation_error', `to: the range may span at most ${MAX_DAYS} days`);
  return { from, to, days };
}

export const reports = createRouter();

const DESCRIPTIONS: Record<ReportKind, string> = {
  channels: 'Visits, distinct visitors, touches by type, bots, attributed conversions and revenue per channel',
  campaigns: 'The channel metrics per campaign',
  links: 'The channel metrics per tracked link',
  devices: 'The channel metrics per channel × device class',
  timeseries: 'Visits, conversions and revenue per UTC day or hour',
};

for (const kind of Object.keys(COLUMNS) as ReportKind[]) {
  reports.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}`,
      tags: ['reports'],
      security,
      middleware: requireScope('reports:read'),
      request: { query: kind === 'timeseries' ? TimeseriesQuery : ReportQuery },
      responses: {
        200: {
          content: { 'application/json': { schema: ReportSchema }, 'text/csv': { schema: z.string() } },
          description: DESCRIPTIONS[kind],
        },
        ...authErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid('query') as z.infer<typeof TimeseriesQuery>;
      const interval = query.interval ?? 'day';
      const { from, to, days } = reportRange(query, c.var.now());
      if (interval === 'hour' && days > MAX_HOURLY_DAYS) {
        throw new ApiError('validation_error', `interval: hourly series span at most ${MAX_HOURLY_DAYS} days`);
      }
      const stored = lookbackDaysSetting(c.env);
      const report = await buildReport(c.var.db, kind, {
        from,
        to,
        campaignId: query.campaign_id,
        model: query.model,
        lookbackDays: query.lookback_days ?? stored,
        storedLookbackDays: stored,
        interval,
      });
      if (query.format === 'csv') {
        return csvResponse(`${kind}-${query.model}-${from}-${to}.csv`, toCsv(COLUMNS[kind], report.rows)) as never;
      }
      return c.json(report, 200);
    },
  );
}
