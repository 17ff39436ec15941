-- 0004: email open events (the open pixel). Opens are not touches: they earn no credit.
CREATE TABLE email_opens (
  id             TEXT PRIMARY KEY,
  link_id        TEXT NOT NULL,
  campaign_id    TEXT NOT NULL,
  rid_hash       TEXT,
  occurred_at    TEXT NOT NULL,
  is_machine     INTEGER NOT NULL DEFAULT 0 CHECK (is_machine IN (0, 1)),
  machine_reason TEXT CHECK (machine_reason IN ('image_proxy', 'user_agent', 'link_preview', 'email_scanner', 'head_request', 'no_user_agent')),
  device_class   TEXT,
  user_agent     TEXT
);
CREATE INDEX email_opens_campaign_time ON email_opens (campaign_id, occurred_at);
