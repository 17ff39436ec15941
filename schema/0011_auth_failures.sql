-- 0011: throttling of sign-ins and API key checks, and typo-free code-entry limits.
-- auth_failures holds one row per failed sign-in or failed bearer-key check,
-- keyed by the client's keyed hash (an IPv4 address or an IPv6 /64, never the
-- raw address); the limiter counts a client's rows within its window, so the
-- limit holds across isolates. The cron deletes rows older than a day.
CREATE TABLE auth_failures (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('signin', 'api_key')),
  client_hash TEXT NOT NULL,
  occurred_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX auth_failures_client ON auth_failures (client_hash, kind, occurred_at);
CREATE INDEX auth_failures_time ON auth_failures (occurred_at);

-- Action codes that fail their check character (invalid_code) no longer count
-- toward the code-entry limit: the limiter's index leaves them out.
DROP INDEX code_entries_failures;
CREATE INDEX code_entries_guesses ON code_entries (client_hash, occurred_at)
  WHERE result NOT IN ('accepted', 'rate_limited', 'invalid_code') AND source IN ('api', 'page');
