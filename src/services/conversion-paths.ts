/**
 * The conversion-paths report (docs/DESIGN.md "Conversion paths"): the channel sequences of the candidate touches
 * before each conversion of the range (conversion_paths, in candidate order), the most frequent first, with their
 * conversions and revenue (in the reporting currency at each day's rate); the distribution of path length (touches)
 * and of whole days from the first touch to the conversion. Conversions without a candidate touch (direct) have no
 * path and are left out.
 */
import type { Db } from '../db/client';
import { PATH_SEPARATOR } from '../db/journeys';
import { addMoney, emptySum, missingRates, toCents, toMillionths, unconvertedParts, type MoneySum, type UnconvertedPart } from '../domain/currency';
import { parsePath } from '../domain/markov';
import type { ArchiveReader } from './archive-reads';
import { loadRateBook } from './exchange-rates';
import { conversionJourneys } from './journeys';

export const DEFAULT_PATH_LIMIT = 50;
export const MAX_PATH_LIMIT = 500;

export interface PathRow {
  /** Channels of the touches in time order, joined by ' > '. */
  path: string;
  touches: number;
  conversions: number;
  revenue: number;
  currency: string;
  unconverted: UnconvertedPart[];
  /** Share of the range's conversions with a path. */
  share: number;
}

export interface Bucket {
  conversions: number;
  share: number;
}

export interface PathsReport {
  from: string;
  to: string;
  currency: string;
  missing_rates: string[];
  /** Conversions of the range with a candidate touch; `rows` hold the `limit` most frequent paths of them. */
  conversions: number;
  distinct_paths: number;
  rows: PathRow[];
  path_lengths: Array<{ touches: number } & Bucket>;
  days_to_conversion: Array<{ days: number } & Bucket>;
}

const shareOf = (part: number, whole: number) => (whole > 0 ? toMillionths(part / whole) : 0);

/** Counts per key, ascending by key, with shares of `total`. */
function distribution(counts: Map<number, number>, total: number): Array<{ key: number } & Bucket> {
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([key, conversions]) => ({ key, conversions, share: shareOf(conversions, total) }));
}

/** The paths report of [from, to] (optionally only conversions with a touch of `campaignId`); with `archive`, archived conversions' paths too. */
export async function pathsReport(
  db: Db,
  filter: { from: string; to: string; campaignId?: string; limit: number },
  archive: ArchiveReader | null,
): Promise<PathsReport> {
  const [rows, book] = await Promise.all([
    conversionJourneys(db, archive, filter.from, filter.to, filter.campaignId),
    loadRateBook(db, filter.from, filter.to),
  ]);
  const paths = new Map<string, { touches: number; money: MoneySum }>();
  const lengths = new Map<number, number>();
  const days = new Map<number, number>();
  let total = 0;
  for (const row of rows) {
    const path = paths.get(row.path) ?? { touches: row.touches, money: emptySum() };
    paths.set(row.path, path);
    addMoney(book, path.money, { currency: row.currency, day: row.day, conversions: row.conversions, revenue: row.value });
    lengths.set(row.touches, (lengths.get(row.touches) ?? 0) + row.conversions);
    days.set(row.days, (days.get(row.days) ?? 0) + row.conversions);
    total += row.conversions;
  }
  const ranked = [...paths.entries()]
    .map(([path, { touches, money }]) => ({
      path: parsePath(path, PATH_SEPARATOR).join(' > '),
      touches,
      conversions: money.conversions,
      revenue: toCents(money.revenue),
      currency: book.base,
      unconverted: unconvertedParts(money),
      share: shareOf(money.conversions, total),
    }))
    .sort((a, b) => b.conversions - a.conversions || b.revenue - a.revenue || a.path.localeCompare(b.path));
  const top = ranked.slice(0, filter.limit);
  return {
    from: filter.from,
    to: filter.to,
    currency: book.base,
    missing_rates: missingRates(top.map((row) => row.unconverted)),
    conversions: total,
    distinct_paths: ranked.length,
    rows: top,
    path_lengths: distribution(lengths, total).map(({ key, ...bucket }) => ({ touches: key, ...bucket })),
    days_to_conversion: distribution(days, total).map(({ key, ...bucket }) => ({ days: key, ...bucket })),
  };
}

/**
 * The CSV of a paths report, its three tables in one file told apart by `section`: `path` lines (the path rows, `days`
 * empty), then `path_length` lines (`touches`, `conversions`, `share`), then `days_to_conversion` lines (`days`,
 * `conversions`, `share`); a column a section does not have is empty.
 */
export const PATHS_CSV_COLUMNS = ['section', 'path', 'touches', 'days', 'conversions', 'share', 'revenue', 'currency', 'unconverted'] as const;

/** The lines of the paths CSV (PATHS_CSV_COLUMNS), sections in order. */
export function pathsCsvRows(report: PathsReport): Array<Record<string, unknown>> {
  return [
    ...report.rows.map((row) => ({ section: 'path', ...row })),
    ...report.path_lengths.map((bucket) => ({ section: 'path_length', ...bucket })),
    ...report.days_to_conversion.map((bucket) => ({ section: 'days_to_conversion', ...bucket })),
  ];
}
