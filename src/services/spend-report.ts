/**
 * Spend in the channel and campaign reports: each row gains its new customers
 * (the model's credit of customers' first conversions), its spend in the
 * reporting currency (each day at that day's rate, as revenue), and cost per
 * conversion, ROAS and CAC. Spend does not depend on the model; conversions,
 * revenue and new customers do.
 *
 * Where spend lands: a channel's own spend on its row; a campaign's spend on
 * its campaign's row, and in the channel report split over the campaign's
 * links' channels in proportion to its links per channel (domain/spend.ts).
 * Channel spend without a campaign is the campaign report's "no campaign" row.
 * A group with spend but no visits or conversions still gets a row.
 */
import type { Db } from '../db/client';
import { findLabels, sumStoredCredits } from '../db/report-rollups';
import type { Dim } from '../db/report-dims';
import { countCampaignLinksByChannel, findFirstConversionIds, holdsArchivedCredits, sumNewCustomerCredits, sumSpend } from '../db/spend';
import { toMillionths, type RateBook } from '../domain/currency';
import { addSpend, campaignChannelShares, emptySpend, scaledNewCustomers, spendFigures, unconvertedSpend, type SpendSum } from '../domain/spend';
import { ATTRIBUTED_CHANNELS, ATTRIBUTION_MODELS, type AttributionModel } from '../domain/vocab';
import { recomputeCredits } from './recompute-credits';
import type { RangeFilter } from '../db/report-dims';
import type { ArchiveReader } from './archive-reads';

/** What of a report's query spend needs (services/reports.ts ReportQuery, which builds the report and calls withSpend). */
export interface SpendQuery extends RangeFilter {
  model: string;
  lookbackDays: number;
  storedLookbackDays: number;
  archive?: ArchiveReader | null;
}

type Row = Record<string, unknown>;
/** What of a report withSpend reads and extends. */
interface ReportLike {
  missing_rates: string[];
  rows: Row[];
  totals: { conversions: number; revenue: number };
}

/** The columns spend adds to a channel or campaign row (and to the totals), in CSV order. */
export const SPEND_COLUMNS = ['new_customers', 'spend', 'spend_unconverted', 'cost_per_conversion', 'roas', 'cac'] as const;
/** Those of SPEND_COLUMNS that are money (to the cent in CSV). */
export const SPEND_MONEY_COLUMNS = ['spend', 'cost_per_conversion', 'cac'] as const;

type SpendKind = 'channels' | 'campaigns';
const DIM: Record<SpendKind, Extract<Dim, 'channel' | 'campaign_id'>> = { channels: 'channel', campaigns: 'campaign_id' };

const isStored = (model: string): model is AttributionModel => (ATTRIBUTION_MODELS as readonly string[]).includes(model);

/** Conversions credited per group key ('' for none) under a stored model and the query's lookback, only customers' first ones. */
async function newCustomersOf(db: Db, model: AttributionModel, dim: Extract<Dim, 'channel' | 'campaign_id'>, query: SpendQuery): Promise<Map<string, number>> {
  // Stored credits of archived conversion days are in R2 (schema/0029): there, as under another lookback, recompute.
  if (query.lookbackDays === query.storedLookbackDays && !(await holdsArchivedCredits(db, query))) {
    return new Map((await sumNewCustomerCredits(db, model, dim, query)).map((row) => [row.dim, row.customers]));
  }
  const firsts = await findFirstConversionIds(db, query);
  const cells = await recomputeCredits(db, model, [dim], query, query.lookbackDays, query.archive ?? null, firsts);
  return sumBy(cells, dim);
}

const sumBy = (cells: ReadonlyArray<{ dims: Partial<Record<Dim, string | null>>; conversions: number }>, dim: Dim) => {
  const sums = new Map<string, number>();
  for (const cell of cells) sums.set(cell.dims[dim] ?? '', (sums.get(cell.dims[dim] ?? '') ?? 0) + cell.conversions);
  return sums;
};

/**
 * New customers of each row. A stored model reads its credits of first
 * conversions; a model computed at read time (no per-conversion credits) scales
 * each row's conversions by the share of new customers among the row's linear
 * conversions (domain/spend.ts scaledNewCustomers).
 */
async function newCustomersByRow(db: Db, kind: SpendKind, query: SpendQuery, book: RateBook, rows: readonly Row[]): Promise<number[]> {
  const dim = DIM[kind];
  const keyOf = (row: Row) => String(row[dim] ?? '');
  if (isStored(query.model)) {
    const sums = await newCustomersOf(db, query.model, dim, query);
    return rows.map((row) => sums.get(keyOf(row)) ?? 0);
  }
  const [linearNew, linearCells] = await Promise.all([
    newCustomersOf(db, 'linear', dim, query),
    query.lookbackDays === query.storedLookbackDays
      ? sumStoredCredits(db, 'linear', [dim], query, book.base)
      : recomputeCredits(db, 'linear', [dim], query, query.lookbackDays, query.archive ?? null),
  ]);
  const linear = sumBy(linearCells, dim);
  return rows.map((row) =>
    scaledNewCustomers(Number(row.conversions), { conversions: linear.get(keyOf(row)) ?? 0, newCustomers: linearNew.get(keyOf(row)) ?? 0 }),
  );
}

