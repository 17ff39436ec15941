/** Challenges (schema/0016 `loyalty_challenges`): a goal of events in a period, paid once per member; and a member's progress. */
import type { LoyaltyEventType, RecordStatus } from '../domain/vocab';
import type { Db } from './client';
import type { LoyaltyChallengeRow } from './loyalty-schema';
import { pageOf, type Page } from './pagination';

export interface Challenge {
  id: string;
  name: string;
  description: string | null;
  eventType: LoyaltyEventType;
  eventName: string | null;
  campaignId: string | null;
  goal: number;
  bonus: number;
  startsAt: string;
  endsAt: string;
  archivedAt: string | null;
  createdAt: string;
}

export type ChallengeFields = Omit<Challenge, 'id' | 'archivedAt' | 'createdAt'>;

export const toChallenge = (row: LoyaltyChallengeRow): Challenge => ({
  id: row.id,
  name: row.name,
  description: row.description,
  eventType: row.event_type,
  eventName: row.event_name,
  campaignId: row.campaign_id,
  goal: row.goal,
  bonus: row.bonus,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  archivedAt: row.archived_at,
  createdAt: row.created_at,
});

/** Inserts a challenge and returns it. */
export async function insertChallenge(db: Db, id: string, fields: ChallengeFields, at: string): Promise<Challenge> {
  const row = await db
    .insertInto('loyalty_challenges')
    .values({
      id,
      name: fields.name,
      description: fields.description,
      event_type: fields.eventType,
      event_name: fields.eventName,
      campaign_id: fields.campaignId,
      goal: fields.goal,
      bonus: fields.bonus,
      starts_at: fields.startsAt,
      ends_at: fields.endsAt,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toChallenge(row);
}

/** One challenge by id. */
export async function findChallenge(db: Db, id: string): Promise<Challenge | null> {
  const row = await db.selectFrom('loyalty_challenges').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toChallenge(row) : null;
}

/** Challenges newest first; `status` keeps the active or the archived ones. */
export async function listChallenges(db: Db, filter: { status?: RecordStatus; limit: number; cursor?: string }): Promise<Page<Challenge>> {
  let query = db.selectFrom('loyalty_challenges').selectAll();
  if (filter.status === 'active') query = query.where('archived_at', 'is', null);
  if (filter.status === 'archived') query = query.where('archived_at', 'is not', null);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toChallenge), filter.limit);
}

/** Archives a challenge: it pays no more bonuses (those paid stay); null when there is none. */
export async function archiveChallenge(db: Db, id: string, at: string): Promise<Challenge | null> {
  const row = await db
    .updateTable('loyalty_challenges')
    .set((eb) => ({ archived_at: eb.fn.coalesce('archived_at', eb.val(at)) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toChallenge(row) : null;
}

/** The active challenges of one event type open at `at`, to read in one batch with others; map its rows with toChallenge. */
export const openChallengesQuery = (db: Db, type: LoyaltyEventType, at: string) =>
  db
    .selectFrom('loyalty_challenges')
    .selectAll()
    .where('event_type', '=', type)
    .where('archived_at', 'is', null)
    .where('starts_at', '<=', at)
    .where('ends_at', '>', at);

export interface ChallengeProgress {
  challenge: Challenge;
  /** The member's events counted so far, at most the goal. */
  count: number;
  /** When the member met the goal (and was paid), or null. */
  completedAt: string | null;
}

type ProgressRow = LoyaltyChallengeRow & { progress: number; completed_at: string | null };

/** The statement behind challengeProgress, to run in a batch with other reads (the wallet page); map its rows with toChallengeProgress. */
export function challengeProgressStatement(db: Db, memberId: string, now: string): D1PreparedStatement {
  return db.d1
    .prepare(
      `SELECT c.*,
         (SELECT count(*) FROM loyalty_events x WHERE x.member_id = ?1 AND x.type = c.event_type
            AND (c.event_name IS NULL OR x.name = c.event_name) AND (c.campaign_id IS NULL OR x.campaign_id = c.campaign_id)
            AND x.occurred_at >= c.starts_at AND x.occurred_at < c.ends_at) AS progress,
         (SELECT cc.completed_at FROM loyalty_challenge_completions cc WHERE cc.challenge_id = c.id AND cc.member_id = ?1) AS completed_at
       FROM loyalty_challenges c WHERE c.archived_at IS NULL AND c.starts_at <= ?2 AND c.ends_at > ?2
       ORDER BY c.ends_at, c.id`,
    )
    .bind(memberId, now);
}

export const toChallengeProgress = (row: ProgressRow): ChallengeProgress => ({
  challenge: toChallenge(row),
  count: Math.min(row.progress, row.goal),
  completedAt: row.completed_at,
});

/** The member's progress in every active challenge open at `now` (ISO), ending soonest first; one statement. */
export async function challengeProgress(db: Db, memberId: string, now: string): Promise<ChallengeProgress[]> {
  const { results } = await challengeProgressStatement(db, memberId, now).all<ProgressRow>();
  return results.map(toChallengeProgress);
}
