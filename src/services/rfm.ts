/**
 * The RFM report: the customers buying in [from, to], scored 1–5 on recency
 * (days from their last purchase in the range to `to`), frequency (orders in
 * the range) and monetary value (revenue in the range, reporting currency) as
 * quintiles over those customers, grouped into named segments (domain/rfm.ts)
 * and counted per acquisition channel.
 */
import { conversionDbs } from '../db/shards';
import type { Db } from '../db/client';
import { nextDayIso } from '../db/loyalty';
import { DAY_MS } from '../domain/attribution';
import { toCents } from '../domain/currency';
import { RFM_SEGMENTS, rfmChannelRows, scoreCustomers, segmentCounts, segmentFigures } from '../domain/rfm';
import { customerActivity, missingOf } from './customer-days';
import { loadRateBook } from './exchange-rates';
import type { RangeFilter } from './loyalty';

/** CSV columns of the per-channel table after `channel`, and of the per-segment table. */
export const RFM_CHANNEL_COLUMNS = ['customers', ...RFM_SEGMENTS];
export const RFM_SEGMENT_COLUMNS = ['segment', 'customers', 'share', 'revenue', 'currency', 'mean_recency_days', 'mean_orders', 'revenue_per_customer'];
export const RFM_SEGMENT_MONEY = ['revenue', 'revenue_per_customer'];

/** Scores, segments and counts per acquisition channel of the customers buying in the range (of the campaign's acquired customers when given). */
export async function rfmReport(db: Db, filter: RangeFilter, sources: readonly Db[] = conversionDbs(db)) {
  const book = await loadRateBook(db, filter.from, filter.to);
  const customers = await customerActivity(
    sources,
    { firstSaleFrom: '', firstSaleTo: '9999', salesFrom: `${filter.from}T00:00:00.000Z`, salesTo: nextDayIso(filter.to), campaignId: filter.campaignId },
    book,
  );
  const asOf = Date.parse(`${filter.to}T00:00:00Z`);
  const scored = scoreCustomers(
    customers.map((customer) => ({
      id: customer.hash,
      channel: customer.channel,
      recencyDays: Math.round((asOf - Date.parse(`${customer.days.at(-1)!.day}T00:00:00Z`)) / DAY_MS),
      orders: customer.days.reduce((sum, day) => sum + day.orders, 0),
      revenue: toCents(customer.days.reduce((sum, day) => sum + day.value, 0)),
    })),
  );
  return {
    from: filter.from,
    to: filter.to,
    as_of: filter.to,
    currency: book.base,
    missing_rates: missingOf(customers),
    segment_names: [...RFM_SEGMENTS],
    segments: segmentFigures(scored).map((figures) => ({ ...figures, currency: book.base })),
    rows: rfmChannelRows(scored),
    totals: { channel: 'total', customers: scored.length, ...segmentCounts(scored) },
  };
}

export type RfmReport = Awaited<ReturnType<typeof rfmReport>>;