/** Spend of the range per group key of `kind` (channel or campaign; '' for none) and in all, converted with `book`. */
export async function spendByKey(db: Db, kind: SpendKind, query: Pick<SpendQuery, 'from' | 'to' | 'campaignId'>, book: RateBook) {
  const cells = await sumSpend(db, query);
  const campaignIds = [...new Set(cells.flatMap((cell) => (cell.campaign_id ? [cell.campaign_id] : [])))];
  const links = kind === 'channels' ? await countCampaignLinksByChannel(db, campaignIds) : [];
  const sharesOf = new Map(campaignIds.map((id) => [id, campaignChannelShares(links.filter((row) => row.campaign_id === id))]));
  const byKey = new Map<string, SpendSum>();
  const total = emptySpend();
  const add = (key: string, cell: { currency: string; day: string; amount: number }) => {
    const sum = byKey.get(key) ?? emptySpend();
    addSpend(book, sum, cell);
    byKey.set(key, sum);
  };
  for (const cell of cells) {
    addSpend(book, total, cell);
    if (kind === 'campaigns') add(cell.campaign_id, cell);
    else if (cell.channel) add(cell.channel, cell);
    else for (const { channel, share } of sharesOf.get(cell.campaign_id) ?? []) add(channel, { ...cell, amount: cell.amount * share });
  }
  return { byKey, total };
}

/** A row of a group that has spend but no traffic or credits (the report's metrics, all zero). */
const emptyMetrics = (currency: string) => ({
  visits: 0,
  unique_visitors: 0,
  clicks: 0,
  scans: 0,
  code_entries: 0,
  bots: 0,
  conversions: 0,
  revenue: 0,
  currency,
  unconverted: [],
  conversion_rate: null,
});

/** Spend columns that cannot be told (the report is narrowed by link, channel, device or origin, which spend is not split by). */
const UNKNOWN_SPEND = { new_customers: null, spend: null, spend_unconverted: [], cost_per_conversion: null, roas: null, cac: null };

/** The figures of one row (or the totals) from its metrics, spend and new customers. */
function spendColumns(metrics: { conversions?: unknown; revenue?: unknown }, spend: SpendSum, newCustomers: number) {
  const unconverted = unconvertedSpend(spend);
  const figures = spendFigures({
    spend: spend.amount,
    conversions: Number(metrics.conversions),
    revenue: Number(metrics.revenue),
    newCustomers: toMillionths(newCustomers),
    complete: unconverted.length === 0,
  });
  return { new_customers: toMillionths(newCustomers), ...figures, spend_unconverted: unconverted };
}

/** `report` (of kind channels or campaigns, built with `book`) with the spend columns on every row and the totals. */
export async function withSpend<R extends ReportLike>(db: Db, kind: SpendKind, query: SpendQuery, book: RateBook, report: R): Promise<R> {
  if (query.linkId || query.channel || query.deviceClass || query.origin) {
    return { ...report, rows: report.rows.map((row) => ({ ...row, ...UNKNOWN_SPEND })), totals: { ...report.totals, ...UNKNOWN_SPEND } };
  }
  const dim = DIM[kind];
  const { byKey, total } = await spendByKey(db, kind, query, book);
  const rows: Row[] = [...report.rows];
  const present = new Set(rows.map((row) => String(row[dim] ?? '')));
  const added = [...byKey.keys()].filter((key) => !present.has(key));
  if (added.length > 0) {
    const names = kind === 'campaigns' ? (await findLabels(db, added.filter(Boolean), [])).campaigns : new Map<string, string>();
    for (const key of added) {
      const label: Row = kind === 'campaigns' ? { campaign_id: key || null, campaign_name: names.get(key) ?? null } : { channel: key };
      rows.push({ ...label, ...emptyMetrics(book.base) });
    }
    sortRows(kind, rows);
  }
  const newCustomers = await newCustomersByRow(db, kind, query, book, rows);
  const out = rows.map((row, i) => ({ ...row, ...spendColumns(row, byKey.get(String(row[dim] ?? '')) ?? emptySpend(), newCustomers[i]) }));
  const totals = {
    ...report.totals,
    ...spendColumns(
      report.totals,
      total,
      newCustomers.reduce((sum, value) => sum + value, 0),
    ),
  };
  return {
    ...report,
    missing_rates: [...new Set([...report.missing_rates, ...unconvertedSpend(total).map((part) => part.currency)])].sort(),
    rows: out,
    totals,
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The report's own order (services/reports.ts): channels in vocabulary order; campaigns by visits, then name and id. */
function sortRows(kind: SpendKind, rows: Row[]): void {
  const at = (channel: unknown) => (ATTRIBUTED_CHANNELS as readonly string[]).indexOf(text(channel));
  if (kind === 'channels') rows.sort((a, b) => at(a.channel) - at(b.channel));
  else
    rows.sort(
      (a, b) =>
        Number(b.visits) - Number(a.visits) ||
        text(a.campaign_name).localeCompare(text(b.campaign_name)) ||
        text(a.campaign_id).localeCompare(text(b.campaign_id)),
    );
}
