-- 0033: the per-link rule and variant breakdown kept past the hot window (issue 16's last gaps).
--
-- Raw touches and their credits move to R2 after the hot window, so the breakdown of a link's visits and conversions
-- by the rule it matched and the variant it got is kept in rollups, as every other report is:
--
-- 1. On every touch shard (only for routed touches: a rule, a variant or after the cap; a plain touch writes nothing
--    more): routing_cells numbers the (campaign, link, rule, variant, after_cap) combinations; routing_daily counts
--    touches per cell, day, type and bot flag; routing_visitor_days keeps each (cell, day, visitor) once, so distinct
--    visitors stay exact over any range (the significance test is per visitor). A visitor's touches sit on one
--    shard, so the shards' distinct counts add up.
-- 2. On the main database: conversion_paths carries the rule, variant and after_cap of its touch (NULL for a plain
--    one), and routing_credit_daily sums the credits of routed touches per model, as credit_daily does, by the same
--    trigger rules (weight 0 adds nothing; a re-attribution takes them out; a refund moves revenue; moving credits to
--    or from the archive changes nothing).
-- Backfill: each database's own hot touches; the main database's credits whose touch it holds.

-- 1. Touch side ----------------------------------------------------------------------------------------------------

CREATE TABLE routing_cells (
  id          INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL,                    -- '' none
  link_id     TEXT NOT NULL,
  rule        TEXT NOT NULL,                    -- '' no rule matched
  variant     TEXT NOT NULL,                    -- '' no split
  after_cap   INTEGER NOT NULL,
  UNIQUE (link_id, rule, variant, after_cap, campaign_id)
);
CREATE INDEX routing_cells_campaign ON routing_cells (campaign_id);

CREATE TABLE routing_daily (
  cell    INTEGER NOT NULL,
  day     TEXT NOT NULL,
  type    TEXT NOT NULL,                        -- click | scan
  is_bot  INTEGER NOT NULL,
  touches INTEGER NOT NULL,
  PRIMARY KEY (cell, day, type, is_bot)
) WITHOUT ROWID;

CREATE TABLE routing_visitor_days (
  cell       INTEGER NOT NULL,
  day        TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  PRIMARY KEY (cell, day, visitor_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO routing_cells (campaign_id, link_id, rule, variant, after_cap)
SELECT DISTINCT coalesce(campaign_id, ''), coalesce(link_id, ''), coalesce(rule, ''), coalesce(variant, ''), after_cap
FROM touches WHERE rule IS NOT NULL OR variant IS NOT NULL OR after_cap = 1;

INSERT INTO routing_daily (cell, day, type, is_bot, touches)
SELECT c.id, substr(t.occurred_at, 1, 10), t.type, t.is_bot, COUNT(*)
FROM touches t JOIN routing_cells c
  ON c.campaign_id = coalesce(t.campaign_id, '') AND c.link_id = coalesce(t.link_id, '') AND c.rule = coalesce(t.rule, '')
 AND c.variant = coalesce(t.variant, '') AND c.after_cap = t.after_cap
WHERE t.rule IS NOT NULL OR t.variant IS NOT NULL OR t.after_cap = 1
GROUP BY c.id, substr(t.occurred_at, 1, 10), t.type, t.is_bot;

INSERT OR IGNORE INTO routing_visitor_days (cell, day, visitor_id)
SELECT c.id, substr(t.occurred_at, 1, 10), t.visitor_id
FROM touches t JOIN routing_cells c
  ON c.campaign_id = coalesce(t.campaign_id, '') AND c.link_id = coalesce(t.link_id, '') AND c.rule = coalesce(t.rule, '')
 AND c.variant = coalesce(t.variant, '') AND c.after_cap = t.after_cap
WHERE (t.rule IS NOT NULL OR t.variant IS NOT NULL OR t.after_cap = 1) AND t.is_bot = 0 AND t.visitor_id IS NOT NULL;

CREATE TRIGGER touches_routing_rollup AFTER INSERT ON touches
WHEN NEW.rule IS NOT NULL OR NEW.variant IS NOT NULL OR NEW.after_cap = 1
BEGIN
  INSERT OR IGNORE INTO routing_cells (campaign_id, link_id, rule, variant, after_cap)
  VALUES (coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''), coalesce(NEW.rule, ''), coalesce(NEW.variant, ''), NEW.after_cap);
  INSERT INTO routing_daily (cell, day, type, is_bot, touches)
  SELECT c.id, substr(NEW.occurred_at, 1, 10), NEW.type, NEW.is_bot, 1
  FROM routing_cells c
  WHERE c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.rule = coalesce(NEW.rule, '')
    AND c.variant = coalesce(NEW.variant, '') AND c.after_cap = NEW.after_cap
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  INSERT OR IGNORE INTO routing_visitor_days (cell, day, visitor_id)
  SELECT c.id, substr(NEW.occurred_at, 1, 10), NEW.visitor_id
  FROM routing_cells c
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
    AND c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.rule = coalesce(NEW.rule, '')
    AND c.variant = coalesce(NEW.variant, '') AND c.after_cap = NEW.after_cap;
END;

-- Reclassification turns a touch into a bot (or back): its count moves between the bot flags, and its visitor leaves
-- the day's set when no other human touch of the visitor in that cell and day is left.
CREATE TRIGGER touches_routing_rollup_update AFTER UPDATE OF is_bot ON touches
WHEN (NEW.rule IS NOT NULL OR NEW.variant IS NOT NULL OR NEW.after_cap = 1) AND NEW.is_bot IS NOT OLD.is_bot
BEGIN
  UPDATE routing_daily SET touches = touches - 1
  WHERE day = substr(OLD.occurred_at, 1, 10) AND type = OLD.type AND is_bot = OLD.is_bot
    AND cell = (SELECT c.id FROM routing_cells c
                WHERE c.campaign_id = coalesce(OLD.campaign_id, '') AND c.link_id = coalesce(OLD.link_id, '')
                  AND c.rule = coalesce(OLD.rule, '') AND c.variant = coalesce(OLD.variant, '') AND c.after_cap = OLD.after_cap);
  DELETE FROM routing_daily WHERE touches = 0 AND day = substr(OLD.occurred_at, 1, 10) AND type = OLD.type AND is_bot = OLD.is_bot;
  INSERT INTO routing_daily (cell, day, type, is_bot, touches)
  SELECT c.id, substr(NEW.occurred_at, 1, 10), NEW.type, NEW.is_bot, 1
  FROM routing_cells c
  WHERE c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.rule = coalesce(NEW.rule, '')
    AND c.variant = coalesce(NEW.variant, '') AND c.after_cap = NEW.after_cap
  ON CONFLICT DO UPDATE SET touches = touches + 1;
  DELETE FROM routing_visitor_days
  WHERE OLD.is_bot = 0 AND day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id
    AND cell = (SELECT c.id FROM routing_cells c
                WHERE c.campaign_id = coalesce(OLD.campaign_id, '') AND c.link_id = coalesce(OLD.link_id, '')
                  AND c.rule = coalesce(OLD.rule, '') AND c.variant = coalesce(OLD.variant, '') AND c.after_cap = OLD.after_cap)
    AND NOT EXISTS (
      SELECT 1 FROM touches AS t
      WHERE t.visitor_id = OLD.visitor_id AND t.is_bot = 0
        AND t.occurred_at >= substr(OLD.occurred_at, 1, 10) AND t.occurred_at < substr(OLD.occurred_at, 1, 10) || 'T24'
        AND coalesce(t.campaign_id, '') = coalesce(OLD.campaign_id, '') AND coalesce(t.link_id, '') = coalesce(OLD.link_id, '')
        AND coalesce(t.rule, '') = coalesce(OLD.rule, '') AND coalesce(t.variant, '') = coalesce(OLD.variant, '')
        AND t.after_cap = OLD.after_cap);
  INSERT OR IGNORE INTO routing_visitor_days (cell, day, visitor_id)
  SELECT c.id, substr(NEW.occurred_at, 1, 10), NEW.visitor_id
  FROM routing_cells c
  WHERE NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
    AND c.campaign_id = coalesce(NEW.campaign_id, '') AND c.link_id = coalesce(NEW.link_id, '') AND c.rule = coalesce(NEW.rule, '')
    AND c.variant = coalesce(NEW.variant, '') AND c.after_cap = NEW.after_cap;
END;

-- 2. Credit side (main database) ------------------------------------------------------------------------------------

ALTER TABLE conversion_paths ADD COLUMN rule TEXT;
ALTER TABLE conversion_paths ADD COLUMN variant TEXT;
ALTER TABLE conversion_paths ADD COLUMN after_cap INTEGER;   -- NULL: a plain touch (no rule, variant or cap)

UPDATE conversion_paths SET rule = t.rule, variant = t.variant, after_cap = t.after_cap
FROM touches t
WHERE t.id = conversion_paths.touch_id AND (t.rule IS NOT NULL OR t.variant IS NOT NULL OR t.after_cap = 1);

CREATE TABLE routing_credit_daily (
  campaign_id TEXT NOT NULL,
  link_id     TEXT NOT NULL,
  rule        TEXT NOT NULL,
  variant     TEXT NOT NULL,
  after_cap   INTEGER NOT NULL,
  model       TEXT NOT NULL,
  day         TEXT NOT NULL,
  currency    TEXT NOT NULL,
  conversions REAL NOT NULL,
  revenue     REAL NOT NULL,
  PRIMARY KEY (link_id, rule, variant, after_cap, model, day, currency, campaign_id)
) WITHOUT ROWID;
CREATE INDEX routing_credit_daily_campaign ON routing_credit_daily (campaign_id, model, day);

INSERT INTO routing_credit_daily (campaign_id, link_id, rule, variant, after_cap, model, day, currency, conversions, revenue)
SELECT coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''), coalesce(p.rule, ''), coalesce(p.variant, ''), p.after_cap, cc.model,
       cc.day, coalesce(cc.currency, ''), SUM(cc.weight), SUM(coalesce(cc.revenue, 0))
FROM conversion_paths p
JOIN conversion_credits cc ON cc.conversion_id = p.conversion_id AND cc.position = p.position
WHERE p.after_cap IS NOT NULL AND cc.weight > 0
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TRIGGER conversion_paths_routing_rollup AFTER INSERT ON conversion_paths
WHEN NEW.after_cap IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  INSERT INTO routing_credit_daily (campaign_id, link_id, rule, variant, after_cap, model, day, currency, conversions, revenue)
  SELECT coalesce(cc.campaign_id, ''), coalesce(cc.link_id, ''), coalesce(NEW.rule, ''), coalesce(NEW.variant, ''), NEW.after_cap, cc.model,
         cc.day, coalesce(cc.currency, ''), cc.weight, coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
  ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER conversion_paths_routing_unroll BEFORE DELETE ON conversion_paths
WHEN OLD.after_cap IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  UPDATE routing_credit_daily
  SET conversions = routing_credit_daily.conversions - cc.weight, revenue = routing_credit_daily.revenue - coalesce(cc.revenue, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0
    AND routing_credit_daily.link_id = coalesce(cc.link_id, '') AND routing_credit_daily.rule = coalesce(OLD.rule, '')
    AND routing_credit_daily.variant = coalesce(OLD.variant, '') AND routing_credit_daily.after_cap = OLD.after_cap
    AND routing_credit_daily.model = cc.model AND routing_credit_daily.day = cc.day
    AND routing_credit_daily.currency = coalesce(cc.currency, '') AND routing_credit_daily.campaign_id = coalesce(cc.campaign_id, '');
  DELETE FROM routing_credit_daily
  WHERE abs(conversions) < 1e-9 AND (link_id, rule, variant, after_cap, model, day, currency, campaign_id) IN (
    SELECT coalesce(cc.link_id, ''), coalesce(OLD.rule, ''), coalesce(OLD.variant, ''), OLD.after_cap, cc.model, cc.day,
           coalesce(cc.currency, ''), coalesce(cc.campaign_id, '')
    FROM conversion_credits cc
    WHERE cc.conversion_id = OLD.conversion_id AND cc.position = OLD.position AND cc.weight > 0);
END;

CREATE TRIGGER conversion_paths_routing_revalue AFTER UPDATE OF net ON conversion_paths
WHEN NEW.after_cap IS NOT NULL AND NEW.net IS NOT OLD.net
BEGIN
  UPDATE routing_credit_daily
  SET revenue = routing_credit_daily.revenue - coalesce(cc.weight * OLD.net, 0) + coalesce(cc.weight * NEW.net, 0)
  FROM conversion_credits cc
  WHERE cc.conversion_id = NEW.conversion_id AND cc.position = NEW.position AND cc.weight > 0
    AND routing_credit_daily.link_id = coalesce(cc.link_id, '') AND routing_credit_daily.rule = coalesce(NEW.rule, '')
    AND routing_credit_daily.variant = coalesce(NEW.variant, '') AND routing_credit_daily.after_cap = NEW.after_cap
    AND routing_credit_daily.model = cc.model AND routing_credit_daily.day = cc.day
    AND routing_credit_daily.currency = coalesce(cc.currency, '') AND routing_credit_daily.campaign_id = coalesce(cc.campaign_id, '');
END;
