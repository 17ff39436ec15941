-- 0032: the origin drill-down (one country or referring host, and the top countries / referring hosts among a
-- filter's visits) from rollups that outlive raw touches (0021 archives them, 0029 the credits), so a range gives the
-- same report before and after its days were archived (docs/DESIGN.md "The origin rollups").
--
-- 1. Touches, on every touch shard: origin_days keeps one row per (day, country, referring host, cell, visitor) —
--    the cell being 0022's touch_cells number for (campaign, link, channel, device class) — with that visitor's human
--    touches by type and its bot touches. Summed, they are the traffic; counted, the exact distinct human visitors
--    (visitor_id '' gathers touches without a visitor and is not counted). One row written per touch (an upsert).
-- 2. Credits, on the main database: a credit row carries its touch's country and referring host ('' none; NULL not
--    known: no touch, or credits that left D1 before this migration), and credit_origin_daily rolls up, per model,
--    what credit_daily holds split by both. Kept by triggers beside 0029's (the same skip while credits move to or
--    from the archive).
-- Backfilled from what D1 holds now; days archived before this migration are rebuilt by a recompute of their period
-- (origin_rebuild_due lists them; POST /api/v1/maintenance/recompute).

-- 1. Touches -----------------------------------------------------------------------------------------------------

CREATE TABLE origin_days (
  day           TEXT NOT NULL,
  country       TEXT NOT NULL,                -- '' unknown
  referrer_host TEXT NOT NULL,                -- '' none
  cell          INTEGER NOT NULL,             -- touch_cells.id: campaign, link, channel, device class
  visitor_id    TEXT NOT NULL,                -- '' for touches without a visitor
  visits        INTEGER NOT NULL,             -- human touches
  clicks        INTEGER NOT NULL,
  scans         INTEGER NOT NULL,
  code_entries  INTEGER NOT NULL,
  bots          INTEGER NOT NULL,             -- bot touches
  PRIMARY KEY (day, country, referrer_host, cell, visitor_id)
) WITHOUT ROWID;

-- touch_cells (0022) numbered the cells of human touches with a visitor; bot touches and those without a visitor
-- get theirs too (a new cell is a dictionary row, rare: cells grow with campaigns and links, not with touches).
INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
SELECT DISTINCT coalesce(campaign_id, ''), coalesce(link_id, ''), channel, device_class FROM touches;
INSERT INTO origin_days (day, country, referrer_host, cell, visitor_id, visits, clicks, scans, code_entries, bots)
SELECT substr(t.occurred_at, 1, 10), coalesce(t.country, ''), coalesce(t.referrer_host, ''), c.id, coalesce(t.visitor_id, ''),
       SUM(1 - t.is_bot), SUM(t.is_bot = 0 AND t.type = 'click'), SUM(t.is_bot = 0 AND t.type = 'scan'),
       SUM(t.is_bot = 0 AND t.type = 'code_entry'), SUM(t.is_bot)
FROM touches t
JOIN touch_cells c
  ON c.campaign_id = coalesce(t.campaign_id, '') AND c.link_id = coalesce(t.link_id, '') AND c.channel = t.channel
 AND c.device_class = t.device_class
GROUP BY 1, 2, 3, 4, 5;

-- The cell insert writes nothing when the cell exists (touches_rollup has added those of human touches with a visitor).
CREATE TRIGGER touches_origin AFTER INSERT ON touches
BEGIN
  INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
  VALUES (coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class);
  INSERT INTO origin_days (day, country, referrer_host, cell, visitor_id, visits, clicks, scans, code_entries, bots)
  SELECT substr(NEW.occurred_at, 1, 10), coalesce(NEW.country, ''), coalesce(NEW.referrer_host, ''), c.id, coalesce(NEW.visitor_id, ''),
         1 - NEW.is_bot, NEW.is_bot = 0 AND NEW.type = 'click', NEW.is_bot = 0 AND NEW.type = 'scan',
         NEW.is_bot = 0 AND NEW.type = 'code_entry', NEW.is_bot
  FROM touch_cells c
  WHERE c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.channel = NEW.channel
    AND c.device_class = NEW.device_class
  ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, clicks = clicks + excluded.clicks, scans = scans + excluded.scans,
    code_entries = code_entries + excluded.code_entries, bots = bots + excluded.bots;
END;

