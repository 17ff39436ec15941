/**
 * Earning rules, pure: which of the program's rules pay for an event, and how many points. A rule pays
 * when the event is of its kind (and, for `custom`, its name), inside its window, of its campaign and
 * channel, from its place, by a member of its segment, and the member has been paid by it fewer times
 * than its caps today, this month and ever. A purchase pays `points` per whole unit of the rule's
 * currency (the program's when the rule names none) from `min_order` up; every payment is multiplied by
 * the member's tier multiplier and rounded down. The caps are checked again in SQL when the entries are
 * written (db/loyalty-earning.ts), so parallel events cannot pay past them.
 */
import { rateOn, type RateBook } from './currency';
import type { AbcSegment } from './loyalty';
import { multiplierOf, type Tier } from './loyalty-program';
import type { LoyaltyEventType } from './vocab';

export interface RuleSegment {
  abc?: AbcSegment[];
  tiers?: string[];
  acquisition_channels?: string[];
}

export interface RulePlace {
  /** ISO 3166-1 alpha-2, capitals. */
  countries?: string[];
  /** As the edge reports a touch's region (e.g. "Bavaria"), compared case-insensitively. */
  regions?: string[];
}

export interface EarningRule {
  id: string;
  kind: LoyaltyEventType;
  eventName: string | null;
  points: number;
  currency: string | null;
  minOrder: number | null;
  campaignId: string | null;
  channel: string | null;
  startsAt: string | null;
  endsAt: string | null;
  segment: RuleSegment | null;
  place: RulePlace | null;
  capDay: number | null;
  capMonth: number | null;
  capTotal: number | null;
}

export interface EarningEvent {
  type: LoyaltyEventType;
  name: string | null;
  value: number | null;
  currency: string | null;
  campaignId: string | null;
  /** The channel of the event's touch; null when it had none (a posted event). */
  channel: string | null;
  country: string | null;
  region: string | null;
  /** ISO time the event happened: windows and caps count by it. */
  at: string;
}

/** Times a rule has paid the member: on the event's UTC day, in its month, ever. */
export interface PaidCounts {
  day: number;
  month: number;
  total: number;
}

export interface MemberContext {
  tier: Tier | null;
  /** The customer's ABC segment by revenue (null: no sales, or not computed because no rule asks). */
  abc: AbcSegment | null;
  acquisitionChannel: string | null;
  paid: ReadonlyMap<string, PaidCounts>;
}

export interface ProgramContext {
  currency: string;
  /** Rates for converting a purchase into a rule's currency; null when none were needed. */
  rates: RateBook | null;
}

export interface Entry {
  ruleId: string;
  points: number;
}

/** Whether any rule asks for the segment of the member (ABC or acquisition channel): only then is it computed. */
export const needsSegment = (rules: readonly EarningRule[]): boolean =>
  rules.some((rule) => !!rule.segment && ((rule.segment.abc?.length ?? 0) > 0 || (rule.segment.acquisition_channels?.length ?? 0) > 0));

/** Whether any rule has a cap: only then are the member's paid counts read. */
export const hasCaps = (rules: readonly EarningRule[]): boolean =>
  rules.some((rule) => rule.capDay !== null || rule.capMonth !== null || rule.capTotal !== null);

/** `value` of `from` in `to` on `day`, through the reporting currency's rates; null without a rate. */
export function convertValue(value: number, from: string, to: string, day: string, rates: RateBook | null): number | null {
  if (from === to) return value;
  if (!rates) return null;
  const fromRate = rateOn(rates, from, day);
  const toRate = rateOn(rates, to, day);
  return fromRate === null || toRate === null || toRate === 0 ? null : (value * fromRate) / toRate;
}

const within = (list: readonly string[] | undefined, value: string | null): boolean => !list || list.length === 0 || (value !== null && list.includes(value));

const withinIgnoringCase = (list: readonly string[] | undefined, value: string | null): boolean =>
  !list || list.length === 0 || (value !== null && list.some((item) => item.toLowerCase() === value.toLowerCase()));

