/**
 * Report reads shaped for the dashboard's own views rather than the report API:
 * metric rows by any dimensions (the overview's totals and top lists), visits
 * and conversions per day and channel (the stacked bars), and channel × device
 * rows without unique visitors (a link's page).
 */
import type { Db } from '../db/client';
import type { Dim } from '../db/report-dims';
import { DEFAULT_REPORTING_CURRENCY, rateBook, toMillionths } from '../domain/currency';
import { ATTRIBUTED_CHANNELS, DEVICE_CLASSES, DIRECT } from '../domain/vocab';
import { loadRateBook } from './exchange-rates';
import { order } from './reports';
import { metricRows, type MetricRows, type ReportQuery, type Row } from './report-metrics';

/**
 * Metric rows grouped by any daily dimensions (none: the range's totals), money
 * in the reporting currency, for pages that shape their own views.
 */
export async function metricsBy(db: Db, dims: readonly Dim[], query: ReportQuery): Promise<MetricRows> {
  return metricRows(db, dims, query, await loadRateBook(db, query.from, query.to));
}

/** Visits and attributed conversions per UTC day and channel (revenue is left out). */
export async function channelSeries(db: Db, query: ReportQuery): Promise<Array<{ day: string; channel: string; visits: number; conversions: number }>> {
  const { rows } = await metricRows(db, ['day', 'channel'], query, rateBook(DEFAULT_REPORTING_CURRENCY, []), false);
  const cells = new Map<string, { day: string; channel: string; visits: number; conversions: number }>();
  for (const row of rows) {
    const day = row.dims.day ?? '';
    const channel = row.dims.channel ?? DIRECT;
    const key = `${day}|${channel}`;
    const cell = cells.get(key) ?? { day, channel, visits: 0, conversions: 0 };
    cell.visits += row.metrics.visits;
    cell.conversions = toMillionths(cell.conversions + row.metrics.conversions);
    cells.set(key, cell);
  }
  return [...cells.values()].sort((a, b) => a.day.localeCompare(b.day) || order(ATTRIBUTED_CHANNELS, a.channel) - order(ATTRIBUTED_CHANNELS, b.channel));
}

/**
 * Channel × device rows without unique visitors: the devices report for filters
 * whose visitor sketches are not split by device (one link), where only traffic,
 * conversions and revenue are wanted.
 */
export async function channelDeviceRows(db: Db, query: ReportQuery): Promise<Row[]> {
  const { rows } = await metricRows(db, ['channel', 'device_class'], query, await loadRateBook(db, query.from, query.to), false);
  rows.sort(
    (a, b) =>
      order(ATTRIBUTED_CHANNELS, a.dims.channel) - order(ATTRIBUTED_CHANNELS, b.dims.channel) ||
      order(DEVICE_CLASSES, a.dims.device_class) - order(DEVICE_CLASSES, b.dims.device_class),
  );
  return rows.map((row) => ({ channel: row.dims.channel ?? null, device_class: row.dims.device_class ?? null, ...row.metrics }));
}
