/** The one bonus program row (schema/0016 `loyalty_program`). */
import { parseTiers, tiersJson, type Program } from '../domain/loyalty-program';
import type { Db } from './client';
import type { LoyaltyProgramRow } from './loyalty-schema';

export function toProgram(row: LoyaltyProgramRow): Program {
  return {
    name: row.name,
    pointsName: row.points_name,
    pointValue: row.point_value,
    currency: row.currency,
    pendingDays: row.pending_days,
    expiryDays: row.expiry_days,
    tiers: parseTiers(row.tiers),
    enrollment: row.enrollment,
    referralCampaignId: row.referral_campaign_id,
  };
}

/** The program, or null before one is set up. */
export async function findProgram(db: Db): Promise<Program | null> {
  const row = await programQuery(db).executeTakeFirst();
  return row ? toProgram(row) : null;
}

/** The statement behind findProgram, to read in one batch with others; map its row with toProgram. */
export const programQuery = (db: Db) => db.selectFrom('loyalty_program').selectAll().where('id', '=', 'program');

/** Creates or replaces the program's settings. */
export async function saveProgram(db: Db, program: Program, at: string): Promise<void> {
  const values = {
    name: program.name,
    points_name: program.pointsName,
    point_value: program.pointValue,
    currency: program.currency,
    pending_days: program.pendingDays,
    expiry_days: program.expiryDays,
    tiers: tiersJson(program.tiers),
    enrollment: program.enrollment,
    referral_campaign_id: program.referralCampaignId,
    updated_at: at,
  };
  await db
    .insertInto('loyalty_program')
    .values({ id: 'program', ...values, created_at: at })
    .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
    .execute();
}
