/**
 * What booking an occasion reads first — the program, an event already stored under its key, the member,
 * the active rules and the open challenges of its type — as one D1 batch: one round trip instead of five,
 * and one consistent view of them.
 */
import type { Challenge } from './loyalty-challenges';
import { openChallengesQuery, toChallenge } from './loyalty-challenges';
import { bookedEventOf, eventByKeyStatements, type BookedEvent } from './loyalty-earning';
import { memberFiguresQuery, toMemberFigures, type MemberFigures, type MemberFiguresRow } from './loyalty-members';
import { programQuery, toProgram } from './loyalty-program';
import { activeRulesQuery, toRule, type StoredRule } from './loyalty-rules';
import type { LoyaltyChallengeRow, LoyaltyProgramRow, LoyaltyRuleRow } from './loyalty-schema';
import type { Program } from '../domain/loyalty-program';
import type { LoyaltyEventType } from '../domain/vocab';
import { runAtomically, type Db } from './client';

export interface EarningReads {
  program: Program | null;
  existing: BookedEvent | null;
  member: MemberFigures | undefined;
  rules: StoredRule[];
  challenges: Challenge[];
}

export async function readForEarning(
  db: Db,
  occasion: { idempotencyKey: string; customerHash: string; type: LoyaltyEventType },
  at: string,
  nowMs: number,
): Promise<EarningReads> {
  const [program, events, entries, member, rules, challenges] = await runAtomically(db, [
    programQuery(db),
    ...eventByKeyStatements(db, occasion.idempotencyKey),
    memberFiguresQuery(db, { customerHash: occasion.customerHash }, nowMs),
    activeRulesQuery(db, occasion.type),
    openChallengesQuery(db, occasion.type, at),
  ]);
  const programRow = program.results[0] as LoyaltyProgramRow | undefined;
  const memberRow = member.results[0] as MemberFiguresRow | undefined;
  return {
    program: programRow ? toProgram(programRow) : null,
    existing: bookedEventOf(events, entries),
    member: memberRow ? toMemberFigures(memberRow) : undefined,
    rules: (rules.results as LoyaltyRuleRow[]).map(toRule),
    challenges: (challenges.results as LoyaltyChallengeRow[]).map(toChallenge),
  };
}
