/** Dashboard sessions: whether one still stands, ending one, forgetting ended ones once they would have expired. */
import type { Db } from './client';

/** In one read: the session was not signed out and its key (the admin token always) is not revoked. */
export async function sessionStands(db: Db, sessionId: string, keyId: string): Promise<boolean> {
  const row = await db.d1
    .prepare(
      `SELECT NOT EXISTS (SELECT 1 FROM ended_sessions WHERE id = ?1)
          AND (?2 = 'admin' OR EXISTS (SELECT 1 FROM api_keys WHERE id = ?2 AND revoked_at IS NULL)) AS stands`,
    )
    .bind(sessionId, keyId)
    .first<{ stands: number }>();
  return row?.stands === 1;
}

/** Ends a session for good (signing out); `expiresAt` is when its cookie would have expired. */
export async function endSession(db: Db, sessionId: string, expiresAt: string): Promise<void> {
  await db
    .insertInto('ended_sessions')
    .values({ id: sessionId, expires_at: expiresAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Forgets ended sessions whose cookies have expired by `nowIso`; how many. */
export async function deleteExpiredEndedSessions(db: Db, nowIso: string): Promise<number> {
  const rows = await db.deleteFrom('ended_sessions').where('expires_at', '<=', nowIso).returning('id').execute();
  return rows.length;
}
