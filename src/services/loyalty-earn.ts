/**
 * Earning points: the one entry point every occasion goes through — an event posted by the shop, a sale
 * with a customer_ref, an accepted action code entry, a referred sale (both friends). It reads the program,
 * the member, the active rules and open challenges of the event's type (and, only when a rule asks, the
 * member's segment, the touch's place and the rules' paid counts), lets the pure rules decide the entries,
 * and books them in one batch (db/loyalty-earning.ts) that holds caps, idempotency and challenge bonuses
 * under parallel requests.
 */
import type { Db } from '../db/client';
import { findAcquisitionChannel, findPaidCounts, findTouchPlace } from '../db/loyalty-context';
import { bookEarning, type BookedEvent } from '../db/loyalty-earning';
import { readForEarning } from '../db/loyalty-earning-reads';
import { DAY_MS } from '../domain/attribution';
import { tierFor, tierWindowStart } from '../domain/loyalty-program';
import { currenciesNeeded, hasCaps, matchRules, needsSegment, type EarningEvent, type EarningRule, type MemberContext } from '../domain/loyalty-rules';
import type { LoyaltyEventType } from '../domain/vocab';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { loadRateBook } from './exchange-rates';
import { abcSegmentOfCustomer } from './loyalty';
import { emitEarningEvents } from './loyalty-webhooks';

/** Something that may earn points, as every caller describes it. */
export interface Occasion {
  type: LoyaltyEventType;
  customerHash: string;
  /** One booking per key: the shop's idempotency_key, or 'conversion:<id>', 'code_entry:<id>', 'referral:<id>' … */
  idempotencyKey: string;
  name?: string | null;
  value?: number | null;
  currency?: string | null;
  campaignId?: string | null;
  /** The channel of the occasion's touch; none for a posted event. */
  channel?: string | null;
  country?: string | null;
  region?: string | null;
  /** The touch whose country and region count for place rules, read only when a rule has a place. */
  touchId?: string | null;
  conversionId?: string | null;
  codeEntryId?: string | null;
  /** When it happened (ms). */
  occurredAt: number;
}

export interface EarnResult extends Omit<BookedEvent, 'id'> {
  /** The event's id; null when the program enrolls by sign-up and the customer has not signed up (nothing stored). */
  id: string | null;
  /** False when the key was booked before (this is the first result; nothing was booked now). */
  created: boolean;
}

/** How far back purchases count for a customer's ABC segment. */
const SEGMENT_DAYS = 365;

const NOT_ENROLLED: EarnResult = { id: null, points: 0, status: 'no_points', entries: [], created: false };

const hasPlace = (rules: readonly EarningRule[]) => rules.some((rule) => rule.place !== null);

async function segmentOf(db: Db, customerHash: string, rules: readonly EarningRule[], nowMs: number) {
  if (!needsSegment(rules)) return { abc: null, acquisitionChannel: null };
  const [abc, acquisitionChannel] = await Promise.all([
    abcSegmentOfCustomer(db, customerHash, toIso(nowMs - SEGMENT_DAYS * DAY_MS).slice(0, 10), toIso(nowMs).slice(0, 10)),
    findAcquisitionChannel(db, customerHash),
  ]);
  return { abc, acquisitionChannel };
}

/**
 * Books an occasion: the points its rules pay (and any challenge bonus it completes), once per idempotency
 * key. Resolves to null when no program is set up (nothing earns yet).
 */
export async function earnPoints(db: Db, occasion: Occasion, now: number): Promise<EarnResult | null> {
  const at = toIso(occasion.occurredAt);
  const { program, existing, member, rules, challenges } = await readForEarning(db, occasion, at, now);
  if (!program) return null;
  if (existing) return { ...existing, created: false };
  const enrolls = program.enrollment === 'automatic' || occasion.type === 'signup';
  if (!member && !enrolls) return NOT_ENROLLED;

  const event: EarningEvent = {
    type: occasion.type,
    name: occasion.name ?? null,
    value: occasion.value ?? null,
    currency: occasion.currency ?? null,
    campaignId: occasion.campaignId ?? null,
    channel: occasion.channel ?? null,
    country: occasion.country ?? null,
    region: occasion.region ?? null,
    at,
  };
  const day = at.slice(0, 10);
  const needed = currenciesNeeded(rules, event, program.currency);
  const cappedIds = rules.filter((rule) => rule.capDay !== null || rule.capMonth !== null || rule.capTotal !== null).map((rule) => rule.id);
  const [segment, paid, rates, place] = await Promise.all([
    segmentOf(db, occasion.customerHash, rules, now),
    member && hasCaps(rules) ? findPaidCounts(db, member.id, cappedIds, day) : new Map(),
    needed.length > 0 ? loadRateBook(db, day, day) : null,
    occasion.touchId && occasion.country === undefined && hasPlace(rules) ? findTouchPlace(db, occasion.touchId) : null,
  ]);
  if (place) Object.assign(event, place);
  const tier = tierFor(program.tiers, member?.points12m ?? 0);
  const context: MemberContext = { tier, ...segment, paid };
  const entries = matchRules(rules, event, context, { currency: program.currency, rates });
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));

  const pends = occasion.type === 'purchase' && program.pendingDays > 0;
  const expiresAt = program.expiryDays ? toIso(now + program.expiryDays * DAY_MS) : null;
  const eventId = newId('loyaltyEvent', now);
  const booked = await bookEarning(db, {
    event: {
      id: eventId,
      key: occasion.idempotencyKey,
      ...event,
      conversionId: occasion.conversionId ?? null,
      codeEntryId: occasion.codeEntryId ?? null,
    },
    customerHash: occasion.customerHash,
    newMemberId: enrolls ? newId('member', now) : null,
    entries: entries.map((entry) => {
      const rule = ruleById.get(entry.ruleId)!;
      return { ...entry, capDay: rule.capDay, capMonth: rule.capMonth, capTotal: rule.capTotal };
    }),
    ledgerId: newId('ledger', now),
    movement: pends ? { kind: 'pend', availableAt: toIso(now + program.pendingDays * DAY_MS) } : { kind: 'credit', expiresAt },
    challenges: challenges.map((challenge) => ({ ...challenge, ledgerId: newId('ledger', now) })),
    bonusExpiresAt: expiresAt,
    tiers: program.tiers,
    tierWindowStart: tierWindowStart(now),
    bookedAt: toIso(now),
  });
  const result = { ...booked, created: booked.id === eventId };
  await emitEarningEvents(db, { occasion, result, memberBefore: member, hasTiers: program.tiers.length > 0 }, now);
  return result;
}
