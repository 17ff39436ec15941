/**
 * Per-customer purchase days for the RFM and cohort reports, read from ONE
 * database: a customer's conversions all sit on one database (also when
 * conversions are sharded by customer), so the service reads each database
 * with this and concatenates (services/customer-days.ts).
 */
import type { Db } from './client';
import { ACQUIRED_CUSTOMERS_CTE } from './loyalty';

/** One customer's sales on one UTC day in one currency, with the customer's acquisition channel and campaign. */
export interface CustomerDayRow {
  customerHash: string;
  /** Channel of the first touch of the customer's first conversion; `direct` when it had none. */
  channel: string;
  campaignId: string | null;
  day: string;
  currency: string;
  orders: number;
  /** Net of refunds (schema/0018), in `currency`. */
  value: number;
}

export interface CustomerDaysFilter {
  /** Customers whose first sale lies in [firstSaleFrom, firstSaleTo) (ISO); '' and '9999' for every customer. */
  firstSaleFrom: string;
  firstSaleTo: string;
  /** The sales counted: [salesFrom, salesTo) (ISO). */
  salesFrom: string;
  salesTo: string;
  /** Only customers acquired by this campaign (first touch of their first conversion). */
  campaignId?: string;
}

/** Sales per customer, day and currency (ordered by customer, then day), of the customers and sales the filter keeps. */
export async function findCustomerDays(db: Db, filter: CustomerDaysFilter): Promise<CustomerDayRow[]> {
  const { results } = await db.d1
    .prepare(
      `WITH ${ACQUIRED_CUSTOMERS_CTE},
       first_sales AS (
         SELECT customer_hash, MIN(occurred_at) AS first_sale_at FROM conversions
         WHERE type = 'sale' AND value IS NOT NULL AND customer_hash IS NOT NULL GROUP BY customer_hash
       )
       SELECT a.customer_hash, a.channel, a.campaign_id, substr(c.occurred_at, 1, 10) AS day, c.currency,
              COUNT(*) AS orders, SUM(c.value - c.refunded) AS value
       FROM first_sales s JOIN acquired a ON a.customer_hash = s.customer_hash JOIN conversions c ON c.customer_hash = s.customer_hash
       WHERE s.first_sale_at >= ?1 AND s.first_sale_at < ?2
         AND c.type = 'sale' AND c.value IS NOT NULL AND c.occurred_at >= ?3 AND c.occurred_at < ?4
         AND (?5 IS NULL OR a.campaign_id = ?5)
       GROUP BY a.customer_hash, day, c.currency
       ORDER BY a.customer_hash, day, c.currency`,
    )
    .bind(filter.firstSaleFrom, filter.firstSaleTo, filter.salesFrom, filter.salesTo, filter.campaignId ?? null)
    .all<{ customer_hash: string; channel: string; campaign_id: string | null; day: string; currency: string; orders: number; value: number }>();
  return results.map((row) => ({
    customerHash: row.customer_hash,
    channel: row.channel,
    campaignId: row.campaign_id,
    day: row.day,
    currency: row.currency,
    orders: row.orders,
    value: row.value,
  }));
}
