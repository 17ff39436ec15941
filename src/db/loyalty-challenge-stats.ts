/** How many members met each challenge: one grouped statement for the whole list. */
import type { Db } from './client';

export async function completionCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('loyalty_challenge_completions')
    .select(['challenge_id', (eb) => eb.fn.countAll<number>().as('members')])
    .groupBy('challenge_id')
    .execute();
  return new Map(rows.map((row) => [row.challenge_id, Number(row.members)]));
}
