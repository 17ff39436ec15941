/**
 * The cohort report: customers whose first purchase lies in [from, to],
 * grouped by its month, against months since (domain/cohorts.ts); filtered by
 * acquisition channel, acquisition campaign and bonus program membership.
 */
import { conversionDbs } from '../db/shards';
import type { Db } from '../db/client';
import { nextDayIso } from '../db/loyalty';
import { memberHashesAmong } from '../db/loyalty-members';
import { cohortTable, type Membership } from '../domain/cohorts';
import { customerActivity, missingOf } from './customer-days';
import { loadRateBook } from './exchange-rates';
import type { RangeFilter } from './loyalty';

export interface CohortFilter extends RangeFilter {
  channel?: string;
  membership?: Membership;
}

/** CSV columns of the cohort table, one line per cohort and month since, and those that hold money. */
export const COHORT_COLUMNS = ['cohort', 'cohort_customers', 'month', 'customers', 'share', 'orders', 'revenue', 'currency'];
export const COHORT_MONEY = ['revenue'];

/** The cohorts of first purchases in the range, each with a cell per month up to the month of `now`. */
export async function cohortReport(db: Db, filter: CohortFilter, now: number, sources: readonly Db[] = conversionDbs(db)) {
  const today = new Date(now).toISOString().slice(0, 10);
  const laterDay = [filter.to, today].sort()[1]; // ISO days sort as text
  const book = await loadRateBook(db, filter.from, laterDay);
  const read = await customerActivity(
    sources,
    { firstSaleFrom: `${filter.from}T00:00:00.000Z`, firstSaleTo: nextDayIso(filter.to), salesFrom: '', salesTo: '9999', campaignId: filter.campaignId },
    book,
  );
  let customers = read.filter((customer) => filter.channel === undefined || customer.channel === filter.channel);
  if (filter.membership) {
    // Members live on the main database, whichever database holds a customer's conversions.
    const members = await memberHashesAmong(
      db,
      customers.map((customer) => customer.hash),
    );
    customers = customers.filter((customer) => members.has(customer.hash) === (filter.membership === 'member'));
  }
  const cohorts = cohortTable(customers, today);
  return {
    from: filter.from,
    to: filter.to,
    channel: filter.channel ?? null,
    campaign_id: filter.campaignId ?? null,
    membership: filter.membership ?? null,
    currency: book.base,
    missing_rates: missingOf(customers),
    months: Math.max(0, ...cohorts.map((cohort) => cohort.cells.length)),
    cohorts,
  };
}

export type CohortReport = Awaited<ReturnType<typeof cohortReport>>;

/** The cohort table as CSV rows: one per cohort and month since. */
export const cohortCsvRows = (report: CohortReport) =>
  report.cohorts.flatMap((cohort) =>
    cohort.cells.map((cell) => ({ cohort: cohort.cohort, cohort_customers: cohort.customers, ...cell, currency: report.currency })),
  );
