-- 0001: API keys, campaigns, tracked links, touches and orphan visits.
-- CHECK lists mirror the closed vocabularies in src/domain/vocab.ts
-- (test/unit/schema.test.ts keeps the two in step).
-- Times are ISO-8601 UTC strings ("2026-11-22T10:00:00.000Z"): they sort as text
-- and substr(t, 1, 10) is the UTC day.

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,            -- JSON array of scopes
  key_hash     TEXT NOT NULL,            -- hex SHA-256 of the whole key
  key_prefix   TEXT NOT NULL,            -- first characters, to recognise a key in lists
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);

CREATE TABLE campaigns (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  utm_campaign TEXT NOT NULL,
  landing_url  TEXT,
  description  TEXT,
  starts_at    TEXT,
  ends_at      TEXT,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX campaigns_status_id ON campaigns (status, id);

CREATE TABLE links (
  id            TEXT PRIMARY KEY,
  campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
  slug          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'qr', 'email', 'referral')),
  channel       TEXT NOT NULL CHECK (channel IN ('offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other')),
  channel_set   INTEGER NOT NULL DEFAULT 0 CHECK (channel_set IN (0, 1)),  -- 1: chosen by the marketer, 0: from the rules
  label         TEXT,
  destination   TEXT NOT NULL,
  utm_source    TEXT,
  utm_medium    TEXT,
  utm_campaign  TEXT,                    -- overrides the campaign's when set
  utm_term      TEXT,
  utm_content   TEXT,
  forward_query INTEGER NOT NULL DEFAULT 0 CHECK (forward_query IN (0, 1)),
  expires_at    TEXT,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX links_campaign_id ON links (campaign_id, id);
CREATE INDEX links_channel_id ON links (channel, id);
CREATE INDEX links_kind_id ON links (kind, id);

-- One row per touch; id is the click id handed to the landing site.
CREATE TABLE touches (
  id            TEXT PRIMARY KEY,
  type          TEXT NOT NULL CHECK (type IN ('click', 'scan', 'code_entry', 'promo_redemption')),
  occurred_at   TEXT NOT NULL,
  campaign_id   TEXT,
  link_id       TEXT,
  channel       TEXT NOT NULL CHECK (channel IN ('offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other')),
  visitor_id    TEXT,
  visitor_kind  TEXT CHECK (visitor_kind IN ('cookie', 'hash')),
  device_class  TEXT NOT NULL CHECK (device_class IN ('mobile', 'tablet', 'desktop', 'bot')),
  os            TEXT,
  browser       TEXT,
  is_bot        INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1)),
  bot_reason    TEXT CHECK (bot_reason IN ('user_agent', 'link_preview', 'email_scanner', 'head_request', 'no_user_agent', 'scanner_burst')),
  user_agent    TEXT,                    -- kept so that a grown bot list can reclassify past touches
  rid_hash      TEXT,                    -- keyed hash of the email tool's recipient id (?rid=)
  country       TEXT,
  region        TEXT,
  city          TEXT,
  referrer_host TEXT,
  utm_source    TEXT,
  utm_medium    TEXT,
  utm_campaign  TEXT
);
CREATE INDEX touches_link ON touches (link_id, is_bot, type, visitor_id);
CREATE INDEX touches_campaign_time ON touches (campaign_id, occurred_at);
CREATE INDEX touches_time ON touches (occurred_at);
CREATE INDEX touches_visitor_time ON touches (visitor_id, occurred_at);
CREATE INDEX touches_rid_time ON touches (rid_hash, occurred_at) WHERE rid_hash IS NOT NULL;

-- Requests for slugs that do not exist: kept apart so they never earn credit.
CREATE TABLE orphan_visits (
  id            TEXT PRIMARY KEY,
  slug          TEXT NOT NULL,
  occurred_at   TEXT NOT NULL,
  is_bot        INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1)),
  bot_reason    TEXT,
  device_class  TEXT,
  referrer_host TEXT,
  country       TEXT
);
CREATE INDEX orphan_visits_time ON orphan_visits (occurred_at);
