-- 0024: sharded touches (docs/DESIGN.md "Sharded touches"). With TOUCH_SHARDS > 1
-- touches are spread over several D1 databases by a hash of the visitor; every
-- shard gets every migration, and on shards other than the main one the
-- main-only tables (referrals, conversions …) stay empty. So touches_referral_visits
-- (0005) finds no referral there: a tell-a-friend visit on such a shard is kept
-- here instead, keyed by what the touch carries (campaign, referrer hash), and the
-- referral report maps those keys to referrals on the main database. On the main
-- database the referral is always found, and nothing is written here. Like every
-- rollup trigger it fires only for a touch actually inserted, so a retried batch
-- counts no visit twice.

CREATE TABLE referral_touch_visits (
  campaign_id   TEXT NOT NULL,
  referrer_hash TEXT NOT NULL,
  day           TEXT NOT NULL,
  visitor_id    TEXT NOT NULL,
  visits        INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, referrer_hash, day, visitor_id)
) WITHOUT ROWID;
CREATE INDEX referral_touch_visits_day ON referral_touch_visits (day);

CREATE TRIGGER touches_referral_touch_visits AFTER INSERT ON touches
WHEN NEW.referrer_hash IS NOT NULL AND NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL AND NEW.campaign_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM referrals WHERE campaign_id = NEW.campaign_id AND referrer_hash = NEW.referrer_hash)
BEGIN
  INSERT INTO referral_touch_visits (campaign_id, referrer_hash, day, visitor_id, visits)
  VALUES (NEW.campaign_id, NEW.referrer_hash, substr(NEW.occurred_at, 1, 10), NEW.visitor_id, 1)
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;

-- A visit reclassified later (a bot found by the reclassify job, a scanner burst) leaves its cell, as 0007 does for referral_visits.
CREATE TRIGGER touches_referral_touch_visits_update
AFTER UPDATE OF occurred_at, campaign_id, visitor_id, is_bot ON touches
WHEN OLD.referrer_hash IS NOT NULL OR NEW.referrer_hash IS NOT NULL
BEGIN
  UPDATE referral_touch_visits SET visits = visits - 1
  WHERE OLD.referrer_hash IS NOT NULL AND OLD.is_bot = 0 AND OLD.visitor_id IS NOT NULL
    AND campaign_id = OLD.campaign_id AND referrer_hash = OLD.referrer_hash
    AND day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id;
  DELETE FROM referral_touch_visits
  WHERE visits <= 0 AND day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id;
  INSERT INTO referral_touch_visits (campaign_id, referrer_hash, day, visitor_id, visits)
  SELECT NEW.campaign_id, NEW.referrer_hash, substr(NEW.occurred_at, 1, 10), NEW.visitor_id, 1
  WHERE NEW.referrer_hash IS NOT NULL AND NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL AND NEW.campaign_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM referrals WHERE campaign_id = NEW.campaign_id AND referrer_hash = NEW.referrer_hash)
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;
