-- 0030: the data-driven model's chain, fitted by the cron (docs/DESIGN.md "Data-driven model"). Fitting reads every
-- journey of a range (1M touches: seconds), too slow for a report request; the minute cron refits the trailing
-- 30 days (the reports' default range) when its fit is an hour old, and a report of exactly that range and
-- reporting currency reads the fit from here, saying when it was computed. Other ranges are fitted at read time.
CREATE TABLE markov_fits (
  from_day    TEXT NOT NULL,
  to_day      TEXT NOT NULL,
  currency    TEXT NOT NULL,              -- the reporting currency the values were converted into
  computed_at TEXT NOT NULL,
  fit         TEXT NOT NULL,              -- JSON: the removal effects and per-channel factors (services/markov.ts)
  PRIMARY KEY (from_day, to_day, currency)
) WITHOUT ROWID;
