-- 0022: what a touch costs in D1, made smaller (issue 15; measured by `npm run bench:storage`).
--
-- 1. Credits: one row per (conversion, candidate touch) holding the touch's weight under all five models,
--    instead of one row per model and candidate (first and last touch were mostly rows of weight 0). The
--    currency, day and hour are the conversion's own and are read from it; revenue is weight × net, where
--    net is the conversion's value net of refunds that the credits were computed from (NULL: no value).
--    `conversion_credits` stays as a view with the old rows (one per model and candidate, zero weights
--    included), so every reader — reports, campaign and link pages, loyalty, referrals, exports — reads what
--    it read before. The rollup triggers follow the new table; model names mirror ATTRIBUTION_MODELS in
--    src/domain/vocab.ts (the view's CASE and the triggers' model lists).
-- 2. Visitor sets: visitor_daily kept the campaign id, link id, channel and device class of every row as
--    text (~60 bytes). A small dictionary (touch_cells) numbers those combinations; visitor_days keeps
--    (day, cell, visitor) and `visitor_daily` stays as a view with the old columns. Visitor ids stay as
--    they are, so distinct counts stay exact.
-- 3. The raw touches lose an index no query uses.
-- Stored rows move over as they are; the rollups already hold them and are not touched.

-- 1. Credits ----------------------------------------------------------------------------------------------

CREATE TABLE conversion_paths (
  conversion_id TEXT NOT NULL,
  position      INTEGER NOT NULL,              -- the touch's place in the candidate path, 0 = earliest
  touch_id      TEXT,                          -- NULL: no candidate, credited to channel direct
  touch_at      TEXT,
  channel       TEXT NOT NULL,
  campaign_id   TEXT,
  link_id       TEXT,
  device_class  TEXT,
  net           REAL,                          -- value net of refunds the revenue follows from; NULL: no value
  w_last_touch  REAL NOT NULL,
  w_first_touch REAL NOT NULL,
  w_linear      REAL NOT NULL,
  w_time_decay  REAL NOT NULL,
  w_position    REAL NOT NULL,
  PRIMARY KEY (conversion_id, position)
) WITHOUT ROWID;

INSERT INTO conversion_paths (conversion_id, position, touch_id, touch_at, channel, campaign_id, link_id, device_class, net,
                              w_last_touch, w_first_touch, w_linear, w_time_decay, w_position)
SELECT cc.conversion_id, cc.position, max(cc.touch_id), max(cc.touch_at), max(cc.channel), max(cc.campaign_id), max(cc.link_id),
       max(cc.device_class),
       CASE WHEN max(cc.revenue) IS NULL THEN NULL ELSE (SELECT c.value - c.refunded FROM conversions c WHERE c.id = cc.conversion_id) END,
       coalesce(sum(CASE WHEN cc.model = 'last_touch' THEN cc.weight END), 0),
       coalesce(sum(CASE WHEN cc.model = 'first_touch' THEN cc.weight END), 0),
       coalesce(sum(CASE WHEN cc.model = 'linear' THEN cc.weight END), 0),
       coalesce(sum(CASE WHEN cc.model = 'time_decay' THEN cc.weight END), 0),
       coalesce(sum(CASE WHEN cc.model = 'position' THEN cc.weight END), 0)
FROM conversion_credits cc
GROUP BY cc.conversion_id, cc.position;

DROP TRIGGER conversion_credits_rollup;
DROP TRIGGER conversion_credits_unroll;
DROP TRIGGER conversion_credits_revalue;
DROP TABLE conversion_credits;

-- A link's page lists the conversions credited to it; a campaign's code section sums the credits of its
-- code entries and promo redemptions, touches without a link (schema/0014).
CREATE INDEX conversion_paths_link ON conversion_paths (link_id) WHERE link_id IS NOT NULL;
CREATE INDEX conversion_paths_code_touch ON conversion_paths (touch_id) WHERE touch_id IS NOT NULL AND link_id IS NULL;

