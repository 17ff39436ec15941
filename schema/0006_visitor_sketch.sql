-- 0006: distinct-visitor sketches, so unique_visitors over a busy range costs
-- the number of (day × dimension) cells instead of the number of visitors.
--
-- touches.visitor_hll is the visitor's HyperLogLog slot (register × 32 + rank),
-- computed by the writer from the visitor id (src/domain/visitor-sketch.ts).
-- visitor_sketch keeps, per day and cell, 1024 registers as 1024 characters
-- ('@' + highest rank seen). Each human touch updates one cell of every shape;
-- a shape is the set of dimensions its cells are split by, the others hold '*'
-- (shapes mirror SKETCH_SHAPES in src/db/report-rollups.ts):
--   0 day                              (time series)
--   1 day × campaign                   (campaign report, campaign-filtered series)
--   2 day × channel × device           (channel and device reports)
--   3 day × campaign × link            (link report)
--   4 day × campaign × channel × device (the same, filtered by campaign)
-- Registers only grow, so a touch that changes after it was written (a scanner
-- burst or the reclassify job marks it a bot, …) marks its days stale; the cron
-- rebuilds a stale day's cells from the exact visitor_daily sets once the day is
-- over (src/services/visitor-sketches.ts). Until then its estimates may count
-- that visitor.

ALTER TABLE touches ADD COLUMN visitor_hll INTEGER;

CREATE TABLE visitor_sketch (
  shape        INTEGER NOT NULL,
  day          TEXT NOT NULL,
  campaign_id  TEXT NOT NULL,
  channel      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  registers    TEXT NOT NULL
);
CREATE UNIQUE INDEX visitor_sketch_cell ON visitor_sketch (shape, day, campaign_id, channel, device_class, link_id);

CREATE TRIGGER touches_visitor_sketch AFTER INSERT ON touches
WHEN NEW.is_bot = 0 AND NEW.visitor_hll IS NOT NULL
BEGIN
  INSERT INTO visitor_sketch (shape, day, campaign_id, channel, device_class, link_id, registers)
  SELECT shape.column1, substr(NEW.occurred_at, 1, 10),
         iif(shape.column2, coalesce(NEW.campaign_id, ''), '*'),
         iif(shape.column3, NEW.channel, '*'),
         iif(shape.column3, NEW.device_class, '*'),
         iif(shape.column4, coalesce(NEW.link_id, ''), '*'),
         substr(replace(hex(zeroblob(512)), '0', '@'), 1, NEW.visitor_hll >> 5) || char(64 + (NEW.visitor_hll & 31))
           || substr(replace(hex(zeroblob(512)), '0', '@'), (NEW.visitor_hll >> 5) + 2)
  FROM (VALUES (0, 0, 0, 0), (1, 1, 0, 0), (2, 0, 1, 0), (3, 1, 0, 1), (4, 1, 1, 0)) AS shape
  WHERE true
  ON CONFLICT (shape, day, campaign_id, channel, device_class, link_id) DO UPDATE
    SET registers = substr(registers, 1, NEW.visitor_hll >> 5) || char(64 + (NEW.visitor_hll & 31))
                    || substr(registers, (NEW.visitor_hll >> 5) + 2)
    WHERE unicode(substr(registers, (NEW.visitor_hll >> 5) + 1, 1)) < 64 + (NEW.visitor_hll & 31);
END;

CREATE TABLE visitor_sketch_stale (
  day TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TRIGGER touches_visitor_sketch_stale
AFTER UPDATE OF type, occurred_at, campaign_id, link_id, channel, visitor_id, device_class, is_bot ON touches
WHEN OLD.is_bot = 0 OR NEW.is_bot = 0
BEGIN
  INSERT OR IGNORE INTO visitor_sketch_stale (day) VALUES (substr(OLD.occurred_at, 1, 10)), (substr(NEW.occurred_at, 1, 10));
END;

-- Days recorded before this migration have no sketches yet: the cron builds them
-- from their visitor sets, a week of days per minute.
INSERT OR IGNORE INTO visitor_sketch_stale (day) SELECT DISTINCT day FROM visitor_daily;
