-- 0009: a link's clicks and scans come from the daily rollup (which keeps its
-- history past RETENTION_DAYS and costs the link's day cells, not its touches),
-- and a busy link's unique visitors from its day sketches: look both up by link.
CREATE INDEX touch_daily_link ON touch_daily (link_id);
CREATE INDEX visitor_sketch_link ON visitor_sketch (link_id) WHERE shape = 3;
