/** Kysely table types of conversions and what hangs off them: their visitors, identity links, credits and refunds. */
import type { ColumnType, Generated } from 'kysely';
import type { AttributionModel } from '../domain/vocab';

export interface ConversionTable {
  id: string;
  type: string;
  order_id: string | null;
  click_id: string | null;
  visitor_id: string | null;
  customer_hash: string | null;
  promo_code: string | null;
  promo_touch_id: string | null;
  value: number | null;
  currency: string | null;
  occurred_at: string;
  day: string;
  lookback_days: number;
  created_at: string;
  /** What refunds took back of `value` (schema/0018); reports count value - refunded. */
  refunded: Generated<number>;
}

/** A refund of a conversion (schema/0018). */
export interface RefundTable {
  id: string;
  conversion_id: string;
  refund_key: string;
  amount: number;
  refunded: number;
  points_reversed: Generated<number>;
  created_at: string;
}

export interface ConversionVisitorTable {
  conversion_id: string;
  visitor_id: string;
}

export interface IdentityLinkTable {
  customer_hash: string;
  visitor_id: string;
  created_at: string;
}

/** A conversion's candidate touch at its place in the path (position 0 = earliest); no touch: channel direct. */
interface CreditedTouchColumns {
  conversion_id: string;
  position: number;
  touch_id: string | null;
  touch_at: string | null;
  channel: string;
  campaign_id: string | null;
  link_id: string | null;
  device_class: string | null;
  /** The credited touch's country and referring host ('' none; null: not known — no touch, or stored before schema/0032). */
  country: string | null;
  referrer_host: string | null;
}

/**
 * A conversion's candidate touch with its weight under every model (schema/0022_compact_storage.sql):
 * revenue is weight × net, currency, day and hour are the conversion's.
 */
export interface ConversionPathTable extends CreditedTouchColumns {
  /** The value net of refunds the credits were computed from; null: the conversion has no value. */
  net: number | null;
  w_last_touch: number;
  w_first_touch: number;
  w_linear: number;
  w_time_decay: number;
  w_position: number;
  /** The credited touch's rule, variant and cap mark; after_cap null: a plain touch (schema/0033). */
  rule: ColumnType<string | null, string | null | undefined, string | null>;
  variant: ColumnType<string | null, string | null | undefined, string | null>;
  after_cap: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A view over conversion_paths: one row per model and candidate touch, zero weights included. */
export interface ConversionCreditTable extends CreditedTouchColumns {
  model: AttributionModel;
  weight: number;
  revenue: number | null;
  currency: string | null;
  day: string;
  hour: string;
}

export interface ConversionTables {
  conversions: ConversionTable;
  conversion_visitors: ConversionVisitorTable;
  identity_links: IdentityLinkTable;
  conversion_paths: ConversionPathTable;
  conversion_credits: ConversionCreditTable;
  refunds: RefundTable;
}
