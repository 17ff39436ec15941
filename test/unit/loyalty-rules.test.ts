/** The earning rules, pure: every kind, windows, campaign and channel, place, segment, caps, purchase arithmetic and tiers. */
import { describe, expect, it } from 'vitest';
import { rateBook } from '../../src/domain/currency';
import {
  convertValue,
  currenciesNeeded,
  hasCaps,
  matchRules,
  needsSegment,
  ruleProblem,
  type EarningEvent,
  type EarningRule,
  type MemberContext,
  type ProgramContext,
} from '../../src/domain/loyalty-rules';
import { LOYALTY_EVENT_TYPES } from '../../src/domain/vocab';

const rule = (fields: Partial<EarningRule> = {}): EarningRule => ({
  id: 'lrl_1',
  kind: 'review',
  eventName: null,
  points: 50,
  currency: null,
  minOrder: null,
  campaignId: null,
  channel: null,
  startsAt: null,
  endsAt: null,
  segment: null,
  place: null,
  capDay: null,
  capMonth: null,
  capTotal: null,
  ...fields,
});

const event = (fields: Partial<EarningEvent> = {}): EarningEvent => ({
  type: 'review',
  name: null,
  value: null,
  currency: null,
  campaignId: null,
  channel: null,
  country: null,
  region: null,
  at: '2026-12-02T10:00:00.000Z',
  ...fields,
});

const member = (fields: Partial<MemberContext> = {}): MemberContext => ({ tier: null, abc: null, acquisitionChannel: null, paid: new Map(), ...fields });
const EUR: ProgramContext = { currency: 'EUR', rates: null };
const pays = (rules: EarningRule[], e: EarningEvent, m: MemberContext = member(), program = EUR) => matchRules(rules, e, m, program);

describe('earning rules: kinds', () => {
  it.each(LOYALTY_EVENT_TYPES.filter((kind) => kind !== 'purchase' && kind !== 'custom'))('a %s rule pays its points for an event of its kind only', (kind) => {
    const rules = [rule({ id: 'lrl_a', kind, points: 30 })];
    expect(pays(rules, event({ type: kind }))).toEqual([{ ruleId: 'lrl_a', points: 30 }]);
    const other = LOYALTY_EVENT_TYPES.find((type) => type !== kind)!;
    expect(pays(rules, event({ type: other, name: 'x' }))).toEqual([]);
  });

  it('a custom rule pays only for events of its name', () => {
    const rules = [rule({ kind: 'custom', eventName: 'app_install', points: 40 })];
    expect(pays(rules, event({ type: 'custom', name: 'app_install' }))).toEqual([{ ruleId: 'lrl_1', points: 40 }]);
    expect(pays(rules, event({ type: 'custom', name: 'newsletter' }))).toEqual([]);
  });

  it('a purchase pays per whole unit of the program currency from the minimum order up', () => {
    const rules = [rule({ kind: 'purchase', points: 2, minOrder: 20 })];
    expect(pays(rules, event({ type: 'purchase', value: 49.99, currency: 'EUR' }))).toEqual([{ ruleId: 'lrl_1', points: 98 }]);
    expect(pays(rules, event({ type: 'purchase', value: 20, currency: 'EUR' }))).toEqual([{ ruleId: 'lrl_1', points: 40 }]);
    expect(pays(rules, event({ type: 'purchase', value: 19.99, currency: 'EUR' }))).toEqual([]);
    expect(pays(rules, event({ type: 'purchase', value: null, currency: null }))).toEqual([]);
    expect(pays([rule({ kind: 'purchase', points: 1 })], event({ type: 'purchase', value: 0.99, currency: 'EUR' }))).toEqual([]);
  });

  it("a purchase in another currency is converted into the rule's currency at the day's rates; without a rate it pays nothing", () => {
    // Reporting currency EUR: 1 USD = 0.9 EUR, 1 CHF = 1.05 EUR.
    const rates = rateBook('EUR', [
      { currency: 'USD', day: '2026-12-01', rate: 0.9 },
      { currency: 'CHF', day: '2026-12-01', rate: 1.05 },
    ]);
    const program = { currency: 'EUR', rates };
    const usd = event({ type: 'purchase', value: 100, currency: 'USD' });
    expect(pays([rule({ kind: 'purchase', points: 1 })], usd, member(), program)).toEqual([{ ruleId: 'lrl_1', points: 90 }]);
    // 100 USD = 90 EUR = 85.71… CHF: 85 whole francs.
    expect(pays([rule({ kind: 'purchase', points: 1, currency: 'CHF' })], usd, member(), program)).toEqual([{ ruleId: 'lrl_1', points: 85 }]);
    expect(pays([rule({ kind: 'purchase', points: 1 })], event({ type: 'purchase', value: 100, currency: 'GBP' }), member(), program)).toEqual([]);
    expect(convertValue(100, 'USD', 'USD', '2026-12-02', null)).toBe(100);
    expect(currenciesNeeded([rule({ kind: 'purchase', currency: 'CHF' }), rule({ kind: 'purchase' })], usd, 'EUR').sort()).toEqual(['CHF', 'EUR']);
    expect(currenciesNeeded([rule({ kind: 'purchase' })], event({ type: 'purchase', value: 5, currency: 'EUR' }), 'EUR')).toEqual([]);
  });

  it('every matching rule pays its own entry', () => {
    const rules = [rule({ id: 'lrl_a', points: 10 }), rule({ id: 'lrl_b', points: 25 }), rule({ id: 'lrl_c', kind: 'survey' })];
    expect(pays(rules, event())).toEqual([
      { ruleId: 'lrl_a', points: 10 },
      { ruleId: 'lrl_b', points: 25 },
    ]);
  });
});

