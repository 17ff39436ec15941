/** Creating and editing earning rules: the checks across fields, then the store. */
import type { Db } from '../db/client';
import { findRule, insertRule, updateRule, type RuleFields, type StoredRule } from '../db/loyalty-rules';
import { ruleProblem } from '../domain/loyalty-rules';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import type { RuleInputJson, RulePatchJson } from '../schemas/loyalty-rules';
import { findActiveCampaign } from './campaigns';

const emptyToNull = <T extends object>(value: T | null | undefined): T | null => (value && Object.keys(value).length > 0 ? value : null);

const fieldsOf = (input: RuleInputJson): RuleFields => ({
  name: input.name,
  kind: input.kind,
  eventName: input.event_name ?? null,
  points: input.points,
  currency: input.currency ?? null,
  minOrder: input.min_order ?? null,
  campaignId: input.campaign_id ?? null,
  channel: input.channel ?? null,
  startsAt: input.starts_at ?? null,
  endsAt: input.ends_at ?? null,
  segment: emptyToNull(input.segment),
  place: emptyToNull(input.place),
  capDay: input.cap_day ?? null,
  capMonth: input.cap_month ?? null,
  capTotal: input.cap_total ?? null,
});

async function checked(db: Db, fields: RuleFields, campaignChanged: boolean): Promise<RuleFields> {
  const problem = ruleProblem(fields);
  if (problem) throw new ApiError('validation_error', problem);
  if (fields.campaignId && campaignChanged) await findActiveCampaign(db, fields.campaignId);
  return fields;
}

/** Creates a rule. */
export async function createRule(db: Db, input: RuleInputJson, now: number): Promise<StoredRule> {
  const fields = await checked(db, fieldsOf(input), true);
  return insertRule(db, newId('loyaltyRule', now), fields, toIso(now));
}

const inputOf = (rule: StoredRule): RuleInputJson => ({
  name: rule.name,
  kind: rule.kind,
  event_name: rule.eventName,
  points: rule.points,
  currency: rule.currency,
  min_order: rule.minOrder,
  campaign_id: rule.campaignId,
  channel: rule.channel,
  starts_at: rule.startsAt,
  ends_at: rule.endsAt,
  segment: rule.segment,
  place: rule.place,
  cap_day: rule.capDay,
  cap_month: rule.capMonth,
  cap_total: rule.capTotal,
});

/** Changes a rule's fields (absent: unchanged, null: cleared); the whole rule is checked again. */
export async function editRule(db: Db, id: string, patch: RulePatchJson, now: number): Promise<StoredRule> {
  const current = await findRule(db, id);
  if (!current) throw notFound('Rule');
  const merged = { ...inputOf(current), ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) } as RuleInputJson;
  const fields = await checked(db, fieldsOf(merged), merged.campaign_id !== current.campaignId);
  const updated = await updateRule(db, id, fields, toIso(now));
  if (!updated) throw notFound('Rule');
  return updated;
}
