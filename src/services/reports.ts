/**
 * Channel, campaign, link, device and time-series reports: traffic and
 * distinct visitors from the touch rollups, attributed conversions and revenue
 * from the credit rollups (or recomputed for a non-default lookback), merged
 * per row. Revenue is never summed across currencies: a row carries one
 * currency; a group with revenue in several currencies gets one extra row per
 * further currency whose traffic columns are 0 (so columns still add up).
 */
import type { Db } from '../db/client';
import {
  countUniqueVisitors,
  estimateUniqueVisitors,
  findLabels,
  sumStoredCredits,
  sumTraffic,
  type CreditCell,
  type Dim,
  type DimValues,
  type RangeFilter,
  type TrafficCell,
} from '../db/report-rollups';
import { DEFAULT_EXACT_VISITORS_LIMIT, estimatesVisitors } from '../domain/visitor-sketch';
import { CHANNELS, DEVICE_CLASSES, DIRECT, type AttributionModel } from '../domain/vocab';
import { recomputeCredits } from './recompute-credits';

export const REPORT_KINDS = ['channels', 'campaigns', 'links', 'devices', 'timeseries'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const INTERVALS = ['day', 'hour'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface ReportQuery extends RangeFilter {
  model: AttributionModel;
  /** The lookback to report under, and the one credits were stored with. */
  lookbackDays: number;
  storedLookbackDays: number;
  interval: Interval;
  /** Up to this many human visits in the range, unique visitors are counted exactly; above, estimated from sketches. */
  exactVisitorsLimit: number;
}

/** The EXACT_VISITORS_LIMIT setting (default DEFAULT_EXACT_VISITORS_LIMIT). */
export function exactVisitorsLimitSetting(env: { EXACT_VISITORS_LIMIT?: string }): number {
  const limit = Number(env.EXACT_VISITORS_LIMIT);
  return env.EXACT_VISITORS_LIMIT !== undefined && env.EXACT_VISITORS_LIMIT !== '' && Number.isInteger(limit) && limit >= 0
    ? limit
    : DEFAULT_EXACT_VISITORS_LIMIT;
}

export interface Metrics {
  visits: number;
  unique_visitors: number | null;
  clicks: number;
  scans: number;
  code_entries: number;
  bots: number;
  conversions: number;
  revenue: number;
  currency: string | null;
  conversion_rate: number | null;
}

type Row = Record<string, string | number | null>;

export interface Report {
  model: AttributionModel;
  from: string;
  to: string;
  lookback_days: number;
  interval?: Interval;
  /** True when unique_visitors are HyperLogLog estimates (±3.25 %) rather than exact counts. */
  unique_visitors_estimated: boolean;
  rows: Row[];
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;
/** Revenue in a report is money: to the cent (credits themselves keep their fractions). */
const toCents = (value: number): number => Math.round(value * 100) / 100;

interface Group extends TrafficCell {
  uniques: number | null;
  credits: CreditCell[];
}

const keyOf = (dims: readonly Dim[], values: DimValues) => JSON.stringify(dims.map((dim) => values[dim] ?? null));

export interface MetricRows {
  rows: Array<{ dims: DimValues; metrics: Metrics }>;
  estimated: boolean;
}

/**
 * Traffic, then unique visitors: exact (distinct visitor sets) while the range
 * holds at most `exactVisitorsLimit` human visits, estimated from the day
 * sketches above that, so the cost stays flat as events grow.
 */
async function trafficAndUniques(db: Db, dims: readonly Dim[], query: ReportQuery, withUniques: boolean) {
  const traffic = await sumTraffic(db, dims, query);
  const visits = traffic.reduce((sum, cell) => sum + cell.visits, 0);
  const estimated = withUniques && estimatesVisitors(visits, query.exactVisitorsLimit);
  const uniques = !withUniques ? [] : estimated ? await estimateUniqueVisitors(db, dims, query) : await countUniqueVisitors(db, dims, query);
  return { traffic, uniques, estimated };
}

/** Reads and merges the three sources into metric rows, one per group and currency. */
async function metricRows(db: Db, dims: readonly Dim[], query: ReportQuery, withUniques = !dims.includes('hour')): Promise<MetricRows> {
  const [{ traffic, uniques, estimated }, credits] = await Promise.all([
    trafficAndUniques(db, dims, query, withUniques),
    query.lookbackDays === query.storedLookbackDays
      ? sumStoredCredits(db, query.model, dims, query)
      : recomputeCredits(db, query.model, dims, query, query.lookbackDays),
  ]);
  const groups = new Map<string, Group>();
  const groupOf = (values: DimValues): Group => {
    const key = keyOf(dims, values);
    let group = groups.get(key);
    if (!group) {
      group = { dims: values, visits: 0, clicks: 0, scans: 0, code_entries: 0, bots: 0, uniques: withUniques ? 0 : null, credits: [] };
      groups.set(key, group);
    }
    return group;
  };
  for (const cell of traffic)
    Object.assign(groupOf(cell.dims), { visits: cell.visits, clicks: cell.clicks, scans: cell.scans, code_entries: cell.code_entries, bots: cell.bots });
  for (const cell of uniques) groupOf(cell.dims).uniques = cell.visitors;
  for (const cell of credits) groupOf(cell.dims).credits.push(cell);

  const rows: Array<{ dims: DimValues; metrics: Metrics }> = [];
  for (const group of groups.values()) {
    const currencies = [...new Set(group.credits.map((c) => c.currency).filter((c): c is string => c !== null))].sort();
    const rate = (conversions: number) => (group.visits > 0 ? round(conversions / group.visits) : null);
    const sumFor = (pick: (currency: string | null) => boolean) => {
      const cells = group.credits.filter((cell) => pick(cell.currency));
      return { conversions: cells.reduce((s, c) => s + c.conversions, 0), revenue: cells.reduce((s, c) => s + c.revenue, 0) };
    };
    const primary = currencies[0] ?? null;
    const first = sumFor((currency) => currency === null || currency === primary);
    rows.push({
      dims: group.dims,
      metrics: {
        visits: group.visits,
        unique_visitors: group.uniques,
        clicks: group.clicks,
        scans: group.scans,
        code_entries: group.code_entries,
        bots: group.bots,
        conversions: round(first.conversions),
        revenue: toCents(first.revenue),
        currency: primary,
        conversion_rate: rate(first.conversions),
      },
    });
    for (const currency of currencies.slice(1)) {
      const sum = sumFor((c) => c === currency);
      rows.push({
        dims: group.dims,
        metrics: {
          visits: 0,
          unique_visitors: withUniques ? 0 : null,
          clicks: 0,
          scans: 0,
          code_entries: 0,
          bots: 0,
          conversions: round(sum.conversions),
          revenue: toCents(sum.revenue),
          currency,
          conversion_rate: rate(sum.conversions),
        },
      });
    }
  }
  return { rows, estimated };
}

/** Metric rows grouped by any daily dimensions (none: the range's totals), for pages that shape their own views. */
export const metricsBy = (db: Db, dims: readonly Dim[], query: ReportQuery): Promise<MetricRows> => metricRows(db, dims, query);

const CHANNEL_ORDER: readonly string[] = [...CHANNELS, DIRECT];
const order = (list: readonly string[], value: string | null | undefined) => {
  const at = list.indexOf(value ?? '');
  return at < 0 ? list.length : at;
};
const byText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').localeCompare(b ?? '');
const byCurrency = (a: Metrics, b: Metrics) => (a.currency === null ? -1 : b.currency === null ? 1 : a.currency.localeCompare(b.currency));

/** Builds one report. */
export async function buildReport(db: Db, kind: ReportKind, query: ReportQuery): Promise<Report> {
  const head = (estimated: boolean) => ({
    model: query.model,
    from: query.from,
    to: query.to,
    lookback_days: query.lookbackDays,
    unique_visitors_estimated: estimated,
  });
  switch (kind) {
    case 'channels': {
      const { rows, estimated } = await metricRows(db, ['channel'], query);
      rows.sort((a, b) => order(CHANNEL_ORDER, a.dims.channel) - order(CHANNEL_ORDER, b.dims.channel) || byCurrency(a.metrics, b.metrics));
      return { ...head(estimated), rows: rows.map((row) => ({ channel: row.dims.channel ?? null, ...row.metrics })) };
    }
    case 'devices': {
      const { rows, estimated } = await metricRows(db, ['channel', 'device_class'], query);
      rows.sort(
        (a, b) =>
          order(CHANNEL_ORDER, a.dims.channel) - order(CHANNEL_ORDER, b.dims.channel) ||
          order(DEVICE_CLASSES, a.dims.device_class) - order(DEVICE_CLASSES, b.dims.device_class) ||
          byCurrency(a.metrics, b.metrics),
      );
      return {
        ...head(estimated),
        rows: rows.map((row) => ({ channel: row.dims.channel ?? null, device_class: row.dims.device_class ?? null, ...row.metrics })),
      };
    }
    case 'campaigns': {
      const { rows, estimated } = await metricRows(db, ['campaign_id'], query);
      const { campaigns } = await findLabels(db, ids(rows, 'campaign_id'), []);
      const named = rows.map((row) => ({
        campaign_id: row.dims.campaign_id ?? null,
        campaign_name: campaigns.get(row.dims.campaign_id ?? '') ?? null,
        ...row.metrics,
      }));
      named.sort((a, b) => b.visits - a.visits || byText(a.campaign_name, b.campaign_name) || byText(a.campaign_id, b.campaign_id) || byCurrency(a, b));
      return { ...head(estimated), rows: named };
    }
    case 'links': {
      const { rows, estimated } = await metricRows(db, ['link_id', 'campaign_id'], query);
      const { links } = await findLabels(db, [], ids(rows, 'link_id'));
      const named = rows.map((row) => ({
        link_id: row.dims.link_id ?? null,
        slug: links.get(row.dims.link_id ?? '') ?? null,
        campaign_id: row.dims.campaign_id ?? null,
        ...row.metrics,
      }));
      named.sort((a, b) => b.visits - a.visits || byText(a.slug, b.slug) || byText(a.link_id, b.link_id) || byCurrency(a, b));
      return { ...head(estimated), rows: named };
    }
    case 'timeseries': {
      const { rows, estimated } = await timeseriesRows(db, query);
      return { ...head(estimated), interval: query.interval, rows };
    }
  }
}

const ids = (rows: Array<{ dims: DimValues }>, dim: Dim): string[] => [...new Set(rows.map((row) => row.dims[dim]).filter((id): id is string => !!id))];

/** Every bucket of the range (empty ones as zeros), UTC. */
async function timeseriesRows(db: Db, query: ReportQuery): Promise<{ rows: Row[]; estimated: boolean }> {
  const dim: Dim = query.interval === 'hour' ? 'hour' : 'day';
  const { rows, estimated } = await metricRows(db, [dim], query);
  const byBucket = new Map<string, Metrics[]>();
  for (const row of rows) byBucket.set(row.dims[dim] ?? '', [...(byBucket.get(row.dims[dim] ?? '') ?? []), row.metrics]);
  const out: Row[] = [];
  const step = dim === 'hour' ? 3_600_000 : 86_400_000;
  const end = Date.parse(`${query.to}T23:59:59.999Z`);
  for (let t = Date.parse(`${query.from}T00:00:00.000Z`); t <= end; t += step) {
    const iso = new Date(t).toISOString();
    const key = dim === 'hour' ? iso.slice(0, 13) : iso.slice(0, 10);
    const bucket = dim === 'hour' ? iso : key;
    const metrics = byBucket.get(key) ?? [];
    if (metrics.length === 0) {
      out.push({ bucket, visits: 0, unique_visitors: dim === 'hour' ? null : 0, bots: 0, conversions: 0, revenue: 0, currency: null, conversion_rate: null });
    }
    for (const m of metrics.sort(byCurrency)) {
      out.push({
        bucket,
        visits: m.visits,
        unique_visitors: m.unique_visitors,
        bots: m.bots,
        conversions: m.conversions,
        revenue: m.revenue,
        currency: m.currency,
        conversion_rate: m.conversion_rate,
      });
    }
  }
  return { rows: out, estimated };
}

/** Visits and attributed conversions per UTC day and channel (currencies merged: revenue is left out). */
export async function channelSeries(db: Db, query: ReportQuery): Promise<Array<{ day: string; channel: string; visits: number; conversions: number }>> {
  const { rows } = await metricRows(db, ['day', 'channel'], query, false);
  const cells = new Map<string, { day: string; channel: string; visits: number; conversions: number }>();
  for (const row of rows) {
    const day = row.dims.day ?? '';
    const channel = row.dims.channel ?? DIRECT;
    const key = `${day}|${channel}`;
    const cell = cells.get(key) ?? { day, channel, visits: 0, conversions: 0 };
    cell.visits += row.metrics.visits;
    cell.conversions = round(cell.conversions + row.metrics.conversions);
    cells.set(key, cell);
  }
  return [...cells.values()].sort((a, b) => a.day.localeCompare(b.day) || order(CHANNEL_ORDER, a.channel) - order(CHANNEL_ORDER, b.channel));
}

/**
 * Channel × device rows without unique visitors: the devices report for filters
 * whose visitor sketches are not split by device (one link), where only traffic,
 * conversions and revenue are wanted.
 */
export async function channelDeviceRows(db: Db, query: ReportQuery): Promise<Row[]> {
  const { rows } = await metricRows(db, ['channel', 'device_class'], query, false);
  rows.sort(
    (a, b) =>
      order(CHANNEL_ORDER, a.dims.channel) - order(CHANNEL_ORDER, b.dims.channel) ||
      order(DEVICE_CLASSES, a.dims.device_class) - order(DEVICE_CLASSES, b.dims.device_class) ||
      byCurrency(a.metrics, b.metrics),
  );
  return rows.map((row) => ({ channel: row.dims.channel ?? null, device_class: row.dims.device_class ?? null, ...row.metrics }));
}
