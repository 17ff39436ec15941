/** `/api/v1/reports/*`: channels, campaigns, links, timeseries, devices and rules, as JSON or CSV. */
import { replicaOf } from '../db/client';
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { MAX_LOOKBACK_DAYS, MIN_LOOKBACK_DAYS } from '../domain/attribution';
import { DATA_DRIVEN_MODEL, DEFAULT_ATTRIBUTION_MODEL, REPORT_MODELS } from '../domain/vocab';
import { csvResponse } from '../lib/csv';
import { ApiError } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors } from '../schemas/common';
import { archiveReaderFor } from '../services/archive-reads';
import { markovFitPolicy } from '../services/markov-store';
import { lookbackDaysSetting } from '../services/window-settings';
import { buildReport, INTERVALS, type ReportKind } from '../services/reports';
import { exactVisitorsLimitSetting } from '../services/report-metrics';
import { reportCsv } from '../services/report-csv';
import { SPEND_COLUMNS, SPEND_MONEY_COLUMNS } from '../services/spend-report';
import { RangeQuery, ReportSchema, resolveRange } from '../schemas/reports';

const METRICS = [
  'visits',
  'unique_visitors',
  'clicks',
  'scans',
  'code_entries',
  'bots',
  'conversions',
  'revenue',
  'currency',
  'unconverted',
  'conversion_rate',
];

/** CSV columns per report, in order (JSON rows have the same keys). */
const COLUMNS: Record<ReportKind, readonly string[]> = {
  channels: ['channel', ...METRICS, ...SPEND_COLUMNS],
  devices: ['channel', 'device_class', ...METRICS],
  campaigns: ['campaign_id', 'campaign_name', ...METRICS, ...SPEND_COLUMNS],
  links: ['link_id', 'slug', 'campaign_id', ...METRICS],
  rules: ['link_id', 'slug', 'campaign_id', 'rule', 'variant', 'after_cap', ...METRICS],
  timeseries: ['bucket', 'visits', 'unique_visitors', 'bots', 'conversions', 'revenue', 'currency', 'unconverted', 'conversion_rate'],
};

const MAX_HOURLY_DAYS = 31;

const ReportQuery = RangeQuery.extend({
  model: z.enum(REPORT_MODELS).default(DEFAULT_ATTRIBUTION_MODEL).openapi({
    description:
      'Attribution model; `markov` is the data-driven one, computed over every journey of the range (the report then carries `markov` with the removal effects)',
  }),
  lookback_days: z.coerce.number().int().min(MIN_LOOKBACK_DAYS).max(MAX_LOOKBACK_DAYS).optional(),
});
const TimeseriesQuery = ReportQuery.extend({ interval: z.enum(INTERVALS).default('day') });

export const reports = createRouter();

const DESCRIPTIONS: Record<ReportKind, string> = {
  channels:
    "Visits, distinct visitors, touches by type, bots, attributed conversions and revenue (in the reporting currency) per channel, and their totals; then new customers (credit of customers' first conversions), spend (campaign spend split over its links' channels), cost per conversion, ROAS and CAC; CSV ends with a totals line",
  campaigns: 'The channel metrics per campaign, with the same spend columns (channel spend without a campaign on the row without one)',
  links: 'The channel metrics per tracked link',
  devices: 'The channel metrics per channel × device class',
  timeseries: 'Visits, conversions and revenue per UTC day or hour',
  rules:
    'The channel metrics of routed visits per link × rule × variant × after the cap (schema/0033, every day kept); visits that matched no rule and got no variant are not rows; `model=markov` is refused',
};

for (const kind of Object.keys(COLUMNS) as ReportKind[]) {
  reports.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}`,
      tags: ['reports'],
      ...guarded('reports:read'),
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
      const { from, to, days } = resolveRange(query, c.var.now());
      if (interval === 'hour' && days > MAX_HOURLY_DAYS) {
        throw new ApiError('validation_error', `interval: hourly series span at most ${MAX_HOURLY_DAYS} days`);
      }
      const stored = lookbackDaysSetting(c.env);
      const report = await buildReport(replicaOf(c.var.db), kind, {
        from,
        to,
        campaignId: query.campaign_id,
        model: query.model,
        lookbackDays: query.lookback_days ?? stored,
        storedLookbackDays: stored,
        interval,
        exactVisitorsLimit: exactVisitorsLimitSetting(c.env),
        archive: archiveReaderFor(c.var.db, c.env.ARCHIVE),
        markovPolicy: markovFitPolicy(c.env, c.var.now()),
      });
      if (query.format === 'csv') {
        const columns = kind === 'channels' && query.model === DATA_DRIVEN_MODEL ? [...COLUMNS[kind], 'removal_effect'] : COLUMNS[kind];
        return csvResponse(
          `${kind}-${query.model}-${from}-${to}.csv`,
          reportCsv(columns, report.rows, report.totals as never, ['revenue', ...SPEND_MONEY_COLUMNS]),
        ) as never;
      }
      return c.json(report, 200);
    },
  );
}
