-- 0016: the bonus program (issue 13). One program per installation; earning rules as data; members known
-- only by the keyed customer hash (NULL once erased: the ledger is pseudonymised, its sums kept); an
-- append-only ledger with the running balance stored on the member, so a balance is one read.
--
-- Points are whole numbers. A ledger row records its effect on each of the member's three counters:
-- `points` on the available balance, `pending` on points waiting out the return window, `debt` on what a
-- refund took back after the points were spent (later earnings pay it first). The member row is the sum of
-- its ledger rows, always: every write adds the row and the member update in one D1 batch.
--
-- Expiry is first-in first-out without updating old rows: `lot` is what a row adds to (or, negative, takes
-- from) the member's expiring lots, with the lot's `expires_at`. Points due to expire at time t are
-- max(0, sum(lot where expires_at <= t) - spent_total - expired_total): what was spent or expired is taken
-- from the oldest lots first. A reversal is a negative lot with the reversed lot's expiry, so it never expires.
-- Vocabularies mirror src/domain/vocab.ts (a test compares them).

CREATE TABLE loyalty_program (
  id                   TEXT PRIMARY KEY CHECK (id = 'program'),
  name                 TEXT NOT NULL,
  points_name          TEXT NOT NULL,                 -- what the points are called, e.g. "Beans"
  point_value          REAL NOT NULL CHECK (point_value >= 0),   -- what one point is worth, in `currency`
  currency             TEXT NOT NULL,
  pending_days         INTEGER NOT NULL DEFAULT 0 CHECK (pending_days >= 0),   -- purchase points wait this long
  expiry_days          INTEGER CHECK (expiry_days IS NULL OR expiry_days > 0), -- after becoming available; NULL never
  tiers                TEXT NOT NULL DEFAULT '[]',    -- JSON [{name, min_points_12m, multiplier}] by min_points_12m
  enrollment           TEXT NOT NULL DEFAULT 'automatic' CHECK (enrollment IN ('automatic', 'signup')),
  referral_campaign_id TEXT,                          -- the campaign of the tell-a-friend link a wallet shows
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);

CREATE TABLE loyalty_rules (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('purchase', 'code_entry', 'review', 'survey', 'referral', 'referral_welcome', 'signup', 'custom')),
  event_name  TEXT,                 -- custom: the name of the event it pays for
  points      INTEGER NOT NULL CHECK (points > 0),   -- per event; purchase: per whole unit of `currency`
  currency    TEXT,                 -- purchase: the unit (the program's currency when NULL)
  min_order   REAL,                 -- purchase: smallest order value that earns, in that currency
  campaign_id TEXT,                 -- only events of this campaign
  channel     TEXT,                 -- only events whose touch came through this channel
  starts_at   TEXT,
  ends_at     TEXT,
  segment     TEXT,                 -- JSON {abc?: [..], tiers?: [..], acquisition_channels?: [..]}
  place       TEXT,                 -- JSON {countries?: [..], regions?: [..]} of the event's touch
  cap_day     INTEGER,              -- times one member is paid by this rule per UTC day / month / ever
  cap_month   INTEGER,
  cap_total   INTEGER,
  archived_at TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX loyalty_rules_kind ON loyalty_rules (kind) WHERE archived_at IS NULL;

CREATE TABLE loyalty_members (
  id             TEXT PRIMARY KEY,
  customer_hash  TEXT UNIQUE,              -- HMAC of customer_ref; NULL once the customer is erased
  balance        INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
  pending        INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0),
  debt           INTEGER NOT NULL DEFAULT 0 CHECK (debt >= 0),
  earned_total   INTEGER NOT NULL DEFAULT 0,   -- lifetime points that became available (after reversals)
  spent_total    INTEGER NOT NULL DEFAULT 0,
  expired_total  INTEGER NOT NULL DEFAULT 0,
  tier           TEXT,                         -- the tier as of the last earning (NULL: no tiers)
  wallet_version INTEGER NOT NULL DEFAULT 1,   -- raising it revokes every wallet link handed out before
  expired_through TEXT,                        -- lots expiring up to this time have been expired
  joined_at      TEXT NOT NULL,
  last_activity_at TEXT NOT NULL
);
CREATE INDEX loyalty_members_joined ON loyalty_members (joined_at);
CREATE INDEX loyalty_members_activity ON loyalty_members (last_activity_at);

