-- 0013: one reporting currency and dated exchange rates (issue 12).
-- settings holds plain key/value settings changed at run time; the reporting
-- currency is the key 'reporting_currency' (EUR while unset).
-- exchange_rates: 1 unit of `currency` is worth `rate` units of `base` on `day`
-- (YYYY-MM-DD, UTC). A conversion of day D in `currency` is converted with the
-- latest rate of (reporting currency, currency) whose day is on or before D;
-- rates stay stored under their base when the reporting currency changes.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE exchange_rates (
  base     TEXT NOT NULL CHECK (length(base) = 3 AND base = upper(base)),
  currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency) AND currency != base),
  day      TEXT NOT NULL CHECK (length(day) = 10),
  rate     REAL NOT NULL CHECK (rate > 0),
  PRIMARY KEY (base, currency, day)
) WITHOUT ROWID;