function inSegment(segment: RuleSegment | null, member: MemberContext): boolean {
  if (!segment) return true;
  return within(segment.abc, member.abc) && within(segment.tiers, member.tier?.name ?? null) && within(segment.acquisition_channels, member.acquisitionChannel);
}

const inPlace = (place: RulePlace | null, event: EarningEvent): boolean =>
  !place || (within(place.countries, event.country) && withinIgnoringCase(place.regions, event.region));

const underCaps = (rule: EarningRule, paid: PaidCounts | undefined): boolean =>
  (rule.capDay === null || (paid?.day ?? 0) < rule.capDay) &&
  (rule.capMonth === null || (paid?.month ?? 0) < rule.capMonth) &&
  (rule.capTotal === null || (paid?.total ?? 0) < rule.capTotal);

/** Whether `rule` applies to the event (everything but the amount). */
export function ruleMatches(rule: EarningRule, event: EarningEvent, member: MemberContext): boolean {
  return (
    rule.kind === event.type &&
    (rule.kind !== 'custom' || rule.eventName === event.name) &&
    (rule.startsAt === null || event.at >= rule.startsAt) &&
    (rule.endsAt === null || event.at < rule.endsAt) &&
    (rule.campaignId === null || rule.campaignId === event.campaignId) &&
    (rule.channel === null || rule.channel === event.channel) &&
    inPlace(rule.place, event) &&
    inSegment(rule.segment, member) &&
    underCaps(rule, member.paid.get(rule.id))
  );
}

/** What `rule` pays for the event before the tier multiplier: a purchase per whole unit of its currency from min_order up. */
export function basePoints(rule: EarningRule, event: EarningEvent, program: ProgramContext): number {
  if (rule.kind !== 'purchase') return rule.points;
  if (event.value === null || event.currency === null) return 0;
  const currency = rule.currency ?? program.currency;
  const value = convertValue(event.value, event.currency, currency, event.at.slice(0, 10), program.rates);
  if (value === null || value <= 0) return 0;
  if (rule.minOrder !== null && value < rule.minOrder) return 0;
  // A hair under a whole unit after a conversion (19.999999…) still counts as 20.
  return Math.floor(value + 1e-9) * rule.points;
}

/** The entries an event earns: one per paying rule, multiplied by the member's tier and rounded down; none for zero. */
export function matchRules(rules: readonly EarningRule[], event: EarningEvent, member: MemberContext, program: ProgramContext): Entry[] {
  const multiplier = multiplierOf(member.tier);
  const entries: Entry[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, event, member)) continue;
    const points = Math.floor(basePoints(rule, event, program) * multiplier + 1e-9);
    if (points > 0) entries.push({ ruleId: rule.id, points });
  }
  return entries;
}

/** The currencies a purchase must be converted into (the rules' own, or the program's), other than the event's. */
export function currenciesNeeded(rules: readonly EarningRule[], event: EarningEvent, programCurrency: string): string[] {
  if (event.type !== 'purchase' || !event.currency) return [];
  const needed = new Set(rules.filter((rule) => rule.kind === 'purchase').map((rule) => rule.currency ?? programCurrency));
  needed.delete(event.currency);
  return [...needed];
}

/**
 * What is wrong with a rule's fields taken together, as a validation message, or null: an event name only
 * (and always) for custom rules, currency and minimum order only for purchases, a window that ends after it starts.
 */
export function ruleProblem(rule: Pick<EarningRule, 'kind' | 'eventName' | 'currency' | 'minOrder' | 'startsAt' | 'endsAt'>): string | null {
  if (rule.kind === 'custom' && !rule.eventName) return 'event_name: required for a custom rule';
  if (rule.kind !== 'custom' && rule.eventName) return `event_name: only a custom rule has one (this one is ${rule.kind})`;
  if (rule.kind !== 'purchase' && rule.currency) return 'currency: only a purchase rule has one';
  if (rule.kind !== 'purchase' && rule.minOrder !== null) return 'min_order: only a purchase rule has one';
  if (rule.startsAt && rule.endsAt && rule.endsAt <= rule.startsAt) return 'ends_at: must be after starts_at';
  return null;
}