-- Points that became available per member and month: the 12 months a tier is measured over.
CREATE TABLE loyalty_member_months (
  member_id TEXT NOT NULL,
  month     TEXT NOT NULL,   -- 'YYYY-MM'
  earned    INTEGER NOT NULL,
  PRIMARY KEY (member_id, month)
) WITHOUT ROWID;

-- Every earning occasion: posted by the shop, or made by a conversion, an action code entry or a referral.
CREATE TABLE loyalty_events (
  id              TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,        -- the shop's key; 'conversion:<id>', 'code_entry:<id>', …
  member_id       TEXT NOT NULL,
  type            TEXT NOT NULL CHECK (type IN ('purchase', 'code_entry', 'review', 'survey', 'referral', 'referral_welcome', 'signup', 'custom')),
  name            TEXT,                        -- custom: the event's name
  value           REAL,
  currency        TEXT,
  campaign_id     TEXT,
  channel         TEXT,                        -- of the event's touch, when it had one
  country         TEXT,
  region          TEXT,
  conversion_id   TEXT,
  code_entry_id   TEXT,
  points          INTEGER NOT NULL DEFAULT 0,  -- what its rules paid (challenge bonuses are their own rows)
  status          TEXT NOT NULL CHECK (status IN ('available', 'pending', 'no_points')),
  occurred_at     TEXT NOT NULL,
  day             TEXT NOT NULL
);
CREATE INDEX loyalty_events_member ON loyalty_events (member_id, type, occurred_at);
CREATE INDEX loyalty_events_type ON loyalty_events (type, occurred_at);
CREATE INDEX loyalty_events_conversion ON loyalty_events (conversion_id) WHERE conversion_id IS NOT NULL;

-- What each matching rule paid for an event; counted for the rules' caps.
CREATE TABLE loyalty_entries (
  event_id  TEXT NOT NULL,
  rule_id   TEXT NOT NULL,
  member_id TEXT NOT NULL,
  points    INTEGER NOT NULL,
  day       TEXT NOT NULL,
  PRIMARY KEY (event_id, rule_id)
) WITHOUT ROWID;
CREATE INDEX loyalty_entries_caps ON loyalty_entries (member_id, rule_id, day);

CREATE TABLE loyalty_ledger (
  id            TEXT PRIMARY KEY,
  member_id     TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('earn', 'pending', 'release', 'spend', 'expire', 'reverse', 'adjust')),
  source        TEXT NOT NULL CHECK (source IN ('purchase', 'code_entry', 'review', 'survey', 'referral', 'referral_welcome', 'signup', 'custom', 'challenge', 'reward', 'refund', 'expiry', 'manual')),
  points        INTEGER NOT NULL DEFAULT 0,   -- change to the available balance
  pending       INTEGER NOT NULL DEFAULT 0,   -- change to the pending points
  debt          INTEGER NOT NULL DEFAULT 0,   -- change to the debt
  lot           INTEGER NOT NULL DEFAULT 0,   -- change to the expiring lots (see above)
  expires_at    TEXT,                         -- the lot's expiry
  event_id      TEXT,
  conversion_id TEXT,
  redemption_id TEXT,
  challenge_id  TEXT,
  note          TEXT,
  occurred_at   TEXT NOT NULL,
  day           TEXT NOT NULL
);
CREATE INDEX loyalty_ledger_member ON loyalty_ledger (member_id, occurred_at);
CREATE INDEX loyalty_ledger_day ON loyalty_ledger (day);
CREATE INDEX loyalty_ledger_expiry ON loyalty_ledger (expires_at) WHERE lot <> 0;
CREATE INDEX loyalty_ledger_conversion ON loyalty_ledger (conversion_id) WHERE conversion_id IS NOT NULL;

