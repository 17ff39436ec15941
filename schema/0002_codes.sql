-- 0002: action codes (batches minted for packaging runs, one row per code with
-- its redemption counter), the log of every code entry with its result (also the
-- rate limiter's input), and promo codes with their redemptions.
-- CHECK lists mirror src/domain/vocab.ts (test/unit/codes-schema.test.ts keeps them in step).

CREATE TABLE code_batches (
  id                       TEXT PRIMARY KEY,
  campaign_id              TEXT NOT NULL REFERENCES campaigns (id),
  prefix                   TEXT,                 -- normalised, part of every code
  count                    INTEGER NOT NULL CHECK (count BETWEEN 1 AND 1000000),
  minted                   INTEGER NOT NULL DEFAULT 0,   -- codes stored so far: minting resumes from here
  max_redemptions_per_code INTEGER NOT NULL DEFAULT 1 CHECK (max_redemptions_per_code >= 1),
  starts_at                TEXT,
  expires_at               TEXT,
  reward                   TEXT,
  status                   TEXT NOT NULL DEFAULT 'minting' CHECK (status IN ('minting', 'ready')),
  lease_until              TEXT,                 -- a minting run holds the batch until then
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL
);
CREATE INDEX code_batches_campaign ON code_batches (campaign_id, id);
CREATE INDEX code_batches_minting ON code_batches (status) WHERE status = 'minting';

-- id is the rowid: the CSV export pages through a batch by (batch_id, id).
-- No foreign key on batch_id: a million-row insert should not pay a lookup per row.
CREATE TABLE action_codes (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,      -- normalised, check character last, no dashes
  batch_id        TEXT NOT NULL,
  max_redemptions INTEGER NOT NULL,
  redemptions     INTEGER NOT NULL DEFAULT 0 CHECK (redemptions <= max_redemptions)
);
CREATE INDEX action_codes_batch ON action_codes (batch_id);
CREATE INDEX action_codes_redeemed ON action_codes (batch_id) WHERE redemptions > 0;

-- Every entry of an action or promo code, accepted or refused.
CREATE TABLE code_entries (
  id            TEXT PRIMARY KEY,
  occurred_at   TEXT NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('api', 'page', 'promo_validate', 'promo_redeem')),
  input         TEXT NOT NULL,               -- normalised input, at most 40 characters
  result        TEXT NOT NULL CHECK (result IN ('accepted', 'invalid_code', 'unknown_code', 'code_used_up', 'code_expired', 'code_not_started', 'rate_limited', 'customer_limit_reached', 'below_minimum_order')),
  batch_id      TEXT,
  promo_code_id TEXT,
  campaign_id   TEXT,
  client_hash   TEXT,                        -- HMAC of the client IP: the rate limiter's key
  visitor_id    TEXT,
  customer_hash TEXT,                        -- HMAC of customer_ref, never the ref itself
  touch_id      TEXT                         -- the code_entry / promo_redemption touch of an accepted entry
);
CREATE INDEX code_entries_failures ON code_entries (client_hash, occurred_at)
  WHERE result NOT IN ('accepted', 'rate_limited') AND source IN ('api', 'page');
CREATE INDEX code_entries_batch ON code_entries (batch_id, result) WHERE batch_id IS NOT NULL;
CREATE INDEX code_entries_promo ON code_entries (promo_code_id, result) WHERE promo_code_id IS NOT NULL;
CREATE INDEX code_entries_unmatched ON code_entries (result) WHERE batch_id IS NULL AND promo_code_id IS NULL;

-- A promotion: one vanity code for many customers, or a set of unique single-use codes.
CREATE TABLE promo_codes (
  id               TEXT PRIMARY KEY,
  campaign_id      TEXT NOT NULL REFERENCES campaigns (id),
  kind             TEXT NOT NULL CHECK (kind IN ('vanity', 'unique')),
  code             TEXT,                     -- the vanity code as shown; NULL for unique codes
  prefix           TEXT,                     -- of generated unique codes
  count            INTEGER NOT NULL DEFAULT 1,
  starts_at        TEXT,
  ends_at          TEXT,
  max_redemptions  INTEGER CHECK (max_redemptions IS NULL OR max_redemptions >= 1),   -- in total
  max_per_customer INTEGER CHECK (max_per_customer IS NULL OR max_per_customer >= 1),
  min_order_value  REAL CHECK (min_order_value IS NULL OR min_order_value >= 0),
  discount         TEXT,
  channel          TEXT NOT NULL CHECK (channel IN ('offline', 'mobile', 'email', 'referral', 'social', 'search', 'paid', 'display', 'other')),
  redemptions      INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX promo_codes_campaign ON promo_codes (campaign_id, id);

-- The codes of a promotion: one row for a vanity code, `count` rows for unique codes.
-- lookup is the normalised code, so SOMMER25, sommer25 and S0MMER25 are one code.
CREATE TABLE promo_code_values (
  lookup        TEXT PRIMARY KEY,
  promo_code_id TEXT NOT NULL REFERENCES promo_codes (id),
  code          TEXT NOT NULL,
  redemptions   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX promo_code_values_promo ON promo_code_values (promo_code_id, lookup);
CREATE INDEX promo_code_values_redeemed ON promo_code_values (promo_code_id) WHERE redemptions > 0;

-- One row per order that used a code; the same order again is the same redemption.
CREATE TABLE promo_redemptions (
  id            TEXT PRIMARY KEY,
  promo_code_id TEXT NOT NULL REFERENCES promo_codes (id),
  lookup        TEXT NOT NULL,
  order_id      TEXT NOT NULL,
  customer_hash TEXT,
  order_value   REAL,
  touch_id      TEXT NOT NULL,
  redeemed_at   TEXT NOT NULL,
  UNIQUE (promo_code_id, order_id)
);
CREATE INDEX promo_redemptions_customer ON promo_redemptions (promo_code_id, customer_hash) WHERE customer_hash IS NOT NULL;
