/** Setting up the bonus program: the checks beyond the schema, then the store. */
import type { Db } from '../db/client';
import { findProgram, saveProgram } from '../db/loyalty-program';
import type { Program } from '../domain/loyalty-program';
import { toIso } from '../lib/time';
import { programOf, type ProgramInputJson } from '../schemas/loyalty-program';
import { findActiveCampaign } from './campaigns';

export { findProgram };

/** Creates or replaces the program; its referral campaign must be an active campaign. */
export async function setUpProgram(db: Db, input: ProgramInputJson, now: number): Promise<Program> {
  const program = programOf(input);
  if (program.referralCampaignId) await findActiveCampaign(db, program.referralCampaignId, 'referral_campaign_id');
  await saveProgram(db, program, toIso(now));
  return program;
}
