-- 0018: refunds of conversions (issue 13). A refund (full or partial) lowers the conversion's net value
-- (value - refunded): its stored credits are rewritten to revenue = weight x net value in the refund's own
-- batch, and the trigger below moves the credit rollups by the difference, so every report's revenue drops
-- by the refunded share. The conversion itself stays (a refunded order still happened): counts do not change.
-- A refund is idempotent on the shop's refund_id per conversion; the purchase points it reversed are kept
-- with it, so a repeated refund_id answers the first result.

ALTER TABLE conversions ADD COLUMN refunded REAL NOT NULL DEFAULT 0 CHECK (refunded >= 0);

CREATE TABLE refunds (
  id              TEXT PRIMARY KEY,
  conversion_id   TEXT NOT NULL,
  refund_key      TEXT NOT NULL,               -- the shop's refund_id, or this row's id when none was sent
  amount          REAL NOT NULL CHECK (amount > 0),
  refunded        REAL NOT NULL,               -- the conversion's refunded total after this refund
  points_reversed INTEGER NOT NULL DEFAULT 0,  -- purchase points this refund took back (pending first, then available)
  created_at      TEXT NOT NULL,
  UNIQUE (conversion_id, refund_key)
);

-- A credit's revenue rewritten (a refund): the rollups follow by the difference; its weight, and so the
-- conversion counts, stay.
CREATE TRIGGER conversion_credits_revalue AFTER UPDATE OF revenue ON conversion_credits
WHEN OLD.weight > 0 AND NEW.revenue IS NOT OLD.revenue
BEGIN
  UPDATE credit_daily SET revenue = revenue - coalesce(OLD.revenue, 0) + coalesce(NEW.revenue, 0)
  WHERE day = OLD.day AND model = OLD.model AND channel = OLD.channel AND campaign_id = coalesce(OLD.campaign_id, '')
    AND link_id = coalesce(OLD.link_id, '') AND device_class = coalesce(OLD.device_class, '') AND currency = coalesce(OLD.currency, '');
  UPDATE credit_hourly SET revenue = revenue - coalesce(OLD.revenue, 0) + coalesce(NEW.revenue, 0)
  WHERE hour = OLD.hour AND model = OLD.model AND campaign_id = coalesce(OLD.campaign_id, '') AND channel = OLD.channel
    AND currency = coalesce(OLD.currency, '');
END;
