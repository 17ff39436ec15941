-- 0037: fits of the data-driven model asked for by reports (docs/DESIGN.md "Data-driven model", *Large ranges*).
-- A report under model=markov of a range without a stored fit whose human touches (touch_daily) exceed
-- MARKOV_READ_TIME_TOUCHES does not fit the chain at read time: it records a request here (one per range and
-- reporting currency, the first request's time kept) and answers with the linear cells and markov.status
-- "computing". The minute cron fits the oldest requests, stores each fit in markov_fits with its requested_at
-- (null: the cron's own trailing 30 days) and deletes the request; requested fits are kept 7 days after computed_at.
CREATE TABLE markov_fit_requests (
  from_day     TEXT NOT NULL,
  to_day       TEXT NOT NULL,
  currency     TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  PRIMARY KEY (from_day, to_day, currency)
) WITHOUT ROWID;

ALTER TABLE markov_fits ADD COLUMN requested_at TEXT;
