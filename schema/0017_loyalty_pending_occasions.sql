-- 0017: earning occasions whose booking failed (issue 13). A sale, an action code entry or a referred sale
-- never fails because of the bonus program: when booking its points throws, the occasion is kept here (with
-- the customer's keyed hash, never the raw reference) and the cron books it again. Booking is idempotent on
-- the occasion's key ('conversion:<id>', 'code_entry:<id>', …), so a retry after a half-known outcome books
-- nothing twice. Erasing the customer deletes their queued occasions.
CREATE TABLE loyalty_pending_occasions (
  idempotency_key TEXT PRIMARY KEY,
  customer_hash   TEXT NOT NULL,
  occasion        TEXT NOT NULL,              -- JSON: the Occasion of services/loyalty-earn.ts
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  queued_at       TEXT NOT NULL
);
CREATE INDEX loyalty_pending_occasions_order ON loyalty_pending_occasions (attempts, queued_at);
CREATE INDEX loyalty_pending_occasions_customer ON loyalty_pending_occasions (customer_hash);