-- Pending points not yet released: one row per pending ledger row, deleted when released or reversed away.
CREATE TABLE loyalty_pending (
  ledger_id     TEXT PRIMARY KEY,
  member_id     TEXT NOT NULL,
  conversion_id TEXT,
  points        INTEGER NOT NULL CHECK (points >= 0),
  available_at  TEXT NOT NULL
);
CREATE INDEX loyalty_pending_due ON loyalty_pending (available_at);
CREATE INDEX loyalty_pending_member ON loyalty_pending (member_id);

CREATE TABLE loyalty_rewards (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  description      TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('discount', 'perk')),
  cost             INTEGER NOT NULL CHECK (cost > 0),
  stock            INTEGER CHECK (stock IS NULL OR stock >= 0),   -- NULL: unlimited
  redeemed         INTEGER NOT NULL DEFAULT 0 CHECK (stock IS NULL OR redeemed <= stock),
  per_member_limit INTEGER CHECK (per_member_limit IS NULL OR per_member_limit > 0),
  campaign_id      TEXT,           -- discount: the campaign its promo codes belong to
  discount         TEXT,           -- discount: JSON, as a promo code's discount
  min_order_value  REAL,
  valid_days       INTEGER,        -- discount: how long a reward's promo code stays valid
  archived_at      TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE loyalty_redemptions (
  id            TEXT PRIMARY KEY,
  reward_id     TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  cost          INTEGER NOT NULL,
  promo_code_id TEXT,              -- discount: the single-use promotion minted for it
  created_at    TEXT NOT NULL,
  day           TEXT NOT NULL
);
CREATE INDEX loyalty_redemptions_member ON loyalty_redemptions (member_id, reward_id);
CREATE INDEX loyalty_redemptions_day ON loyalty_redemptions (day);

-- Game elements: a goal (count of events of a type) in a period, paid once per member.
CREATE TABLE loyalty_challenges (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT,
  event_type  TEXT NOT NULL CHECK (event_type IN ('purchase', 'code_entry', 'review', 'survey', 'referral', 'referral_welcome', 'signup', 'custom')),
  event_name  TEXT,
  campaign_id TEXT,
  goal        INTEGER NOT NULL CHECK (goal > 0),
  bonus       INTEGER NOT NULL CHECK (bonus > 0),
  starts_at   TEXT NOT NULL,
  ends_at     TEXT NOT NULL,
  archived_at TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE loyalty_challenge_completions (
  challenge_id TEXT NOT NULL,
  member_id    TEXT NOT NULL,
  event_id     TEXT NOT NULL,     -- the event that met the goal
  completed_at TEXT NOT NULL,
  PRIMARY KEY (challenge_id, member_id)
) WITHOUT ROWID;

-- Prize draws (Gewinnspiel). The seed stays secret until the draw is run; only its SHA-256 is shown before.
CREATE TABLE draws (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL,
  source                 TEXT NOT NULL CHECK (source IN ('code_entries', 'events')),
  event_type             TEXT,
  event_name             TEXT,
  campaign_id            TEXT,
  batch_id               TEXT,
  starts_at              TEXT NOT NULL,
  ends_at                TEXT NOT NULL,
  prizes                 INTEGER NOT NULL CHECK (prizes > 0),
  max_entries_per_member INTEGER CHECK (max_entries_per_member IS NULL OR max_entries_per_member > 0),
  seed                   TEXT NOT NULL,
  seed_hash              TEXT NOT NULL,
  ran_at                 TEXT,
  created_at             TEXT NOT NULL
);

-- The entries a run drew from (frozen at the run) and its winners.
CREATE TABLE draw_entries (
  draw_id     TEXT NOT NULL,
  entry_id    TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  PRIMARY KEY (draw_id, entry_id)
) WITHOUT ROWID;

CREATE TABLE draw_winners (
  draw_id   TEXT NOT NULL,
  place     INTEGER NOT NULL,
  entry_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (draw_id, place)
) WITHOUT ROWID;
