/**
 * Reads for the loyalty-program report, from the ledger, member, event and redemption tables: a fixed set
 * of grouped statements in one D1 batch, however many members there are.
 *
 * Point flows of a ledger row: `earned` what became the member's (the lot of earn, release and positive
 * adjust rows), `pending` what was booked to wait out the return window, `spent` what rewards (and negative
 * adjustments) took, `expired` what expired, `reversed` what refunds took back (from the balance, the
 * pending points or as debt).
 */
import type { Db } from './client';
import { ACQUIRED_CUSTOMERS_CTE } from './loyalty';
import type { LoyaltyProgramRow } from './loyalty-schema';

export interface PointFlows {
  earned: number;
  pending: number;
  spent: number;
  expired: number;
  reversed: number;
}

const FLOWS = `coalesce(SUM(CASE WHEN kind IN ('earn', 'release', 'adjust') THEN lot ELSE 0 END), 0) AS earned,
  coalesce(SUM(CASE WHEN kind = 'pending' THEN pending ELSE 0 END), 0) AS pending,
  coalesce(SUM(CASE WHEN kind = 'spend' OR (kind = 'adjust' AND points < 0) THEN -points ELSE 0 END), 0) AS spent,
  coalesce(SUM(CASE WHEN kind = 'expire' THEN -points ELSE 0 END), 0) AS expired,
  coalesce(SUM(CASE WHEN kind = 'reverse' THEN -(lot + pending) ELSE 0 END), 0) AS reversed`;

export interface ProgramReportRows {
  program: LoyaltyProgramRow | null;
  members: { total: number; joined: number; active_30d: number; active_90d: number };
  engagement: { review: number; survey: number; referral: number; any: number };
  bySource: Array<PointFlows & { source: string }>;
  byChannel: Array<PointFlows & { channel: string; members: number }>;
  /** Ledger sums per day in the range; `day` '' is everything before it (the opening). */
  days: Array<{ day: string; points: number; pending: number; debt: number }>;
  rewards: Array<{ reward_id: string; name: string; kind: string; redemptions: number; members: number; points: number }>;
  tiers: Array<{ tier: string | null; members: number }>;
}

/**
 * The report's rows for the UTC days [fromDay, toDay]: members as of the end of `toDay` (joined before
 * it; active = an event or a redemption in the 30 / 90 days before it), point flows by source and by
 * the member's acquisition channel, ledger sums per day, redemptions per reward, members per tier (now).
 */
export async function programReportRows(db: Db, fromDay: string, toDay: string, end: string, before30: string, before90: string): Promise<ProgramReportRows> {
  const start = `${fromDay}T00:00:00.000Z`;
  const activeIn = (since: string) =>
    `(SELECT count(*) FROM (SELECT member_id FROM loyalty_events WHERE occurred_at >= ${since} AND occurred_at < ?2
       UNION SELECT member_id FROM loyalty_redemptions WHERE created_at >= ${since} AND created_at < ?2))`;
  const engaged = (types: string) =>
    `(SELECT count(DISTINCT member_id) FROM loyalty_events WHERE type IN (${types}) AND occurred_at >= ?1 AND occurred_at < ?2)`;
  const results = await db.d1.batch<Record<string, unknown>>([
    db.d1.prepare("SELECT * FROM loyalty_program WHERE id = 'program'"),
    db.d1
      .prepare(
        `SELECT (SELECT count(*) FROM loyalty_members WHERE joined_at < ?2) AS total,
                (SELECT count(*) FROM loyalty_members WHERE joined_at >= ?1 AND joined_at < ?2) AS joined,
                ${activeIn('?3')} AS active_30d, ${activeIn('?4')} AS active_90d,
                ${engaged("'review'")} AS review, ${engaged("'survey'")} AS survey, ${engaged("'referral'")} AS referral,
                ${engaged("'review', 'survey', 'referral'")} AS any_engaged`,
      )
      .bind(start, end, before30, before90),
    db.d1.prepare(`SELECT source, ${FLOWS} FROM loyalty_ledger WHERE day BETWEEN ?1 AND ?2 GROUP BY source ORDER BY source`).bind(fromDay, toDay),
    db.d1
      .prepare(
        `WITH ${ACQUIRED_CUSTOMERS_CTE},
         channels AS (
           SELECT m.id AS member_id, coalesce(a.channel, 'direct') AS channel
           FROM loyalty_members m LEFT JOIN acquired a ON a.customer_hash = m.customer_hash WHERE m.joined_at < ?3
         ),
         flows AS (SELECT member_id, ${FLOWS} FROM loyalty_ledger WHERE day BETWEEN ?1 AND ?2 GROUP BY member_id)
         SELECT c.channel, count(*) AS members, coalesce(SUM(f.earned), 0) AS earned, coalesce(SUM(f.pending), 0) AS pending,
                coalesce(SUM(f.spent), 0) AS spent, coalesce(SUM(f.expired), 0) AS expired, coalesce(SUM(f.reversed), 0) AS reversed
         FROM channels c LEFT JOIN flows f ON f.member_id = c.member_id GROUP BY c.channel ORDER BY c.channel`,
      )
      .bind(fromDay, toDay, end),
    db.d1
      .prepare(
        `SELECT CASE WHEN day < ?1 THEN '' ELSE day END AS d, SUM(points) AS points, SUM(pending) AS pending, SUM(debt) AS debt
         FROM loyalty_ledger WHERE day <= ?2 GROUP BY d ORDER BY d`,
      )
      .bind(fromDay, toDay),
    db.d1
      .prepare(
        `SELECT r.id AS reward_id, r.name, r.kind, coalesce(d.redemptions, 0) AS redemptions, coalesce(d.members, 0) AS members, coalesce(d.points, 0) AS points
         FROM loyalty_rewards r LEFT JOIN (
           SELECT reward_id, count(*) AS redemptions, count(DISTINCT member_id) AS members, SUM(cost) AS points
           FROM loyalty_redemptions WHERE day BETWEEN ?1 AND ?2 GROUP BY reward_id
         ) d ON d.reward_id = r.id
         WHERE r.archived_at IS NULL OR d.redemptions > 0
         ORDER BY redemptions DESC, r.name, r.id`,
      )
      .bind(fromDay, toDay),
    db.d1.prepare('SELECT tier, count(*) AS members FROM loyalty_members WHERE joined_at < ?1 GROUP BY tier').bind(end),
  ]);
  const rows = <T>(statement: number) => results[statement].results as T[];
  const [counts] = rows<ProgramReportRows['members'] & Omit<ProgramReportRows['engagement'], 'any'> & { any_engaged: number }>(1);
  return {
    program: rows<LoyaltyProgramRow>(0)[0] ?? null,
    members: { total: counts.total, joined: counts.joined, active_30d: counts.active_30d, active_90d: counts.active_90d },
    engagement: { review: counts.review, survey: counts.survey, referral: counts.referral, any: counts.any_engaged },
    bySource: rows<ProgramReportRows['bySource'][number]>(2),
    byChannel: rows<ProgramReportRows['byChannel'][number]>(3),
    days: rows<{ d: string; points: number; pending: number; debt: number }>(4).map((row) => ({
      day: row.d,
      points: row.points,
      pending: row.pending,
      debt: row.debt,
    })),
    rewards: rows<ProgramReportRows['rewards'][number]>(5),
    tiers: rows<ProgramReportRows['tiers'][number]>(6),
  };
}