CREATE VIEW conversion_credits AS
SELECT p.conversion_id, m.model, p.position, p.touch_id, p.touch_at, p.channel, p.campaign_id, p.link_id, p.device_class,
       CASE m.model WHEN 'last_touch' THEN p.w_last_touch WHEN 'first_touch' THEN p.w_first_touch WHEN 'linear' THEN p.w_linear
                    WHEN 'time_decay' THEN p.w_time_decay ELSE p.w_position END AS weight,
       CASE m.model WHEN 'last_touch' THEN p.w_last_touch WHEN 'first_touch' THEN p.w_first_touch WHEN 'linear' THEN p.w_linear
                    WHEN 'time_decay' THEN p.w_time_decay ELSE p.w_position END * p.net AS revenue,
       c.currency, c.day, substr(c.occurred_at, 1, 13) AS hour
FROM conversion_paths p
JOIN conversions c ON c.id = p.conversion_id
CROSS JOIN (SELECT 'last_touch' AS model UNION ALL SELECT 'first_touch' UNION ALL SELECT 'linear'
            UNION ALL SELECT 'time_decay' UNION ALL SELECT 'position') AS m;

-- The rollups, as 0003/0010/0018 kept them: a credit of weight 0 adds nothing; one removed (a re-attribution)
-- leaves them, and a cell left with no conversion goes; a refund moves their revenue by the difference.
CREATE TRIGGER conversion_paths_rollup AFTER INSERT ON conversion_paths
BEGIN
  INSERT INTO credit_daily (day, model, channel, campaign_id, link_id, device_class, currency, conversions, revenue)
  SELECT cc.day, cc.model, cc.channel, coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''), coalesce(cc.device_class, ''),
         coalesce(cc.currency, ''), cc.weight, coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
  INSERT INTO credit_hourly (hour, model, campaign_id, channel, currency, conversions, revenue)
  SELECT cc.hour, cc.model, coalesce(cc.campaign_id, ''), cc.channel, coalesce(cc.currency, ''), cc.weight, coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
END;

-- Runs before the row goes, so the view still shows its credits.
CREATE TRIGGER conversion_paths_unroll BEFORE DELETE ON conversion_paths
BEGIN
  UPDATE credit_daily SET conversions = credit_daily.conversions - cc.weight, revenue = credit_daily.revenue - coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0
    AND credit_daily.day = cc.day AND credit_daily.model = cc.model AND credit_daily.channel = cc.channel
    AND credit_daily.campaign_id = coalesce(cc.campaign_id, '') AND credit_daily.link_id = coalesce(cc.link_id, '')
    AND credit_daily.device_class = coalesce(cc.device_class, '') AND credit_daily.currency = coalesce(cc.currency, '');
  DELETE FROM credit_daily
  WHERE abs(conversions) < 1e-9 AND (day, model, channel, campaign_id, link_id, device_class, currency) IN (
    SELECT cc.day, cc.model, cc.channel, coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''), coalesce(cc.device_class, ''),
           coalesce(cc.currency, '')
    FROM conversion_credits cc
    WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0);
  UPDATE credit_hourly SET conversions = credit_hourly.conversions - cc.weight, revenue = credit_hourly.revenue - coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0
    AND credit_hourly.hour = cc.hour AND credit_hourly.model = cc.model AND credit_hourly.campaign_id = coalesce(cc.campaign_id, '')
    AND credit_hourly.channel = cc.channel AND credit_hourly.currency = coalesce(cc.currency, '');
  DELETE FROM credit_hourly
  WHERE abs(conversions) < 1e-9 AND (hour, model, campaign_id, channel, currency) IN (
    SELECT cc.hour, cc.model, coalesce(cc.campaign_id, ''), cc.channel, coalesce(cc.currency, '')
    FROM conversion_credits cc
    WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0);
END;

