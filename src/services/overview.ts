/**
 * The overview: the range's key figures beside the previous period's, the
 * visits and conversions per day and channel, and the top campaigns, links,
 * devices, countries and referrers, all under one filter. Reads rollups only.
 */
import type { Db } from '../db/client';
import { findLabels } from '../db/report-rollups';
import type { DimValues } from '../db/report-dims';
import { topFacetValues } from '../db/facet-rollups';
import { DAY_MS } from '../domain/attribution';
import { toCents, toMillionths, unconvertedParts, type UnconvertedPart } from '../domain/currency';
import { channelSeries, metricsBy } from './report-views';
import type { MetricRows, Metrics, ReportQuery } from './report-metrics';

/** Rows in each top list. */
export const TOP_ROWS = 5;

export interface Kpis {
  visits: number;
  unique_visitors: number | null;
  conversions: number;
  /** Revenue in the reporting currency, and apart per currency what had no exchange rate. */
  revenue: { revenue: number; currency: string | null; unconverted: UnconvertedPart[] };
  conversion_rate: number | null;
}

export interface TopRow {
  /** The filter value this row stands for (null: none/unknown, not filterable). */
  key: string | null;
  label: string | null;
  visits: number;
  /** Attributed conversions; null where the source cannot split them (countries, referrers). */
  conversions: number | null;
}

export interface Overview {
  from: string;
  to: string;
  previous: { from: string; to: string };
  current: Kpis;
  prior: Kpis;
  estimated: boolean;
  series: Array<{ day: string; channel: string; visits: number; conversions: number }>;
  top: { campaigns: TopRow[]; links: TopRow[]; devices: TopRow[]; countries: TopRow[]; referrers: TopRow[] };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The period of the same length just before `from`…`to`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS) + 1;
  return { from: day(start - days * DAY_MS), to: day(start - DAY_MS) };
}

/** Key figures of a range from its one-row totals. */
function kpisOf(totals: MetricRows): Kpis {
  const visits = totals.rows.reduce((sum, row) => sum + row.metrics.visits, 0);
  const conversions = toMillionths(totals.money.conversions);
  return {
    visits,
    unique_visitors: totals.uniques,
    conversions,
    revenue: { revenue: toCents(totals.money.revenue), currency: totals.rows[0]?.metrics.currency ?? null, unconverted: unconvertedParts(totals.money) },
    conversion_rate: visits > 0 ? toMillionths(totals.money.conversions / visits) : null,
  };
}

/** Groups metric rows by one dimension into top rows, most visits first. */
function topBy(rows: Array<{ dims: DimValues; metrics: Metrics }>, dim: keyof DimValues, label: (key: string | null) => string | null): TopRow[] {
  const byKey = new Map<string | null, TopRow>();
  for (const row of rows) {
    const key = row.dims[dim] ?? null;
    const top = byKey.get(key) ?? { key, label: label(key), visits: 0, conversions: 0 };
    top.visits += row.metrics.visits;
    top.conversions = toMillionths((top.conversions ?? 0) + row.metrics.conversions);
    byKey.set(key, top);
  }
  return [...byKey.values()]
    .filter((row) => row.visits > 0 || (row.conversions ?? 0) > 0)
    .sort((a, b) => b.visits - a.visits || (b.conversions ?? 0) - (a.conversions ?? 0) || (a.label ?? '').localeCompare(b.label ?? ''))
    .slice(0, TOP_ROWS);
}

export async function buildOverview(db: Db, query: ReportQuery): Promise<Overview> {
  const previous = previousPeriod(query.from, query.to);
  const [current, prior, series, campaigns, links, devices, countries, referrers] = await Promise.all([
    metricsBy(db, [], query),
    metricsBy(db, [], { ...query, ...previous }),
    channelSeries(db, query),
    metricsBy(db, ['campaign_id'], query),
    metricsBy(db, ['link_id'], query),
    metricsBy(db, ['device_class'], query),
    topFacetValues(db, 'country', query, TOP_ROWS),
    topFacetValues(db, 'referrer', query, TOP_ROWS),
  ]);
  const labels = await findLabels(
    db,
    campaigns.rows.map((row) => row.dims.campaign_id).filter((id): id is string => !!id),
    links.rows.map((row) => row.dims.link_id).filter((id): id is string => !!id),
  );
  const facet = (rows: Array<{ value: string | null; visits: number }>): TopRow[] =>
    rows.map((row) => ({ key: row.value, label: row.value, visits: row.visits, conversions: null }));
  return {
    from: query.from,
    to: query.to,
    previous,
    current: kpisOf(current),
    prior: kpisOf(prior),
    estimated: current.estimated || prior.estimated,
    series,
    top: {
      campaigns: topBy(campaigns.rows, 'campaign_id', (id) => (id === null ? null : (labels.campaigns.get(id) ?? id))),
      links: topBy(links.rows, 'link_id', (id) => (id === null ? null : (labels.links.get(id) ?? id))),
      devices: topBy(devices.rows, 'device_class', (key) => key),
      countries: facet(countries),
      referrers: facet(referrers),
    },
  };
}
