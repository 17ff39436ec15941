-- 0015: where human visits come from, rolled up per day: the visitor's country
-- and the referring host ('' when unknown), split by campaign, link, channel and
-- device class so that the overview's top lists follow its filters without
-- reading raw touches. Kept in step with touches by insert and update triggers,
-- like touch_daily.
CREATE TABLE touch_facet_daily (
  day          TEXT NOT NULL,
  facet        TEXT NOT NULL CHECK (facet IN ('country', 'referrer')),
  value        TEXT NOT NULL,
  campaign_id  TEXT NOT NULL,
  link_id      TEXT NOT NULL,
  channel      TEXT NOT NULL,
  device_class TEXT NOT NULL,
  visits       INTEGER NOT NULL,
  PRIMARY KEY (day, facet, value, campaign_id, link_id, channel, device_class)
) WITHOUT ROWID;

INSERT INTO touch_facet_daily (day, facet, value, campaign_id, link_id, channel, device_class, visits)
SELECT substr(occurred_at, 1, 10), 'country', coalesce(country, ''), coalesce(campaign_id, ''), coalesce(link_id, ''), channel, device_class, COUNT(*)
FROM touches WHERE is_bot = 0
GROUP BY 1, 3, 4, 5, 6, 7;
INSERT INTO touch_facet_daily (day, facet, value, campaign_id, link_id, channel, device_class, visits)
SELECT substr(occurred_at, 1, 10), 'referrer', coalesce(referrer_host, ''), coalesce(campaign_id, ''), coalesce(link_id, ''), channel, device_class, COUNT(*)
FROM touches WHERE is_bot = 0
GROUP BY 1, 3, 4, 5, 6, 7;

CREATE TRIGGER touches_facets AFTER INSERT ON touches WHEN NEW.is_bot = 0
BEGIN
  INSERT INTO touch_facet_daily (day, facet, value, campaign_id, link_id, channel, device_class, visits)
  VALUES (substr(NEW.occurred_at, 1, 10), 'country', coalesce(NEW.country, ''), coalesce(NEW.campaign_id, ''),
          coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class, 1),
         (substr(NEW.occurred_at, 1, 10), 'referrer', coalesce(NEW.referrer_host, ''), coalesce(NEW.campaign_id, ''),
          coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class, 1)
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;

-- A touch reclassified later (a bot found after the fact, a moved day) leaves its old cells and joins its new ones.
CREATE TRIGGER touches_facets_update
AFTER UPDATE OF occurred_at, campaign_id, link_id, channel, device_class, is_bot, country, referrer_host ON touches
BEGIN
  UPDATE touch_facet_daily SET visits = visits - 1
  WHERE OLD.is_bot = 0 AND day = substr(OLD.occurred_at, 1, 10) AND campaign_id = coalesce(OLD.campaign_id, '')
    AND link_id = coalesce(OLD.link_id, '') AND channel = OLD.channel AND device_class = OLD.device_class
    AND ((facet = 'country' AND value = coalesce(OLD.country, '')) OR (facet = 'referrer' AND value = coalesce(OLD.referrer_host, '')));
  INSERT INTO touch_facet_daily (day, facet, value, campaign_id, link_id, channel, device_class, visits)
  SELECT substr(NEW.occurred_at, 1, 10), 'country', coalesce(NEW.country, ''), coalesce(NEW.campaign_id, ''),
         coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class, 1
  WHERE NEW.is_bot = 0
  UNION ALL
  SELECT substr(NEW.occurred_at, 1, 10), 'referrer', coalesce(NEW.referrer_host, ''), coalesce(NEW.campaign_id, ''),
         coalesce(NEW.link_id, ''), NEW.channel, NEW.device_class, 1
  WHERE NEW.is_bot = 0
  ON CONFLICT DO UPDATE SET visits = visits + 1;
END;
