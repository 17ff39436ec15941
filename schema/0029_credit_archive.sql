-- 0029: the main database bounded (issue 15). Credits (conversion_paths, schema/0022) of conversions older than the
-- hot window move to R2 (binding ARCHIVE) as the raw touches do (schema/0021): gzip-compressed NDJSON, one object per
-- part of a conversion UTC day, credits/day=YYYY-MM-DD/part-NNNN.ndjson.gz, a part holding whole conversions in id
-- order (first_id..last_id). A part is reserved ('writing'), written and read back intact, and only then one batch marks
-- it 'archived' and deletes its rows. The credit rollups keep every archived credit: moving rows out (and back, when a
-- refund or a re-attribution changes an archived conversion, src/services/credit-archive.ts) happens while
-- credit_archive_moving holds its row, and the rollup triggers skip those writes.
CREATE TABLE credit_parts (
  day         TEXT NOT NULL,                     -- the UTC day of the part's conversions ('YYYY-MM-DD')
  part        INTEGER NOT NULL CHECK (part >= 1),
  key         TEXT NOT NULL UNIQUE,              -- the R2 object key
  rows        INTEGER NOT NULL CHECK (rows >= 1),
  digest      TEXT NOT NULL,                     -- hex SHA-256 of the uncompressed NDJSON
  bytes       INTEGER NOT NULL,                  -- compressed size of the object
  first_id    TEXT NOT NULL,                     -- the part's first and last conversion id
  last_id     TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('writing', 'archived')),
  archived_at TEXT NOT NULL,                     -- when it was reserved (and then written)
  PRIMARY KEY (day, part)
) WITHOUT ROWID;
CREATE INDEX credit_parts_writing ON credit_parts (archived_at) WHERE state = 'writing';

-- Conversion days with credits in D1 (so the cron finds them without scanning archived conversions), and a
-- generation every change of a day's stored credits moves on: a part completes only if its day's generation is
-- still the one read with its rows (a refund or re-attribution meanwhile: the part is dropped and written again).
CREATE TABLE credit_days (
  day TEXT PRIMARY KEY,
  gen INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO credit_days (day)
SELECT DISTINCT c.day FROM conversions c WHERE EXISTS (SELECT 1 FROM conversion_paths p WHERE p.conversion_id = c.id);

-- Two readers sum raw credits of all time, which R2 cannot serve in a query; what they need of archived
-- conversions is kept here, added when a part is archived and taken off when a conversion's credits come back:
-- the first-touch channel and campaign of a customer's first conversion (the loyalty report's acquisition channel,
-- src/db/loyalty.ts), and the credits of code entries and promo redemptions per batch or promotion, model,
-- currency ('' = none) and conversion day (a campaign's code section, src/db/campaign-page.ts).
CREATE TABLE archived_first_touches (
  conversion_id TEXT PRIMARY KEY,
  channel       TEXT NOT NULL,
  campaign_id   TEXT
) WITHOUT ROWID;

CREATE TABLE archived_code_credits (
  owner_id    TEXT NOT NULL,                     -- code_batches.id (kind 'batch') or promo_codes.id (kind 'promo')
  kind        TEXT NOT NULL CHECK (kind IN ('batch', 'promo')),
  model       TEXT NOT NULL,
  currency    TEXT NOT NULL,
  day         TEXT NOT NULL,
  conversions REAL NOT NULL,
  revenue     REAL NOT NULL,
  PRIMARY KEY (owner_id, kind, model, currency, day)
) WITHOUT ROWID;

-- Archiving a part looks up the code entries and promo redemptions of its credited touches (accepted entries only).
CREATE INDEX code_entries_touch ON code_entries (touch_id) WHERE touch_id IS NOT NULL;
CREATE INDEX promo_redemptions_touch ON promo_redemptions (touch_id);

-- Holds its one row only inside the batches that move credits to or from the archive.
CREATE TABLE credit_archive_moving (
  one  INTEGER PRIMARY KEY CHECK (one = 1),
  skip INTEGER NOT NULL DEFAULT 0               -- a restore that finds the conversion's credits in D1 writes nothing
);

DROP TRIGGER conversion_paths_rollup;
DROP TRIGGER conversion_paths_unroll;

-- As 0022's, except while credits move to or from the archive.
CREATE TRIGGER conversion_paths_rollup AFTER INSERT ON conversion_paths
WHEN NOT EXISTS (SELECT 1 FROM credit_archive_moving)
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

CREATE TRIGGER conversion_paths_unroll BEFORE DELETE ON conversion_paths
WHEN NOT EXISTS (SELECT 1 FROM credit_archive_moving)
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
  UPDATE credit_days SET gen = gen + 1 WHERE day = (SELECT day FROM conversions WHERE id = OLD.conversion_id);
END;

-- Every insert (a new conversion, a re-attribution, a restore) makes its day one the cron looks at.
CREATE TRIGGER conversion_paths_day AFTER INSERT ON conversion_paths
BEGIN
  INSERT OR IGNORE INTO credit_days (day) SELECT day FROM conversions WHERE id = NEW.conversion_id;
END;

-- A refund changes stored credits in place.
CREATE TRIGGER conversion_paths_regen AFTER UPDATE OF net ON conversion_paths
WHEN NEW.net IS NOT OLD.net
BEGIN
  UPDATE credit_days SET gen = gen + 1 WHERE day = (SELECT day FROM conversions WHERE id = NEW.conversion_id);
END;

-- Trimmed (measured by `npm run bench:storage`): no query looks identity links up by visitor alone — stitching,
-- erasure and the referral checks all read them by customer (the primary key). ~62 bytes a conversion.
DROP INDEX identity_links_visitor;
