-- 0007: a referral visit reclassified after it was written (a bot found later by
-- the reclassify job or a scanner burst, …) leaves referral_visits, and one that
-- turns human joins it, as the traffic rollups already do (0003). Erasing a
-- person renames referrer_hash in touches and referrals alike (no change of
-- visits), so that column is not watched.

CREATE TRIGGER touches_referral_visits_update
AFTER UPDATE OF occurred_at, campaign_id, visitor_id, is_bot ON touches
WHEN OLD.referrer_hash IS NOT NULL OR NEW.referrer_hash IS NOT NULL
BEGIN
  UPDATE referral_visits SET visits = visits - 1
  WHERE OLD.referrer_hash IS NOT NULL AND OLD.is_bot = 0 AND OLD.visitor_id IS NOT NULL
    AND day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id
    AND referral_id IN (SELECT id FROM referrals WHERE campaign_id = OLD.campaign_id AND referrer_hash = OLD.referrer_hash);
  DELETE FROM referral_visits
  WHERE visits <= 0 AND day = substr(OLD.occurred_at, 1, 10) AND visitor_id = OLD.visitor_id;
  INSERT INTO referral_visits (referral_id, day, visitor_id, visits)
  SELECT id, substr(NEW.occurred_at, 1, 10), NEW.visitor_id, 1 FROM referrals
  WHERE NEW.referrer_hash IS NOT NULL AND NEW.is_bot = 0 AND NEW.visitor_id IS NOT NULL
    AND campaign_id = NEW.campaign_id AND referrer_hash = NEW.referrer_hash
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;
