-- 0010: attribution that does not depend on write timing. Touches are written
-- after the redirect (in batches, or through the queue), so a shop can post a
-- conversion before its click is stored. A touch written after a conversion it
-- belongs to — the conversion's click, or a human touch of one of its visitors
-- inside its lookback window — queues that conversion here; the touch writer
-- (and the cron) attribute it again from everything stored by then. Credits a
-- re-attribution removes leave the credit rollups too.

CREATE TABLE pending_attributions (
  conversion_id TEXT PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,    -- bumped by every late touch: a run writes and clears only the version it read
  attempts      INTEGER NOT NULL DEFAULT 0     -- failed runs: the queue is worked lowest first, so one failing entry blocks nothing
) WITHOUT ROWID;

CREATE INDEX conversions_click ON conversions (click_id) WHERE click_id IS NOT NULL;
CREATE INDEX conversion_visitors_visitor ON conversion_visitors (visitor_id);

CREATE TRIGGER touches_late_for_conversions AFTER INSERT ON touches
BEGIN
  INSERT INTO pending_attributions (conversion_id)
  SELECT id FROM (
    SELECT c.id FROM conversions c WHERE c.click_id = NEW.id
    UNION
    SELECT c.id FROM conversion_visitors cv JOIN conversions c ON c.id = cv.conversion_id
    WHERE NEW.is_bot = 0 AND cv.visitor_id = NEW.visitor_id
      AND c.occurred_at >= NEW.occurred_at
      AND NEW.occurred_at >= strftime('%Y-%m-%dT%H:%M:%fZ', c.occurred_at, '-' || c.lookback_days || ' days'))
  WHERE true
  ON CONFLICT (conversion_id) DO UPDATE SET version = version + 1;
END;

-- The reverse of conversion_credits_rollup (0003); a cell left with no conversion is removed.
CREATE TRIGGER conversion_credits_unroll AFTER DELETE ON conversion_credits WHEN OLD.weight > 0
BEGIN
  UPDATE credit_daily SET conversions = conversions - OLD.weight, revenue = revenue - coalesce(OLD.revenue, 0)
  WHERE day = OLD.day AND model = OLD.model AND channel = OLD.channel AND campaign_id = coalesce(OLD.campaign_id, '')
    AND link_id = coalesce(OLD.link_id, '') AND device_class = coalesce(OLD.device_class, '') AND currency = coalesce(OLD.currency, '');
  DELETE FROM credit_daily
  WHERE day = OLD.day AND model = OLD.model AND channel = OLD.channel AND campaign_id = coalesce(OLD.campaign_id, '')
    AND link_id = coalesce(OLD.link_id, '') AND device_class = coalesce(OLD.device_class, '') AND currency = coalesce(OLD.currency, '')
    AND abs(conversions) < 1e-9;
  UPDATE credit_hourly SET conversions = conversions - OLD.weight, revenue = revenue - coalesce(OLD.revenue, 0)
  WHERE hour = OLD.hour AND model = OLD.model AND campaign_id = coalesce(OLD.campaign_id, '') AND channel = OLD.channel
    AND currency = coalesce(OLD.currency, '');
  DELETE FROM credit_hourly
  WHERE hour = OLD.hour AND model = OLD.model AND campaign_id = coalesce(OLD.campaign_id, '') AND channel = OLD.channel
    AND currency = coalesce(OLD.currency, '') AND abs(conversions) < 1e-9;
END;