-- A touch reclassified later (a bot found after the fact, a moved day) leaves its old row and joins its new one; a row
-- left with no touch goes.
CREATE TRIGGER touches_origin_update
AFTER UPDATE OF type, occurred_at, campaign_id, link_id, channel, visitor_id, device_class, is_bot, country, referrer_host ON touches
BEGIN
  UPDATE origin_days SET visits = visits - (1 - OLD.is_bot), clicks = clicks - (OLD.is_bot = 0 AND OLD.type = 'click'),
    scans = scans - (OLD.is_bot = 0 AND OLD.type = 'scan'), code_entries = code_entries - (OLD.is_bot = 0 AND OLD.type = 'code_entry'),
    bots = bots - OLD.is_bot
  WHERE day = substr(OLD.occurred_at, 1, 10) AND country = coalesce(OLD.country, '') AND referrer_host = coalesce(OLD.referrer_host, '')
    AND visitor_id = coalesce(OLD.visitor_id, '')
    AND cell = (SELECT c.id FROM touch_cells c
                WHERE c.campaign_id = coalesce(OLD.campaign_id, '') AND c.link_id = coalesce(OLD.link_id, '') AND c.channel = OLD.channel
                  AND c.device_class = OLD.device_class);
  DELETE FROM origin_days
  WHERE day = substr(OLD.occurred_at, 1, 10) AND country = coalesce(OLD.country, '') AND referrer_host = coalesce(OLD.referrer_host, '')
    AND visitor_id = coalesce(OLD.visitor_id, '') AND visits = 0 AND bots = 0;
  INSERT OR IGNORE INTO touch_cells (campaign_id, link_id, channel, device_class)
  VALUES (coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class);
  INSERT INTO origin_days (day, country, referrer_host, cell, visitor_id, visits, clicks, scans, code_entries, bots)
  SELECT substr(NEW.occurred_at, 1, 10), coalesce(NEW.country, ''), coalesce(NEW.referrer_host, ''), c.id, coalesce(NEW.visitor_id, ''),
         1 - NEW.is_bot, NEW.is_bot = 0 AND NEW.type = 'click', NEW.is_bot = 0 AND NEW.type = 'scan',
         NEW.is_bot = 0 AND NEW.type = 'code_entry', NEW.is_bot
  FROM touch_cells c
  WHERE c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.channel = NEW.channel
    AND c.device_class = NEW.device_class
  ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, clicks = clicks + excluded.clicks, scans = scans + excluded.scans,
    code_entries = code_entries + excluded.code_entries, bots = bots + excluded.bots;
END;

-- Days whose raw touches were archived before this migration: their origin rows are rebuilt from the archive by the
-- next recompute of a period holding them (src/services/recompute-period.ts), which then takes them off this list.
CREATE TABLE origin_rebuild_due (
  day TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO origin_rebuild_due (day) SELECT DISTINCT day FROM archive_parts WHERE state = 'archived';

-- 2. Credits -----------------------------------------------------------------------------------------------------

ALTER TABLE conversion_paths ADD COLUMN country TEXT;
ALTER TABLE conversion_paths ADD COLUMN referrer_host TEXT;

-- The credited touches D1 still holds (here: on this database; credits of touches on other shards or archived keep
-- NULL and are not in the origin rollup until their conversion is re-attributed, e.g. by a recompute).
UPDATE conversion_paths SET country = coalesce(t.country, ''), referrer_host = coalesce(t.referrer_host, '')
FROM touches t WHERE t.id = conversion_paths.touch_id;

-- The view of 0022 with the origin of the credited touch.
DROP VIEW conversion_credits;
CREATE VIEW conversion_credits AS
SELECT p.conversion_id, m.model, p.position, p.touch_id, p.touch_at, p.channel, p.campaign_id, p.link_id, p.device_class,
       CASE m.model WHEN 'last_touch' THEN p.w_last_touch WHEN 'first_touch' THEN p.w_first_touch WHEN 'linear' THEN p.w_linear
                    WHEN 'time_decay' THEN p.w_time_decay ELSE p.w_position END AS weight,
       CASE m.model WHEN 'last_touch' THEN p.w_last_touch WHEN 'first_touch' THEN p.w_first_touch WHEN 'linear' THEN p.w_linear
                    WHEN 'time_decay' THEN p.w_time_decay ELSE p.w_position END * p.net AS revenue,
       c.currency, c.day, substr(c.occurred_at, 1, 13) AS hour, p.country, p.referrer_host
FROM conversion_paths p
JOIN conversions c ON c.id = p.conversion_id
CROSS JOIN (SELECT 'last_touch' AS model UNION ALL SELECT 'first_touch' UNION ALL SELECT 'linear'
            UNION ALL SELECT 'time_decay' UNION ALL SELECT 'position') AS m;

CREATE TABLE credit_origin_daily (
  day           TEXT NOT NULL,
  model         TEXT NOT NULL,
  country       TEXT NOT NULL,
  referrer_host TEXT NOT NULL,
  channel       TEXT NOT NULL,
  campaign_id   TEXT NOT NULL,
  link_id       TEXT NOT NULL,
  device_class  TEXT NOT NULL,
  currency      TEXT NOT NULL,
  conversions   REAL NOT NULL,
  revenue       REAL NOT NULL,
  PRIMARY KEY (day, model, country, referrer_host, channel, campaign_id, link_id, device_class, currency)
) WITHOUT ROWID;

INSERT INTO credit_origin_daily (day, model, country, referrer_host, channel, campaign_id, link_id, device_class, currency, conversions, revenue)
SELECT cc.day, cc.model, cc.country, cc.referrer_host, cc.channel, coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''),
       coalesce(cc.device_class, ''), coalesce(cc.currency, ''), SUM(cc.weight), SUM(coalesce(cc.revenue, 0))
