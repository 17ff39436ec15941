-- 0005: tell-a-friend referrals. One personal link per (campaign, referrer),
-- the referrer known only as a keyed hash (HMAC of customer_ref, as
-- conversions.customer_hash); the referral touches carry that hash; every
-- conversion linked to a referral is logged with its outcome, and a friend's
-- qualifying first sale mints the referrer's reward promo code exactly once.
-- Erasing a customer nulls or deletes rows by referrer_hash / customer_hash;
-- the visit rollup is keyed by referral id, so report counts survive it.

ALTER TABLE campaigns ADD COLUMN referral_reward TEXT;   -- JSON promo template {discount, prefix?, min_order_value?, valid_days?}
ALTER TABLE touches ADD COLUMN referrer_hash TEXT;       -- the referrer of a `/r/:code` visit
CREATE INDEX touches_referrer ON touches (referrer_hash) WHERE referrer_hash IS NOT NULL;   -- erase finds them

CREATE TABLE referrals (
  id            TEXT PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,                    -- the public code in /r/:code
  campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
  referrer_hash TEXT,                                    -- HMAC of the referrer's customer_ref; NULL once erased
  destination   TEXT,                                    -- NULL: the campaign's landing_url
  created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX referrals_referrer ON referrals (campaign_id, referrer_hash);
CREATE INDEX referrals_hash ON referrals (referrer_hash) WHERE referrer_hash IS NOT NULL;

-- Human visits per referral, day and visitor (bots never count), filled as the touch is written.
CREATE TABLE referral_visits (
  referral_id TEXT NOT NULL,
  day         TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  visits      INTEGER NOT NULL,
  PRIMARY KEY (referral_id, day, visitor_id)
) WITHOUT ROWID;

CREATE TRIGGER touches_referral_visits AFTER INSERT ON touches
WHEN NEW.referrer_hash IS NOT NULL AND NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
BEGIN
  INSERT INTO referral_visits (referral_id, day, visitor_id, visits)
  SELECT id, substr(NEW.occurred_at, 1, 10), NEW.visitor_id, 1 FROM referrals
  WHERE campaign_id = NEW.campaign_id AND referrer_hash = NEW.referrer_hash
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;

-- A conversion whose candidate touches include a referral visit, with what it earned.
-- outcome: referred_sale (a friend's first sale: counts and rewards), signup (a lead),
-- self_referral, repeat_sale, below_minimum, anonymous (no customer_ref), other (custom type).
CREATE TABLE referral_conversions (
  conversion_id   TEXT PRIMARY KEY,
  referral_id     TEXT NOT NULL,                         -- no foreign key: erasing may drop a referral
  customer_hash   TEXT,                                  -- the friend (HMAC of customer_ref); NULL when none or erased
  outcome         TEXT NOT NULL CHECK (outcome IN ('referred_sale', 'signup', 'self_referral', 'repeat_sale', 'below_minimum', 'anonymous', 'other')),
  value           REAL,
  currency        TEXT,
  day             TEXT NOT NULL,
  reward_promo_id TEXT,                                  -- the referrer's reward promotion (referred_sale with a campaign reward)
  created_at      TEXT NOT NULL
);
-- A friend is referred once: the second conversion claiming the same friend loses the insert.
CREATE UNIQUE INDEX referral_conversions_friend ON referral_conversions (customer_hash) WHERE outcome = 'referred_sale';
CREATE INDEX referral_conversions_referral ON referral_conversions (referral_id, day);
CREATE INDEX referral_conversions_day ON referral_conversions (day);
