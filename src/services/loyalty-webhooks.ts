/**
 * The bonus program's outgoing webhook events of one booked occasion: loyalty.points_earned when it paid
 * points, loyalty.tier_changed when those points moved the member to another tier. The member's tier is read
 * again only when tiers exist, points were paid and some endpoint subscribes to tier changes.
 */
import type { Db } from '../db/client';
import { findMember, type MemberFigures } from '../db/loyalty-members';
import { toIso } from '../lib/time';
import type { LoyaltyEventStatus, LoyaltyEventType } from '../domain/vocab';
import { emitEvent, isSubscribed } from './webhook-events';

export interface BookedOccasion {
  /** The occasion (services/loyalty-earn.ts), as far as its events tell it. */
  occasion: {
    type: LoyaltyEventType;
    customerHash: string;
    name?: string | null;
    conversionId?: string | null;
    codeEntryId?: string | null;
    occurredAt: number;
  };
  result: { id: string | null; created: boolean; points: number; status: LoyaltyEventStatus; entries: ReadonlyArray<{ ruleId: string; points: number }> };
  /** The member before this booking (none when it enrolled them). */
  memberBefore: MemberFigures | undefined;
  hasTiers: boolean;
}

/** Emits the events of a newly booked occasion (nothing for a repeated key or one that paid no points). */
export async function emitEarningEvents(db: Db, booked: BookedOccasion, now: number): Promise<void> {
  const { occasion, result } = booked;
  if (!result.created || result.points <= 0) return;
  await emitEvent(
    db,
    'loyalty.points_earned',
    {
      event_id: result.id,
      customer_hash: occasion.customerHash,
      type: occasion.type,
      name: occasion.name ?? null,
      points: result.points,
      status: result.status,
      entries: result.entries.map((entry) => ({ rule_id: entry.ruleId, points: entry.points })),
      conversion_id: occasion.conversionId ?? null,
      code_entry_id: occasion.codeEntryId ?? null,
      occurred_at: toIso(occasion.occurredAt),
    },
    now,
  );
  if (!booked.hasTiers || !(await isSubscribed(db, 'loyalty.tier_changed'))) return;
  // The booking is stored: a failed read here must not fail the customer's request (as a failed outbox write does not).
  const after = await findMember(db, { customerHash: occasion.customerHash }, now).catch((error) => {
    console.error('webhooks: reading the member for loyalty.tier_changed failed', error);
    return undefined;
  });
  const before = booked.memberBefore?.tier ?? null;
  if (!after || after.tier === before) return;
  await emitEvent(
    db,
    'loyalty.tier_changed',
    { member_id: after.id, customer_hash: occasion.customerHash, from: before, to: after.tier, points_12m: after.points12m, event_id: result.id },
    now,
  );
}
