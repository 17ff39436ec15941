-- 0003: conversions, their stored attribution credits under every model,
-- identity stitching (visitor <-> hashed customer reference), and the rollups
-- that keep reports flat in the number of raw events.
--
-- Rollups are maintained by AFTER INSERT triggers, so every write path
-- (redirect buffer, queue consumer, code/promo redemptions, seed script)
-- fills them in the same statement as the raw row, and a touch skipped by
-- `ON CONFLICT (id) DO NOTHING` (a retried batch) is never counted twice.
-- Rollup key columns use '' instead of NULL: SQLite treats NULLs in a
-- primary key as distinct, which would defeat the upserts.
-- Model names mirror ATTRIBUTION_MODELS in src/domain/vocab.ts.

CREATE TABLE conversions (
  id             TEXT PRIMARY KEY,
  type           TEXT NOT NULL,                 -- lead, sale, or a custom name
  order_id       TEXT UNIQUE,                   -- the shop's idempotency key
  click_id       TEXT,
  visitor_id     TEXT,
  customer_hash  TEXT,                          -- HMAC of customer_ref, never the ref itself
  promo_code     TEXT,
  promo_touch_id TEXT,                          -- the promo_redemption touch of this conversion
  value          REAL CHECK (value IS NULL OR value >= 0),
  currency       TEXT CHECK ((value IS NULL) = (currency IS NULL)),
  occurred_at    TEXT NOT NULL,
  day            TEXT NOT NULL,                 -- substr(occurred_at, 1, 10)
  lookback_days  INTEGER NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX conversions_day ON conversions (day);
CREATE INDEX conversions_customer ON conversions (customer_hash, occurred_at);

-- The visitors whose touches were candidates of a conversion (click id's
-- visitor, its visitor id, visitors stitched to its customer at that time):
-- the input for recomputing credits under another lookback.
CREATE TABLE conversion_visitors (
  conversion_id TEXT NOT NULL,
  visitor_id    TEXT NOT NULL,
  PRIMARY KEY (conversion_id, visitor_id)
) WITHOUT ROWID;

-- Identity stitching: a visitor seen together with a customer reference.
CREATE TABLE identity_links (
  customer_hash TEXT NOT NULL,
  visitor_id    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (customer_hash, visitor_id)
) WITHOUT ROWID;
CREATE INDEX identity_links_visitor ON identity_links (visitor_id);

-- One row per (conversion, model, candidate touch); touch_id NULL = channel direct.
CREATE TABLE conversion_credits (
  conversion_id TEXT NOT NULL,
  model         TEXT NOT NULL CHECK (model IN ('last_touch', 'first_touch', 'linear', 'time_decay', 'position')),
  position      INTEGER NOT NULL,              -- the touch's place in the candidate path, 0 = earliest
  touch_id      TEXT,
  touch_at      TEXT,
  channel       TEXT NOT NULL,
  campaign_id   TEXT,
  link_id       TEXT,
  device_class  TEXT,
  weight        REAL NOT NULL,
  revenue       REAL,
  currency      TEXT,
  day           TEXT NOT NULL,                 -- the conversion's UTC day
  hour          TEXT NOT NULL,                 -- the conversion's UTC hour, 'YYYY-MM-DDTHH'
  PRIMARY KEY (conversion_id, model, position)
);

-- Touches per day and every report dimension.
CREATE TABLE touch_daily (
  day          TEXT NOT NULL,
  campaign_id  TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  channel      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  type         TEXT NOT NULL,
  is_bot       INTEGER NOT NULL,
  touches      INTEGER NOT NULL,
  PRIMARY KEY (day, campaign_id, link_id, channel, device_class, type, is_bot)
) WITHOUT ROWID;

-- Touches per hour for the hourly time series.
CREATE TABLE touch_hourly (
  hour        TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  channel     TEXT NOT NULL,
  is_bot      INTEGER NOT NULL,
  touches     INTEGER NOT NULL,
  PRIMARY KEY (hour, campaign_id, channel, is_bot)
) WITHOUT ROWID;

-- Daily visitor sets (humans only): unique_visitors = COUNT(DISTINCT visitor_id) over a range.
CREATE TABLE visitor_daily (
  day          TEXT NOT NULL,
  channel      TEXT NOT NULL,
  campaign_id  TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  visitor_id   TEXT NOT NULL,
  PRIMARY KEY (day, channel, campaign_id, link_id, device_class, visitor_id)
) WITHOUT ROWID;

-- Attributed conversions and revenue per day, model and dimension.
CREATE TABLE credit_daily (
  day          TEXT NOT NULL,
  model        TEXT NOT NULL,
  channel      TEXT NOT NULL,
  campaign_id  TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  currency     TEXT NOT NULL,
  conversions  REAL NOT NULL,
  revenue      REAL NOT NULL,
  PRIMARY KEY (day, model, channel, campaign_id, link_id, device_class, currency)
) WITHOUT ROWID;
CREATE INDEX credit_daily_model_day ON credit_daily (model, day);

CREATE TABLE credit_hourly (
  hour        TEXT NOT NULL,
  model       TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  channel     TEXT NOT NULL,
  currency    TEXT NOT NULL,
  conversions REAL NOT NULL,
  revenue     REAL NOT NULL,
  PRIMARY KEY (hour, model, campaign_id, channel, currency)
) WITHOUT ROWID;

CREATE TRIGGER touches_rollup AFTER INSERT ON touches
BEGIN
  INSERT INTO touch_daily (day, campaign_id, link_id, channel, device_class, type, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 10), coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel,
          NEW.device_class, NEW.type, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  INSERT INTO touch_hourly (hour, campaign_id, channel, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 13), coalesce(NEW.campaign_id, ''), NEW.channel, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  INSERT OR IGNORE INTO visitor_daily (day, channel, campaign_id, link_id, device_class, visitor_id)
  SELECT substr(NEW.occurred_at, 1, 10), NEW.channel, coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''),
         NEW.device_class, NEW.visitor_id
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL;
END;

