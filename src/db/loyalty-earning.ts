/**
 * The earning step's SQL: an event by its idempotency key, and the one D1 batch that books an occasion
 * (what it reads about the member before is in loyalty-context.ts). The batch
 * is exact under parallel requests because D1 runs batches one after another: the event row is claimed
 * with its idempotency key (INSERT … ON CONFLICT DO NOTHING under a fresh id, so only the batch that stored
 * it finds its id afterwards), each entry is inserted only while its rule's caps hold (counted in SQL),
 * the ledger books the sum of the entries actually inserted, and a challenge pays its bonus only when
 * its completion row was claimed by this very event.
 */
import type { Tier } from '../domain/loyalty-program';
import type { LoyaltyEventStatus, LoyaltyEventType } from '../domain/vocab';
import { runAtomically, type Db } from './client';
import { credit, ensureMember, pend, type Amount, type MemberRef } from './loyalty-ledger';

/** An event as the API answers it. */
export interface BookedEvent {
  id: string;
  points: number;
  status: LoyaltyEventStatus;
  entries: Array<{ ruleId: string; points: number }>;
}

/** The event stored under `key` and its entries: two reads to run in one batch with others; map their results with bookedEventOf. */
export const eventByKeyStatements = (db: Db, key: string): [D1PreparedStatement, D1PreparedStatement] => [
  eventByKeyStatement(db, key),
  entriesByKeyStatement(db, key),
];
export const bookedEventOf = (events: D1Result, entries: D1Result): BookedEvent | null =>
  bookedEvent(events.results as EventRow[], entries.results as EntryRow[]);

type EventRow = { id: string; points: number; status: LoyaltyEventStatus };
type EntryRow = { rule_id: string; points: number };

const eventByKeyStatement = (db: Db, key: string) => db.d1.prepare('SELECT id, points, status FROM loyalty_events WHERE idempotency_key = ?').bind(key);
const entriesByKeyStatement = (db: Db, key: string) =>
  db.d1
    .prepare(
      'SELECT en.rule_id, en.points FROM loyalty_entries en JOIN loyalty_events ev ON ev.id = en.event_id WHERE ev.idempotency_key = ? ORDER BY en.rule_id',
    )
    .bind(key);

const bookedEvent = (events: EventRow[], entries: EntryRow[]): BookedEvent | null =>
  events[0]
    ? { id: events[0].id, points: events[0].points, status: events[0].status, entries: entries.map((e) => ({ ruleId: e.rule_id, points: e.points })) }
    : null;

/** The first and last day ('YYYY-MM-DD') of the month of `day`, for counting by the entries' day index. */
export const monthDays = (day: string): [string, string] => [`${day.slice(0, 7)}-01`, `${day.slice(0, 7)}-31`];

export interface EventFields {
  id: string;
  key: string;
  type: LoyaltyEventType;
  name: string | null;
  value: number | null;
  currency: string | null;
  campaignId: string | null;
  channel: string | null;
  country: string | null;
  region: string | null;
  conversionId: string | null;
  codeEntryId: string | null;
  /** When it happened (ISO): its day counts for the caps. */
  at: string;
}

export interface CappedEntry {
  ruleId: string;
  points: number;
  capDay: number | null;
  capMonth: number | null;
  capTotal: number | null;
}

export interface ChallengeStep {
  id: string;
  eventType: LoyaltyEventType;
  eventName: string | null;
  campaignId: string | null;
  goal: number;
  bonus: number;
  startsAt: string;
  endsAt: string;
  ledgerId: string;
}

export interface EarningWrite {
  event: EventFields;
  customerHash: string;
  /** A new member's id when the occasion may enroll the customer; null: only an existing member earns. */
  newMemberId: string | null;
  entries: CappedEntry[];
  ledgerId: string;
  /** Purchase points wait out the return window; anything else is available at once. */
  movement: { kind: 'pend'; availableAt: string } | { kind: 'credit'; expiresAt: string | null };
  challenges: ChallengeStep[];
  /** The expiry of a challenge bonus. */
  bonusExpiresAt: string | null;
  tiers: readonly Tier[];
  /** The first month the tiers count ('YYYY-MM'). */
  tierWindowStart: string;
  /** When the points are booked (ISO). */
  bookedAt: string;
}

const EVENT_COLUMNS =
  'id, idempotency_key, member_id, type, name, value, currency, campaign_id, channel, country, region, conversion_id, code_entry_id, points, status, occurred_at, day';

function eventInsert(db: Db, event: EventFields, customerHash: string): D1PreparedStatement {
  return db.d1
    .prepare(
      `INSERT INTO loyalty_events (${EVENT_COLUMNS})
       SELECT ?, ?, m.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'no_points', ?, ? FROM loyalty_members m WHERE m.customer_hash = ?
       ON CONFLICT (idempotency_key) DO NOTHING`,
    )
    .bind(
      event.id,
      event.key,
      event.type,
      event.name,
      event.value,
      event.currency,
      event.campaignId,
      event.channel,
      event.country,
      event.region,
      event.conversionId,
      event.codeEntryId,
      event.at,
      event.at.slice(0, 10),
      customerHash,
    );
}

