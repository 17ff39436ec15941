-- 0028: branded domains, app links and social previews (issue 16).
-- A domain is a hostname (go.brand.com) attached to the Worker; its app-link settings are served as
-- /.well-known/apple-app-site-association and /.well-known/assetlinks.json on that host.
-- A link belongs to a domain (domain_id; NULL: the installation's own host) and its slug is unique per domain:
-- links.slug was UNIQUE on its own (0001), a column constraint SQLite cannot drop, so the table is rebuilt —
-- every column and row copied as is — with the unique index over (slug, domain) instead. A link may carry a
-- social preview (title, description, image) that link-preview bots get as Open Graph tags.
-- Nothing references links by a foreign key; links references campaigns, so the foreign keys are deferred to
-- the end of the migration (D1's way for rebuilds) and hold again once the copy is in place.
-- The columns 0027 added to links (rules, variants, max_clicks, fallback_url) are copied like every other.
PRAGMA defer_foreign_keys = true;

CREATE TABLE domains (
  id                TEXT PRIMARY KEY,
  hostname          TEXT NOT NULL UNIQUE,  -- lower case, no port, no trailing dot
  apple_app_links   TEXT,                  -- JSON {app_ids, paths}; NULL: no apple-app-site-association
  android_app_links TEXT,                  -- JSON {package_name, sha256_cert_fingerprints}; NULL: no assetlinks.json
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

CREATE TABLE links_new (
  id                  TEXT PRIMARY KEY,
  campaign_id         TEXT NOT NULL REFERENCES campaigns (id),
  slug                TEXT NOT NULL,
  kind                TEXT NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'qr', 'email', 'referral')),
  channel             TEXT NOT NULL CHECK (channel IN ('offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other')),
  channel_set         INTEGER NOT NULL DEFAULT 0 CHECK (channel_set IN (0, 1)),  -- 1: chosen by the marketer, 0: from the rules
  label               TEXT,
  destination         TEXT NOT NULL,
  utm_source          TEXT,
  utm_medium          TEXT,
  utm_campaign        TEXT,                    -- overrides the campaign's when set
  utm_term            TEXT,
  utm_content         TEXT,
  forward_query       INTEGER NOT NULL DEFAULT 0 CHECK (forward_query IN (0, 1)),
  expires_at          TEXT,
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  rules               TEXT,                    -- 0027: JSON [{destination, conditions, label?, variants?}]
  variants            TEXT,                    -- 0027: JSON [{destination, weight, label?}]
  max_clicks          INTEGER,                 -- 0027: NULL: no cap
  fallback_url        TEXT,                    -- 0027: NULL: the 410 page after the cap or expiry
  domain_id           TEXT REFERENCES domains (id),  -- NULL: the installation's own host
  preview_title       TEXT,
  preview_description TEXT,
  preview_image_url   TEXT
);

INSERT INTO links_new (id, campaign_id, slug, kind, channel, channel_set, label, destination, utm_source, utm_medium,
                       utm_campaign, utm_term, utm_content, forward_query, expires_at, status, created_at, updated_at,
                       rules, variants, max_clicks, fallback_url)
SELECT id, campaign_id, slug, kind, channel, channel_set, label, destination, utm_source, utm_medium,
       utm_campaign, utm_term, utm_content, forward_query, expires_at, status, created_at, updated_at,
       rules, variants, max_clicks, fallback_url
FROM links;

DROP TABLE links;
ALTER TABLE links_new RENAME TO links;

CREATE INDEX links_campaign_id ON links (campaign_id, id);
CREATE INDEX links_channel_id ON links (channel, id);
CREATE INDEX links_kind_id ON links (kind, id);
-- One slug per domain (the own host's links share coalesce(domain_id, '') = ''); slug first, so the redirect's
-- lookup by slug and domain is one index seek.
CREATE UNIQUE INDEX links_slug_domain ON links (slug, coalesce(domain_id, ''));
CREATE INDEX links_domain ON links (domain_id, id) WHERE domain_id IS NOT NULL;