-- A touch reclassified after it was written (scanner bursts, the reclassify job)
-- moves from its old rollup cells to its new ones; its visitor leaves the old
-- visitor set only when no other human touch of that visitor still holds it there.
CREATE TRIGGER touches_rollup_update
AFTER UPDATE OF type, occurred_at, campaign_id, link_id, channel, visitor_id, device_class, is_bot ON touches
BEGIN
  UPDATE touch_daily SET touches = touches - 1
  WHERE day = substr(OLD.occurred_at, 1, 10) AND campaign_id = coalesce(OLD.campaign_id, '') AND link_id = coalesce(OLD.link_id, '')
    AND channel = OLD.channel AND device_class = OLD.device_class AND type = OLD.type AND is_bot = OLD.is_bot;
  INSERT INTO touch_daily (day, campaign_id, link_id, channel, device_class, type, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 10), coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel,
          NEW.device_class, NEW.type, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  UPDATE touch_hourly SET touches = touches - 1
  WHERE hour = substr(OLD.occurred_at, 1, 13) AND campaign_id = coalesce(OLD.campaign_id, '') AND channel = OLD.channel AND is_bot = OLD.is_bot;
  INSERT INTO touch_hourly (hour, campaign_id, channel, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 13), coalesce(NEW.campaign_id, ''), NEW.channel, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  DELETE FROM visitor_daily
  WHERE day = substr(OLD.occurred_at, 1, 10) AND channel = OLD.channel AND campaign_id = coalesce(OLD.campaign_id, '')
    AND link_id = coalesce(OLD.link_id, '') AND device_class = OLD.device_class AND visitor_id = OLD.visitor_id
    AND NOT EXISTS (
      SELECT 1 FROM touches AS t
      WHERE t.visitor_id = OLD.visitor_id AND t.is_bot = 0
        AND t.occurred_at >= substr(OLD.occurred_at, 1, 10) AND t.occurred_at < substr(OLD.occurred_at, 1, 10) || 'T24'
        AND t.channel = OLD.channel AND coalesce(t.campaign_id, '') = coalesce(OLD.campaign_id, '')
        AND coalesce(t.link_id, '') = coalesce(OLD.link_id, '') AND t.device_class = OLD.device_class);
  INSERT OR IGNORE INTO visitor_daily (day, channel, campaign_id, link_id, device_class, visitor_id)
  SELECT substr(NEW.occurred_at, 1, 10), NEW.channel, coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''),
         NEW.device_class, NEW.visitor_id
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL;
END;

-- Zero-weight credits (kept for the conversion's path view) add nothing to the rollups.
CREATE TRIGGER conversion_credits_rollup AFTER INSERT ON conversion_credits WHEN NEW.weight > 0
BEGIN
  INSERT INTO credit_daily (day, model, channel, campaign_id, link_id, device_class, currency, conversions, revenue)
  VALUES (NEW.day, NEW.model, NEW.channel, coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''),
          coalesce(NEW.device_class, ''), coalesce(NEW.currency, ''), NEW.weight, coalesce(NEW.revenue, 0))
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
  INSERT INTO credit_hourly (hour, model, campaign_id, channel, currency, conversions, revenue)
  VALUES (NEW.hour, NEW.model, coalesce(NEW.campaign_id, ''), NEW.channel, coalesce(NEW.currency, ''),
          NEW.weight, coalesce(NEW.revenue, 0))
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
END;
