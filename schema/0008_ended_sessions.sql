-- 0008: dashboard sessions ended by signing out. The session cookie is signed
-- and self-contained; a copy of it kept after sign-out must not work, so the
-- session's id is remembered until the cookie would have expired anyway (the
-- cron deletes older rows).
CREATE TABLE ended_sessions (
  id         TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
