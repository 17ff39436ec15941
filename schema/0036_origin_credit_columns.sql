-- credit_origin_daily (0032) kept one row per model and cell: about 14 rows written and 830 bytes kept a conversion.
-- As conversion_paths (0022) does for credits, it now keeps the five models as columns of one row per cell:
-- c_<model> the conversions credited under that model, r_<model> the revenue they carry (weight × net).
-- A credit adds 0 to the models that gave its touch nothing (SQLite stores an integral REAL such as 0 in no bytes),
-- and readers keep only cells whose model column is above zero, as the per-model rows kept only weights above zero.

CREATE TABLE credit_origin_cells (
  day           TEXT NOT NULL,
  country       TEXT NOT NULL,
  referrer_host TEXT NOT NULL,
  channel       TEXT NOT NULL,
  campaign_id   TEXT NOT NULL,
  link_id       TEXT NOT NULL,
  device_class  TEXT NOT NULL,
  currency      TEXT NOT NULL,
  c_last_touch  REAL NOT NULL DEFAULT 0,
  c_first_touch REAL NOT NULL DEFAULT 0,
  c_linear      REAL NOT NULL DEFAULT 0,
  c_time_decay  REAL NOT NULL DEFAULT 0,
  c_position    REAL NOT NULL DEFAULT 0,
  r_last_touch  REAL NOT NULL DEFAULT 0,
  r_first_touch REAL NOT NULL DEFAULT 0,
  r_linear      REAL NOT NULL DEFAULT 0,
  r_time_decay  REAL NOT NULL DEFAULT 0,
  r_position    REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (day, country, referrer_host, channel, campaign_id, link_id, device_class, currency)
) WITHOUT ROWID;

INSERT INTO credit_origin_cells
SELECT day, country, referrer_host, channel, campaign_id, link_id, device_class, currency,
       SUM(CASE model WHEN 'last_touch' THEN conversions ELSE 0 END), SUM(CASE model WHEN 'first_touch' THEN conversions ELSE 0 END),
       SUM(CASE model WHEN 'linear' THEN conversions ELSE 0 END), SUM(CASE model WHEN 'time_decay' THEN conversions ELSE 0 END),
       SUM(CASE model WHEN 'position' THEN conversions ELSE 0 END),
       SUM(CASE model WHEN 'last_touch' THEN revenue ELSE 0 END), SUM(CASE model WHEN 'first_touch' THEN revenue ELSE 0 END),
       SUM(CASE model WHEN 'linear' THEN revenue ELSE 0 END), SUM(CASE model WHEN 'time_decay' THEN revenue ELSE 0 END),
       SUM(CASE model WHEN 'position' THEN revenue ELSE 0 END)
FROM credit_origin_daily
GROUP BY day, country, referrer_host, channel, campaign_id, link_id, device_class, currency;

DROP TRIGGER conversion_paths_origin_rollup;
DROP TRIGGER conversion_paths_origin_unroll;
DROP TRIGGER conversion_paths_origin_revalue;
DROP TABLE credit_origin_daily;
ALTER TABLE credit_origin_cells RENAME TO credit_origin_daily;

-- As 0032's triggers (and 0029's credit_daily ones): skipped while the credit archive moves credits.
CREATE TRIGGER conversion_paths_origin_rollup AFTER INSERT ON conversion_paths
WHEN NEW.country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  INSERT INTO credit_origin_daily (day, country, referrer_host, channel, campaign_id, link_id, device_class, currency,
    c_last_touch, c_first_touch, c_linear, c_time_decay, c_position, r_last_touch, r_first_touch, r_linear, r_time_decay, r_position)
  SELECT c.day, NEW.country, NEW.referrer_host, NEW.channel, coalesce(NEW.campaign_id, ''), coalesce(NEW.link_id, ''),
         coalesce(NEW.device_class, ''), coalesce(c.currency, ''),
         NEW.w_last_touch, NEW.w_first_touch, NEW.w_linear, NEW.w_time_decay, NEW.w_position,
         coalesce(NEW.w_last_touch * NEW.net, 0), coalesce(NEW.w_first_touch * NEW.net, 0), coalesce(NEW.w_linear * NEW.net, 0),
         coalesce(NEW.w_time_decay * NEW.net, 0), coalesce(NEW.w_position * NEW.net, 0)
  FROM conversions c WHERE c.id = NEW.conversion_id
  ON CONFLICT DO UPDATE SET
    c_last_touch = c_last_touch + excluded.c_last_touch, c_first_touch = c_first_touch + excluded.c_first_touch,
    c_linear = c_linear + excluded.c_linear, c_time_decay = c_time_decay + excluded.c_time_decay, c_position = c_position + excluded.c_position,
    r_last_touch = r_last_touch + excluded.r_last_touch, r_first_touch = r_first_touch + excluded.r_first_touch,
    r_linear = r_linear + excluded.r_linear, r_time_decay = r_time_decay + excluded.r_time_decay, r_position = r_position + excluded.r_position;