describe('earning rules: conditions', () => {
  it('pays inside its window only: from starts_at, up to (not at) ends_at', () => {
    const rules = [rule({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2027-01-01T00:00:00.000Z' })];
    expect(pays(rules, event({ at: '2026-11-30T23:59:59.999Z' }))).toEqual([]);
    expect(pays(rules, event({ at: '2026-12-01T00:00:00.000Z' }))).toHaveLength(1);
    expect(pays(rules, event({ at: '2026-12-31T23:59:59.999Z' }))).toHaveLength(1);
    expect(pays(rules, event({ at: '2027-01-01T00:00:00.000Z' }))).toEqual([]);
  });

  it('pays only events of its campaign and its channel', () => {
    const rules = [rule({ kind: 'code_entry', campaignId: 'cmp_tour', channel: 'offline' })];
    expect(pays(rules, event({ type: 'code_entry', campaignId: 'cmp_tour', channel: 'offline' }))).toHaveLength(1);
    expect(pays(rules, event({ type: 'code_entry', campaignId: 'cmp_other', channel: 'offline' }))).toEqual([]);
    expect(pays(rules, event({ type: 'code_entry', campaignId: 'cmp_tour', channel: 'email' }))).toEqual([]);
    expect(pays(rules, event({ type: 'code_entry', campaignId: 'cmp_tour', channel: null }))).toEqual([]);
  });

  it("pays only in its place: the touch's country and region (regions compared ignoring case)", () => {
    const rules = [rule({ kind: 'code_entry', place: { countries: ['DE'], regions: ['Bavaria'] } })];
    expect(pays(rules, event({ type: 'code_entry', country: 'DE', region: 'bavaria' }))).toHaveLength(1);
    expect(pays(rules, event({ type: 'code_entry', country: 'DE', region: 'Saxony' }))).toEqual([]);
    expect(pays(rules, event({ type: 'code_entry', country: 'AT', region: 'Bavaria' }))).toEqual([]);
    expect(pays(rules, event({ type: 'code_entry' }))).toEqual([]);
    expect(pays([rule({ kind: 'code_entry', place: { countries: ['AT', 'CH'] } })], event({ type: 'code_entry', country: 'CH', region: null }))).toHaveLength(
      1,
    );
  });

  it('pays only members of its segment: ABC segment, tier and acquisition channel', () => {
    const gold = { name: 'Gold', minPoints12m: 1000, multiplier: 1 };
    const rules = [rule({ segment: { abc: ['A', 'B'], tiers: ['Gold'], acquisition_channels: ['email'] } })];
    expect(pays(rules, event(), member({ abc: 'B', tier: gold, acquisitionChannel: 'email' }))).toHaveLength(1);
    expect(pays(rules, event(), member({ abc: 'C', tier: gold, acquisitionChannel: 'email' }))).toEqual([]);
    expect(pays(rules, event(), member({ abc: 'A', tier: null, acquisitionChannel: 'email' }))).toEqual([]);
    expect(pays(rules, event(), member({ abc: 'A', tier: gold, acquisitionChannel: 'social' }))).toEqual([]);
    expect(pays(rules, event(), member({ abc: null, tier: gold, acquisitionChannel: 'email' }))).toEqual([]);
    expect(needsSegment(rules)).toBe(true);
    expect(needsSegment([rule({ segment: { tiers: ['Gold'] } })])).toBe(false);
  });

  it('stops paying a member at each cap: per day, per month, in total', () => {
    const capped = rule({ capDay: 2, capMonth: 5, capTotal: 10 });
    const paidWith = (day: number, month: number, total: number) => member({ paid: new Map([['lrl_1', { day, month, total }]]) });
    expect(pays([capped], event(), paidWith(1, 4, 9))).toHaveLength(1);
    expect(pays([capped], event(), paidWith(2, 2, 2))).toEqual([]);
    expect(pays([capped], event(), paidWith(0, 5, 5))).toEqual([]);
    expect(pays([capped], event(), paidWith(0, 0, 10))).toEqual([]);
    expect(hasCaps([capped])).toBe(true);
    expect(hasCaps([rule()])).toBe(false);
  });
});

describe('earning rules: tier multiplier', () => {
  it("multiplies every entry by the member's tier and rounds down", () => {
    const silver = { name: 'Silver', minPoints12m: 500, multiplier: 1.25 };
    const rules = [rule({ id: 'lrl_a', points: 10 }), rule({ id: 'lrl_b', points: 7 })];
    expect(pays(rules, event(), member({ tier: silver }))).toEqual([
      { ruleId: 'lrl_a', points: 12 },
      { ruleId: 'lrl_b', points: 8 },
    ]);
    const purchase = [rule({ kind: 'purchase', points: 1 })];
    expect(pays(purchase, event({ type: 'purchase', value: 33.5, currency: 'EUR' }), member({ tier: { ...silver, multiplier: 1.5 } }))).toEqual([
      { ruleId: 'lrl_1', points: 49 },
    ]);
  });
});

describe('earning rules: checks across fields', () => {
  const base = { kind: 'review' as const, eventName: null, currency: null, minOrder: null, startsAt: null, endsAt: null };
  it.each([
    [{ ...base, kind: 'custom' as const }, 'event_name: required for a custom rule'],
    [{ ...base, eventName: 'x' }, 'event_name: only a custom rule has one (this one is review)'],
    [{ ...base, currency: 'EUR' }, 'currency: only a purchase rule has one'],
    [{ ...base, minOrder: 10 }, 'min_order: only a purchase rule has one'],
    [{ ...base, startsAt: '2026-12-02T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' }, 'ends_at: must be after starts_at'],
    [{ ...base, kind: 'purchase' as const, currency: 'EUR', minOrder: 10 }, null],
    [{ ...base, kind: 'custom' as const, eventName: 'app_install' }, null],
  ])('%o → %s', (fields, problem) => {
    expect(ruleProblem(fields)).toBe(problem);
  });
});