FROM conversion_credits cc
WHERE cc.weight > 0 AND cc.country IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- As 0029's credit_daily triggers, for the credits whose origin is known.
CREATE TRIGGER conversion_paths_origin_rollup AFTER INSERT ON conversion_paths
WHEN NEW.country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  INSERT INTO credit_origin_daily (day, model, country, referrer_host, channel, campaign_id, link_id, device_class, currency, conversions, revenue)
  SELECT cc.day, cc.model, cc.country, cc.referrer_host, cc.channel, coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''),
         coalesce(cc.device_class, ''), coalesce(cc.currency, ''), cc.weight, coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER conversion_paths_origin_unroll BEFORE DELETE ON conversion_paths
WHEN OLD.country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  UPDATE credit_origin_daily
  SET conversions = credit_origin_daily.conversions - cc.weight, revenue = credit_origin_daily.revenue - coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0
    AND credit_origin_daily.day = cc.day AND credit_origin_daily.model = cc.model AND credit_origin_daily.country = cc.country
    AND credit_origin_daily.referrer_host = cc.referrer_host AND credit_origin_daily.channel = cc.channel
    AND credit_origin_daily.campaign_id = coalesce(cc.campaign_id, '') AND credit_origin_daily.link_id = coalesce(cc.link_id, '')
    AND credit_origin_daily.device_class = coalesce(cc.device_class, '') AND credit_origin_daily.currency = coalesce(cc.currency, '');
  DELETE FROM credit_origin_daily
  WHERE abs(conversions) < 1e-9 AND (day, model, country, referrer_host, channel, campaign_id, link_id, device_class, currency) IN (
    SELECT cc.day, cc.model, cc.country, cc.referrer_host, cc.channel, coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''),
           coalesce(cc.device_class, ''), coalesce(cc.currency, '')
    FROM conversion_credits cc
    WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0);
END;

CREATE TRIGGER conversion_paths_origin_revalue AFTER UPDATE OF net ON conversion_paths
WHEN NEW.net IS NOT OLD.net AND NEW.country IS NOT NULL
BEGIN
  UPDATE credit_origin_daily
  SET revenue = credit_origin_daily.revenue - coalesce(cc.weight * OLD.net, 0) + coalesce(cc.weight * NEW.net, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
    AND credit_origin_daily.day = cc.day AND credit_origin_daily.model = cc.model AND credit_origin_daily.country = cc.country
    AND credit_origin_daily.referrer_host = cc.referrer_host AND credit_origin_daily.channel = cc.channel
    AND credit_origin_daily.campaign_id = coalesce(cc.campaign_id, '') AND credit_origin_daily.link_id = coalesce(cc.link_id, '')
    AND credit_origin_daily.device_class = coalesce(cc.device_class, '') AND credit_origin_daily.currency = coalesce(cc.currency, '');
END;
