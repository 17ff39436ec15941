-- 0021: the bounded hot store (issue 15). Raw touches older than the hot window move to R2 (binding ARCHIVE) as
-- gzip-compressed NDJSON, one object per part of a UTC day: touches/day=YYYY-MM-DD/part-NNNN.ndjson.gz. A part is
-- reserved here ('writing': its number is taken, so no other run writes that key), then written and read back intact
-- (row count, ids and digest); only then does one batch mark it 'archived' and delete its rows from D1. Readers see
-- 'archived' parts only. Late rows for an archived day become the day's next part. first_*/last_* are the part's first
-- and last (occurred_at, id).
CREATE TABLE archive_parts (
  day         TEXT NOT NULL,                     -- UTC day of the part's touches ('YYYY-MM-DD')
  part        INTEGER NOT NULL CHECK (part >= 1),
  key         TEXT NOT NULL UNIQUE,              -- the R2 object key
  rows        INTEGER NOT NULL CHECK (rows >= 1),
  digest      TEXT NOT NULL,                     -- hex SHA-256 of the uncompressed NDJSON
  bytes       INTEGER NOT NULL,                  -- compressed size of the object
  first_at    TEXT NOT NULL,
  first_id    TEXT NOT NULL,
  last_at     TEXT NOT NULL,
  last_id     TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('writing', 'archived')),
  archived_at TEXT NOT NULL,                     -- when it was reserved (and then written)
  PRIMARY KEY (day, part)
) WITHOUT ROWID;
CREATE INDEX archive_parts_writing ON archive_parts (archived_at) WHERE state = 'writing';

-- The referrers (keyed customer hashes) of each part's tell-a-friend visits: erasing a customer rewrites the parts that
-- hold their hash (DELETE /api/v1/customers/:customer_ref) without reading the whole archive.
CREATE TABLE archive_part_referrers (
  referrer_hash TEXT NOT NULL,
  key           TEXT NOT NULL,
  PRIMARY KEY (referrer_hash, key)
) WITHOUT ROWID;

-- Two reads of raw touches by visitor now read the daily visitor sets, which keep their history when raw touches
-- leave D1: "seen before" of the loyalty report's new vs returning visitors, and a quiet link's exact distinct visitors.
CREATE INDEX visitor_daily_visitor_day ON visitor_daily (visitor_id, day);
CREATE INDEX visitor_daily_link_visitor ON visitor_daily (link_id, visitor_id);
