-- 0031: marketing spend per day and campaign or channel (issue 17).
-- One row per (day, campaign) or (day, channel): exactly one of campaign_id and
-- channel is set ('' is "none", as in the rollups). Posting the same key again
-- replaces amount and currency (a day's cost corrected), so the unique index is
-- the upsert's conflict target. Amounts keep their own currency; reports
-- convert them into the reporting currency at the rate of `day`, like revenue.
CREATE TABLE spend (
  id          TEXT PRIMARY KEY,
  day         TEXT NOT NULL CHECK (length(day) = 10),
  campaign_id TEXT NOT NULL DEFAULT '',
  channel     TEXT NOT NULL DEFAULT '' CHECK (channel IN ('', 'offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other')),
  amount      REAL NOT NULL CHECK (amount >= 0),
  currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  CHECK ((campaign_id = '') != (channel = ''))
);
CREATE UNIQUE INDEX spend_key ON spend (day, campaign_id, channel);