END;

CREATE TRIGGER conversion_paths_origin_unroll BEFORE DELETE ON conversion_paths
WHEN OLD.country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_archive_moving)
BEGIN
  UPDATE credit_origin_daily
  SET c_last_touch = credit_origin_daily.c_last_touch - OLD.w_last_touch, c_first_touch = credit_origin_daily.c_first_touch - OLD.w_first_touch,
      c_linear = credit_origin_daily.c_linear - OLD.w_linear, c_time_decay = credit_origin_daily.c_time_decay - OLD.w_time_decay,
      c_position = credit_origin_daily.c_position - OLD.w_position,
      r_last_touch = credit_origin_daily.r_last_touch - coalesce(OLD.w_last_touch * OLD.net, 0),
      r_first_touch = credit_origin_daily.r_first_touch - coalesce(OLD.w_first_touch * OLD.net, 0),
      r_linear = credit_origin_daily.r_linear - coalesce(OLD.w_linear * OLD.net, 0),
      r_time_decay = credit_origin_daily.r_time_decay - coalesce(OLD.w_time_decay * OLD.net, 0),
      r_position = credit_origin_daily.r_position - coalesce(OLD.w_position * OLD.net, 0)
  FROM conversions c
  WHERE c.id = OLD.conversion_id AND credit_origin_daily.day = c.day AND credit_origin_daily.country = OLD.country
    AND credit_origin_daily.referrer_host = OLD.referrer_host AND credit_origin_daily.channel = OLD.channel
    AND credit_origin_daily.campaign_id = coalesce(OLD.campaign_id, '') AND credit_origin_daily.link_id = coalesce(OLD.link_id, '')
    AND credit_origin_daily.device_class = coalesce(OLD.device_class, '') AND credit_origin_daily.currency = coalesce(c.currency, '');
  DELETE FROM credit_origin_daily
  WHERE abs(c_last_touch) < 1e-9 AND abs(c_first_touch) < 1e-9 AND abs(c_linear) < 1e-9 AND abs(c_time_decay) < 1e-9 AND abs(c_position) < 1e-9
    AND (day, country, referrer_host, channel, campaign_id, link_id, device_class, currency) IN (
      SELECT c.day, OLD.country, OLD.referrer_host, OLD.channel, coalesce(OLD.campaign_id, ''), coalesce(OLD.link_id, ''),
             coalesce(OLD.device_class, ''), coalesce(c.currency, '')
      FROM conversions c WHERE c.id = OLD.conversion_id);
END;

CREATE TRIGGER conversion_paths_origin_revalue AFTER UPDATE OF net ON conversion_paths
WHEN NEW.net IS NOT OLD.net AND NEW.country IS NOT NULL
BEGIN
  UPDATE credit_origin_daily
  SET r_last_touch = credit_origin_daily.r_last_touch - coalesce(NEW.w_last_touch * OLD.net, 0) + coalesce(NEW.w_last_touch * NEW.net, 0),
      r_first_touch = credit_origin_daily.r_first_touch - coalesce(NEW.w_first_touch * OLD.net, 0) + coalesce(NEW.w_first_touch * NEW.net, 0),
      r_linear = credit_origin_daily.r_linear - coalesce(NEW.w_linear * OLD.net, 0) + coalesce(NEW.w_linear * NEW.net, 0),
      r_time_decay = credit_origin_daily.r_time_decay - coalesce(NEW.w_time_decay * OLD.net, 0) + coalesce(NEW.w_time_decay * NEW.net, 0),
      r_position = credit_origin_daily.r_position - coalesce(NEW.w_position * OLD.net, 0) + coalesce(NEW.w_position * NEW.net, 0)
  FROM conversions c
  WHERE c.id = NEW.conversion_id AND credit_origin_daily.day = c.day AND credit_origin_daily.country = NEW.country
    AND credit_origin_daily.referrer_host = NEW.referrer_host AND credit_origin_daily.channel = NEW.channel
    AND credit_origin_daily.campaign_id = coalesce(NEW.campaign_id, '') AND credit_origin_daily.link_id = coalesce(NEW.link_id, '')
    AND credit_origin_daily.device_class = coalesce(NEW.device_class, '') AND credit_origin_daily.currency = coalesce(c.currency, '');
END;
