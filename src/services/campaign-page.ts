/**
 * The figures of the campaign page and its link pages, read in grouped
 * statements: a page costs the same number of D1 reads for 2 links as for 200
 * (the links report groups by link; codes and promotions are summed per owner).
 */
import { archivedLinkConversions, newestFirst } from './credit-archive';
import type { AttributionModel } from '../domain/vocab';
import { findCampaignReach, findLinkConversions, countLinkVisitsBy, sumCodeCredits, type CampaignReach, type LinkConversion } from '../db/campaign-page';
import type { CodeBatch } from '../db/code-batches';
import type { Db } from '../db/client';
import type { PromoCode } from '../db/promo-codes';
import { buildCodeReport, type CodeReportRow } from './code-report';
import { addMoney, emptySum, sumUnconverted, toCents, toMillionths, unconvertedParts, type MoneySum, type UnconvertedPart } from '../domain/currency';
import { loadRateBook } from './exchange-rates';
import { channelDeviceRows, channelSeries } from './report-views';
import { buildReport } from './reports';
import type { ReportQuery, ReportValue } from './report-metrics';

/** Revenue in the reporting currency, and apart per currency what had no exchange rate. */
export interface Revenue {
  revenue: number;
  currency: string | null;
  unconverted: UnconvertedPart[];
}

const noRevenue = (): Revenue => ({ revenue: 0, currency: null, unconverted: [] });

export interface LinkFigures {
  visits: number;
  clicks: number;
  scans: number;
  /** Null when the report could not count them (never on the daily report). */
  visitors: number | null;
  conversions: number;
  revenue: Revenue;
}

type Row = Record<string, ReportValue>;

const emptyFigures = (): LinkFigures => ({ visits: 0, clicks: 0, scans: 0, visitors: 0, conversions: 0, revenue: noRevenue() });

/** Adds one report row to figures: its revenue in the reporting currency, and apart per currency what had no rate. */
function addRow(figures: LinkFigures, row: Row): void {
  figures.visits += Number(row.visits ?? 0);
  figures.clicks += Number(row.clicks ?? 0);
  figures.scans += Number(row.scans ?? 0);
  figures.visitors = row.unique_visitors === null || figures.visitors === null ? null : figures.visitors + Number(row.unique_visitors ?? 0);
  figures.conversions = Math.round((figures.conversions + Number(row.conversions ?? 0)) * 1e6) / 1e6;
  figures.revenue = {
    revenue: toCents(figures.revenue.revenue + Number(row.revenue ?? 0)),
    currency: (row.currency as string | null) ?? figures.revenue.currency,
    unconverted: sumUnconverted([figures.revenue.unconverted, (row.unconverted ?? []) as UnconvertedPart[]]),
  };
}

/** Figures per link of the query's campaign over its range (links without traffic are absent: zero). */
export async function linkFigures(db: Db, query: ReportQuery): Promise<{ byLink: Map<string, LinkFigures>; estimated: boolean }> {
  const report = await buildReport(db, 'links', query);
  const byLink = new Map<string, LinkFigures>();
  for (const row of report.rows) {
    const id = String(row.link_id ?? '');
    if (!id) continue;
    const figures = byLink.get(id) ?? emptyFigures();
    addRow(figures, row);
    byLink.set(id, figures);
  }
  return { byLink, estimated: report.unique_visitors_estimated };
}

export const noFigures = emptyFigures;

export interface CodeFigures {
  entered: number;
  accepted: number;
  redeemedCodes: number;
  conversions: number;
  revenue: Revenue;
}