/** An entry of this batch's event, only while the rule has paid the member fewer times than each of its caps. */
function entryInsert(db: Db, eventId: string, entry: CappedEntry, day: string): D1PreparedStatement {
  const [monthStart, monthEnd] = monthDays(day);
  const count = 'SELECT count(*) FROM loyalty_entries x WHERE x.member_id = e.member_id AND x.rule_id = ?2';
  return db.d1
    .prepare(
      `INSERT INTO loyalty_entries (event_id, rule_id, member_id, points, day)
       SELECT e.id, ?2, e.member_id, ?3, e.day FROM loyalty_events e WHERE e.id = ?1
         AND (?4 IS NULL OR (${count} AND x.day = e.day) < ?4)
         AND (?5 IS NULL OR (${count} AND x.day BETWEEN ?7 AND ?8) < ?5)
         AND (?6 IS NULL OR (${count}) < ?6)`,
    )
    .bind(eventId, entry.ruleId, entry.points, entry.capDay, entry.capMonth, entry.capTotal, monthStart, monthEnd);
}

/** The points this event's entries paid, evaluated inside the batch after they were inserted. */
const entriesSum = (eventId: string): Exclude<Amount, number> => ({
  sql: '(SELECT coalesce(sum(points), 0) FROM loyalty_entries WHERE event_id = ?)',
  params: [eventId],
});

/** A completion of the challenge claimed by this event, when it brings the member's count in the period to the goal. */
function completionInsert(db: Db, eventId: string, challenge: ChallengeStep, at: string): D1PreparedStatement {
  return db.d1
    .prepare(
      `INSERT INTO loyalty_challenge_completions (challenge_id, member_id, event_id, completed_at)
       SELECT ?1, e.member_id, e.id, ?2 FROM loyalty_events e WHERE e.id = ?3
         AND (SELECT count(*) FROM loyalty_events x WHERE x.member_id = e.member_id AND x.type = ?4
                AND (?5 IS NULL OR x.name = ?5) AND (?6 IS NULL OR x.campaign_id = ?6)
                AND x.occurred_at >= ?7 AND x.occurred_at < ?8) >= ?9
       ON CONFLICT (challenge_id, member_id) DO NOTHING`,
    )
    .bind(challenge.id, at, eventId, challenge.eventType, challenge.eventName, challenge.campaignId, challenge.startsAt, challenge.endsAt, challenge.goal);
}

/** Sets the member's tier from their points of the tier window, as tierFor does (the highest threshold reached). */
export function tierUpdate(db: Db, member: MemberRef, tiers: readonly Tier[], windowStart: string): D1PreparedStatement | null {
  if (tiers.length === 0) return null;
  const descending = [...tiers].sort((a, b) => b.minPoints12m - a.minPoints12m);
  const cases = descending.map(() => 'WHEN p.v >= ? THEN ?').join(' ');
  const where = 'memberId' in member ? 'id = ?' : 'customer_hash = ?';
  const key = 'memberId' in member ? member.memberId : member.customerHash;
  return db.d1
    .prepare(
      `UPDATE loyalty_members SET tier = CASE ${cases} ELSE NULL END
       FROM (SELECT coalesce(sum(earned), 0) AS v FROM loyalty_member_months WHERE member_id = (SELECT id FROM loyalty_members WHERE ${where}) AND month >= ?) AS p
       WHERE loyalty_members.${where}`,
    )
    .bind(...descending.flatMap((tier) => [tier.minPoints12m, tier.name]), key, windowStart, key);
}

/** Books an occasion in one batch; resolves to the event stored under its key (this one, or the first). */
export async function bookEarning(db: Db, write: EarningWrite): Promise<BookedEvent> {
  const { event } = write;
  const member: MemberRef = { customerHash: write.customerHash };
  const context = { source: event.type, at: write.bookedAt, eventId: event.id, conversionId: event.conversionId };
  const amount = entriesSum(event.id);
  const movement =
    write.movement.kind === 'pend'
      ? pend(db, member, { ...context, id: write.ledgerId, amount, availableAt: write.movement.availableAt })
      : credit(db, member, { ...context, id: write.ledgerId, kind: 'earn', amount, expiresAt: write.movement.expiresAt });
  const status = write.movement.kind === 'pend' ? 'pending' : 'available';
  const challengeSteps = write.challenges.flatMap((challenge) => [
    completionInsert(db, event.id, challenge, write.bookedAt),
    ...credit(db, member, {
      id: challenge.ledgerId,
      kind: 'earn',
      source: 'challenge',
      at: write.bookedAt,
      eventId: event.id,
      challengeId: challenge.id,
      expiresAt: write.bonusExpiresAt,
      amount: {
        sql: '(SELECT ? FROM loyalty_challenge_completions WHERE challenge_id = ? AND event_id = ?)',
        params: [challenge.bonus, challenge.id, event.id],
      },
    }),
  ]);
  const tier = tierUpdate(db, member, write.tiers, write.tierWindowStart);
  const statements = [
    ...(write.newMemberId ? [ensureMember(db, write.customerHash, write.newMemberId, write.bookedAt)] : []),
    eventInsert(db, event, write.customerHash),
    ...write.entries.map((entry) => entryInsert(db, event.id, entry, event.at.slice(0, 10))),
    ...movement,
    db.d1
      .prepare(
        `UPDATE loyalty_events SET points = s.p, status = CASE WHEN s.p > 0 THEN ? ELSE 'no_points' END
         FROM (SELECT ${amount.sql} AS p) AS s WHERE loyalty_events.id = ?`,
      )
      .bind(status, ...amount.params, event.id),
    ...challengeSteps,
    ...(tier ? [tier] : []),
    eventByKeyStatement(db, event.key),
    entriesByKeyStatement(db, event.key),
  ];
  const results = await runAtomically(db, statements);
  const stored = bookedEvent(results[results.length - 2].results as EventRow[], results[results.length - 1].results as EntryRow[]);
  if (!stored) throw new Error(`loyalty event ${event.key} was not stored (no member for the customer)`);
  return stored;
}
