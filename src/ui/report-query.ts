/** Report filters for dashboard pages, resolved like the report API resolves its query. */
import type { Context } from 'hono';
import { DAY_MS } from '../domain/attribution';
import { DEFAULT_ATTRIBUTION_MODEL, type AttributionModel } from '../domain/vocab';
import { lookbackDaysSetting } from '../services/record-conversion';
import { exactVisitorsLimitSetting, type ReportQuery } from '../services/reports';
import type { UiEnv } from './context';
import type { Formatters } from './i18n';

/** `from`/`to` defaults: the 30 days up to today (UTC). */
export function defaultRange(now: number): { from: string; to: string } {
  const to = new Date(now).toISOString().slice(0, 10);
  return { to, from: new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10) };
}

export function reportQuery(c: Context<UiEnv>, filter: { from: string; to: string; campaignId?: string; model?: AttributionModel }): ReportQuery {
  const stored = lookbackDaysSetting(c.env);
  return {
    from: filter.from,
    to: filter.to,
    campaignId: filter.campaignId,
    model: filter.model ?? DEFAULT_ATTRIBUTION_MODEL,
    lookbackDays: stored,
    storedLookbackDays: stored,
    interval: 'day',
    exactVisitorsLimit: exactVisitorsLimitSetting(c.env),
  };
}

type MetricRow = Record<string, string | number | null>;

/** Visits, conversions and revenue per currency summed over a group's rows (one row per currency). */
export function totals(rows: readonly MetricRow[]): { visits: number; conversions: number; revenue: Map<string | null, number> } {
  const revenue = new Map<string | null, number>();
  let visits = 0;
  let conversions = 0;
  for (const row of rows) {
    visits += Number(row.visits ?? 0);
    conversions += Number(row.conversions ?? 0);
    const currency = (row.currency as string | null) ?? null;
    if (Number(row.revenue ?? 0) !== 0 || row.currency) revenue.set(currency, (revenue.get(currency) ?? 0) + Number(row.revenue ?? 0));
  }
  return { visits, conversions, revenue };
}

/** "1.234,50 €, 99,00 $" — or "0" without revenue. */
export const revenueText = (fmt: Formatters, revenue: Map<string | null, number>): string =>
  revenue.size === 0 ? fmt.num(0) : [...revenue].map(([currency, value]) => fmt.money(value, currency)).join(', ');