/** Batches and promotions of a campaign with their entries, redemptions and credited conversions (all time). */
export async function codeFigures(db: Db, campaignId: string, model: string): Promise<{ batches: Map<string, CodeFigures>; promos: Map<string, CodeFigures> }> {
  const [report, credits] = await Promise.all([buildCodeReport(db, campaignId), sumCodeCredits(db, campaignId, model)]);
  const batches = new Map<string, CodeFigures>();
  const promos = new Map<string, CodeFigures>();
  const of = (row: Pick<CodeReportRow, 'kind' | 'id'>) => {
    const map = row.kind === 'batch' ? batches : promos;
    let figures = map.get(row.id);
    if (!figures) map.set(row.id, (figures = { entered: 0, accepted: 0, redeemedCodes: 0, conversions: 0, revenue: noRevenue() }));
    return figures;
  };
  for (const row of report.rows) Object.assign(of(row), { entered: row.entered, accepted: row.accepted, redeemedCodes: row.redeemed_codes });
  // Credits per owner, currency and conversion day: each day's revenue converted at that day's rate.
  const days = credits.map((credit) => credit.day).sort();
  const book = await loadRateBook(db, days[0] ?? '1970-01-01', days[days.length - 1] ?? '1970-01-01');
  const sums = new Map<CodeFigures, MoneySum>();
  for (const credit of credits) {
    const figures = of({ kind: credit.kind, id: credit.ownerId });
    const sum = sums.get(figures) ?? emptySum();
    addMoney(book, sum, credit);
    sums.set(figures, sum);
  }
  for (const [figures, sum] of sums) {
    figures.conversions = toMillionths(sum.conversions);
    figures.revenue = { revenue: toCents(sum.revenue), currency: book.base, unconverted: unconvertedParts(sum) };
  }
  return { batches, promos };
}

export interface BatchRow {
  batch: CodeBatch;
  figures: CodeFigures | null;
}
export interface PromoRow {
  promo: PromoCode;
  figures: CodeFigures | null;
}

export interface LinkReport {
  figures: LinkFigures;
  estimated: boolean;
  /** Visits and conversions per UTC day and channel. */
  series: Array<{ day: string; channel: string; visits: number; conversions: number }>;
  devices: Row[];
  countries: Array<{ value: string | null; visits: number }>;
  referrers: Array<{ value: string | null; visits: number }>;
  conversions: LinkConversion[];
}

const BREAKDOWN_ROWS = 20;
const CONVERSION_ROWS = 50;

/** The conversions credited to the query's link, newest first: from D1, then from archived credits in `bucket`. */
async function linkConversions(
  db: Db,
  bucket: R2Bucket | null,
  query: ReportQuery & { linkId: string; model: AttributionModel },
  limit: number,
): Promise<LinkConversion[]> {
  const hot = await findLinkConversions(db, query.linkId, query.model, { from: query.from, to: query.to }, limit);
  if (!bucket || hot.length >= limit) return hot;
  const archived = await archivedLinkConversions(db, bucket, query, limit);
  if (archived.length === 0) return hot;
  return [...hot, ...archived].sort(newestFirst).slice(0, limit);
}

/** Everything the link page shows of one link over the query's range (the query filtered to the link). */
export async function linkReport(
  db: Db,
  query: ReportQuery & { linkId: string; model: AttributionModel },
  bucket: R2Bucket | null = null,
): Promise<LinkReport> {
  const range = { from: query.from, to: query.to };
  const [links, series, devices, countries, referrers, conversions] = await Promise.all([
    buildReport(db, 'links', query),
    channelSeries(db, query),
    // Without unique visitors: a link's visitor sketches are not split by device.
    channelDeviceRows(db, query),
    countLinkVisitsBy(db, query.linkId, 'country', range, BREAKDOWN_ROWS),
    countLinkVisitsBy(db, query.linkId, 'referrer_host', range, BREAKDOWN_ROWS),
    linkConversions(db, bucket, query, CONVERSION_ROWS),
  ]);
  const figures = emptyFigures();
  for (const row of links.rows) addRow(figures, row);
  return {
    figures,
    estimated: links.unique_visitors_estimated,
    series,
    devices,
    countries,
    referrers,
    conversions,
  };
}

export type { CampaignReach };

/** What archiving a campaign stops. */
export const campaignReach = (db: Db, campaignId: string): Promise<CampaignReach> => findCampaignReach(db, campaignId);
