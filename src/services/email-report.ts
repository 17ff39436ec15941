/**
 * The email report: per campaign, human and machine opens, human and scanner clicks on its email links, the
 * click-through rate, and the conversions credited to those links under the report's model (Markov: their linear
 * credit scaled to the email channel's chain credit), revenue in the reporting currency.
 */
import type { Db } from '../db/client';
import { emailCounts, emailCredits } from '../db/loyalty';
import { addMoney, emptySum, missingRates, toCents, toMillionths, unconvertedParts, type UnconvertedPart } from '../domain/currency';
import { DATA_DRIVEN_MODEL, type ReportModel } from '../domain/vocab';
import type { ArchiveReader } from './archive-reads';
import type { MarkovSummary } from './markov';
import { loadMarkovFit, type MarkovFitPolicy } from './markov-store';
import { loadRateBook } from './exchange-rates';
import type { RangeFilter } from './loyalty';

export interface EmailRow {
  campaign_id: string;
  opens: number;
  machine_opens: number;
  human_clicks: number;
  scanner_clicks: number;
  ctr: number | null;
  conversions: number;
  revenue: number;
  currency: string;
  unconverted: UnconvertedPart[];
}

export interface EmailReport {
  model: ReportModel;
  /** Under model=markov: the chain's status and removal effects (services/markov.ts). */
  markov?: MarkovSummary;
  from: string;
  to: string;
  currency: string;
  missing_rates: string[];
  rows: EmailRow[];
  totals: Omit<EmailRow, 'campaign_id'>;
}

const ctrOf = (clicks: number, opens: number) => (opens > 0 ? toMillionths(clicks / opens) : null);

/** Per campaign: human and machine opens, human and scanner clicks on email links, CTR, attributed conversions and revenue (reporting currency). */
export async function emailReport(
  db: Db,
  filter: RangeFilter & { model: ReportModel; archive?: ArchiveReader | null; markovPolicy?: MarkovFitPolicy },
): Promise<EmailReport> {
  const markov = filter.model === DATA_DRIVEN_MODEL;
  const [counts, stored, book] = await Promise.all([
    emailCounts(db, filter.from, filter.to, filter.campaignId),
    emailCredits(db, markov ? 'linear' : filter.model, filter.from, filter.to, filter.campaignId),
    loadRateBook(db, filter.from, filter.to),
  ]);
  // Under markov, the email links' linear credits scaled to the email channel's Markov credit (services/markov.ts).
  const fit = markov ? await loadMarkovFit(db, filter, book, filter.archive ?? null, filter.markovPolicy) : null;
  const factor = fit ? (fit.factors.get('email') ?? { conversions: 0, revenue: 0 }) : { conversions: 1, revenue: 1 };
  const credits = stored.map((credit) => ({ ...credit, conversions: credit.conversions * factor.conversions, revenue: credit.revenue * factor.revenue }));
  const ids = [...new Set([...counts.map((c) => c.campaignId), ...credits.map((c) => c.campaignId)])].sort();
  const all = emptySum();
  for (const credit of credits) addMoney(book, all, credit);
  const rows: EmailRow[] = ids.map((id) => {
    const count = counts.find((c) => c.campaignId === id) ?? { opens: 0, machineOpens: 0, humanClicks: 0, scannerClicks: 0 };
    const money = emptySum();
    for (const credit of credits) if (credit.campaignId === id) addMoney(book, money, credit);
    return {
      campaign_id: id,
      opens: count.opens,
      machine_opens: count.machineOpens,
      human_clicks: count.humanClicks,
      scanner_clicks: count.scannerClicks,
      ctr: ctrOf(count.humanClicks, count.opens),
      conversions: toMillionths(money.conversions),
      revenue: toCents(money.revenue),
      currency: book.base,
      unconverted: unconvertedParts(money),
    };
  });
  const sum = (pick: (row: EmailRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const unconverted = unconvertedParts(all);
  const totals = {
    opens: sum((row) => row.opens),
    machine_opens: sum((row) => row.machine_opens),
    human_clicks: sum((row) => row.human_clicks),
    scanner_clicks: sum((row) => row.scanner_clicks),
    ctr: ctrOf(
      sum((row) => row.human_clicks),
      sum((row) => row.opens),
    ),
    conversions: toMillionths(all.conversions),
    revenue: toCents(all.revenue),
    currency: book.base,
    unconverted,
  };
  return {
    model: filter.model,
    ...(fit ? { markov: fit.summary } : {}),
    from: filter.from,
    to: filter.to,
    currency: book.base,
    missing_rates: missingRates([unconverted]),
    rows,
    totals,
  };
}