CREATE TRIGGER conversion_paths_revalue AFTER UPDATE OF net ON conversion_paths
WHEN NEW.net IS NOT OLD.net
BEGIN
  UPDATE credit_daily SET revenue = credit_daily.revenue - coalesce(cc.weight * OLD.net, 0) + coalesce(cc.weight * NEW.net, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
    AND credit_daily.day = cc.day AND credit_daily.model = cc.model AND credit_daily.channel = cc.channel
    AND credit_daily.campaign_id = coalesce(cc.campaign_id, '') AND credit_daily.link_id = coalesce(cc.link_id, '')
    AND credit_daily.device_class = coalesce(cc.device_class, '') AND credit_daily.currency = coalesce(cc.currency, '');
  UPDATE credit_hourly SET revenue = credit_hourly.revenue - coalesce(cc.weight * OLD.net, 0) + coalesce(cc.weight * NEW.net, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
    AND credit_hourly.hour = cc.hour AND credit_hourly.model = cc.model AND credit_hourly.campaign_id = coalesce(cc.campaign_id, '')
    AND credit_hourly.channel = cc.channel AND credit_hourly.currency = coalesce(cc.currency, '');
END;

-- 2. Visitor sets ------------------------------------------------------------------------------------------

CREATE TABLE touch_cells (
  id           INTEGER PRIMARY KEY,
  campaign_id  TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  channel      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  UNIQUE (campaign_id, link_id, channel, device_class)
);

CREATE TABLE visitor_days (
  day        TEXT NOT NULL,
  cell       INTEGER NOT NULL,
  visitor_id TEXT NOT NULL,
  PRIMARY KEY (day, cell, visitor_id)
) WITHOUT ROWID;

INSERT INTO touch_cells (campaign_id, link_id, channel, device_class)
SELECT DISTINCT campaign_id, link_id, channel, device_class FROM visitor_daily;
INSERT INTO visitor_days (day, cell, visitor_id)
SELECT v.day, c.id, v.visitor_id
FROM visitor_daily v
JOIN touch_cells c ON c.campaign_id = v.campaign_id AND c.link_id = v.link_id AND c.channel = v.channel AND c.device_class = v.device_class;

DROP TRIGGER touches_rollup;
DROP TRIGGER touches_rollup_update;
DROP TABLE visitor_daily;

CREATE VIEW visitor_daily AS
SELECT v.day, c.channel, c.campaign_id, c.link_id, c.device_class, v.visitor_id
FROM visitor_days v JOIN touch_cells c ON c.id = v.cell;

-- As 0003's, with the visitor sets through their cells.
CREATE TRIGGER touches_rollup AFTER INSERT ON touches
BEGIN
  INSERT INTO touch_daily (day, campaign_id, link_id, channel, device_class, type, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 10), coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel,
          NEW.device_class, NEW.type, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  INSERT INTO touch_hourly (hour, campaign_id, channel, is_bot, touches)
  VALUES (substr(NEW.occurred_at, 1, 13), coalesce(NEW.campaign_id, ''), NEW.channel, NEW.is_bot, 1)
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
  SELECT coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL;
  INSERT OR IGNORE INTO visitor_days (day, cell, visitor_id)
  SELECT substr(NEW.occurred_at, 1, 10), c.id, NEW.visitor_id
  FROM touch_cells c
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
    AND c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.channel = NEW.channel
    AND c.device_class = NEW.device_class;
END;

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
  DELETE FROM visitor_days
  WHERE day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id
    AND cell = (SELECT c.id FROM touch_cells c
                WHERE c.campaign_id = coalesce(OLD.campaign_id, '') AND c.link_id = coalesce(OLD.link_id, '')
                  AND c.channel = OLD.channel AND c.device_class = OLD.device_class)
    AND NOT EXISTS (
      SELECT 1 FROM touches AS t
      WHERE t.visitor_id = OLD.visitor_id AND t.is_bot = 0
        AND t.occurred_at >= substr(OLD.occurred_at, 1, 10) AND t.occurred_at < substr(OLD.occurred_at, 1, 10) || 'T24'
        AND t.channel = OLD.channel AND coalesce(t.campaign_id, '') = coalesce(OLD.campaign_id, '')
        AND coalesce(t.link_id, '') = coalesce(OLD.link_id, '') AND t.device_class = OLD.device_class);
  INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
  SELECT coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL;
  INSERT OR IGNORE INTO visitor_days (day, cell, visitor_id)
  SELECT substr(NEW.occurred_at, 1, 10), c.id, NEW.visitor_id
  FROM touch_cells c
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
    AND c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.channel = NEW.channel
    AND c.device_class = NEW.device_class;
END;

-- 3. Raw touches --------------------------------------------------------------------------------------------

-- No read looks touches up by campaign and time: reports read the rollups, and the raw reads narrowed by
-- origin filter on coalesce(campaign_id, ''), which this index cannot serve. ~70 bytes a touch.
DROP INDEX touches_campaign_time;
