/** Creating challenges: the campaign must be active, then the store. */
import type { Db } from '../db/client';
import { insertChallenge, type Challenge } from '../db/loyalty-challenges';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import type { ChallengeInputJson } from '../schemas/loyalty-challenges';
import { findActiveCampaign } from './campaigns';

export async function createChallenge(db: Db, input: ChallengeInputJson, now: number): Promise<Challenge> {
  if (input.campaign_id) await findActiveCampaign(db, input.campaign_id);
  return insertChallenge(
    db,
    newId('challenge', now),
    {
      name: input.name,
      description: input.description ?? null,
      eventType: input.event_type,
      eventName: input.event_name ?? null,
      campaignId: input.campaign_id ?? null,
      goal: input.goal,
      bonus: input.bonus,
      startsAt: input.starts_at,
      endsAt: input.ends_at,
    },
    toIso(now),
  );
}
