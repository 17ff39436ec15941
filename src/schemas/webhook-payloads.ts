/**
 * The `data` of outgoing webhook events that are not already an API answer built by their service: the object
 * as the API answers it, where that answer does not depend on the request (link URLs built from the request's
 * origin are left out; `slug` is there). Customers appear only as the keyed hash that is stored.
 */
import type { LinkWithCampaign } from '../db/links';
import type { NewConversion } from '../db/schema';
import { linkJson } from './links';

/** link.created: the link as `GET /api/v1/links/:id` answers it, without short_url and qr_url. */
export function linkEventData(link: LinkWithCampaign) {
  const { short_url: _short, qr_url: _qr, ...data } = linkJson(link, '');
  return data;
}

/** conversion.created: the conversion as `GET /api/v1/conversions/:id` answers it, without its touch path. */
export const conversionEventData = (
  row: NewConversion,
  attribution: ReadonlyArray<{ channel: string; campaign_id: string | null; link_id: string | null; weight: number }>,
) => ({
  id: row.id,
  type: row.type,
  order_id: row.order_id ?? null,
  click_id: row.click_id ?? null,
  visitor_id: row.visitor_id ?? null,
  customer_hash: row.customer_hash ?? null,
  promo_code: row.promo_code ?? null,
  value: row.value ?? null,
  currency: row.currency ?? null,
  refunded: 0,
  occurred_at: row.occurred_at,
  lookback_days: row.lookback_days,
  created_at: row.created_at,
  attribution,
});
