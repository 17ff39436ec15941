-- 0020: outgoing webhooks (issue 14). An endpoint is a URL subscribed to events, with its Standard Webhooks
-- signing secret kept sealed (src/lib/secret-box.ts). A delivery is one message (webhook-id `msg_…`, stable across
-- every retry) to one endpoint: the outbox row written when the fact happened, its body stored exactly as signed,
-- attempted until a 2xx or the last attempt of the retry schedule (src/domain/webhooks.ts). An endpoint whose
-- deliveries keep failing outright is disabled (enabled = 0) until someone enables it again.
CREATE TABLE webhook_endpoints (
  id               TEXT PRIMARY KEY,
  url              TEXT NOT NULL,
  events           TEXT NOT NULL,                -- JSON array of WEBHOOK_EVENTS
  description      TEXT,
  secret_sealed    TEXT NOT NULL,                -- the whsec_ secret, sealed under secretsKey(env)
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  failure_count    INTEGER NOT NULL DEFAULT 0,   -- deliveries in a row that failed all their attempts
  disabled_reason  TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  id                TEXT PRIMARY KEY,
  endpoint_id       TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  message_id        TEXT NOT NULL,               -- the webhook-id header
  event             TEXT NOT NULL,               -- a WEBHOOK_EVENTS name, or webhook.test for a ping
  body              TEXT NOT NULL,               -- {type, timestamp, data}, exactly as signed and sent
  state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL,
  next_attempt_at   TEXT,                        -- when pending: due time (or a claim's lease end)
  last_attempt_at   TEXT,
  last_status       INTEGER,                     -- HTTP status of the last attempt; null when it got no response
  last_error        TEXT,
  response_ms       INTEGER,
  response_excerpt  TEXT,                        -- the first 1 KB of the last response body
  created_at        TEXT NOT NULL,
  UNIQUE (endpoint_id, message_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
