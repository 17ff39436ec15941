/** The bonus program's setup forms as the API's inputs: typed numbers, lists, checkbox groups, UTC date pickers. */
import { ABC_SEGMENTS } from '../domain/loyalty';
import { ATTRIBUTED_CHANNELS } from '../domain/vocab';
import { withIsoTimes } from './dates';
import type { FormValues } from './forms';
import { tierRows } from './pages/loyalty-program';

/** A typed number ("0,5" too) as a number; anything else as it is, for the schema to refuse. */
const number = (value: string | undefined): number | string | undefined => {
  if (value === undefined || value === '') return undefined;
  const text = value.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
};
const upper = (value: string | undefined) => (value ? value.toUpperCase() : undefined);
/** "DE, at ;CH" → ['DE', 'AT', 'CH']; undefined when empty. */
const list = (value: string | undefined, transform: (item: string) => string = (item) => item): string[] | undefined => {
  const items = (value ?? '')
    .split(/[,;]/)
    .map((item) => transform(item.trim()))
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
};
const checked = (values: FormValues, prefix: string, options: readonly string[]): string[] | undefined => {
  const picked = options.filter((option) => values[`${prefix}_${option}`] === 'on');
  return picked.length > 0 ? picked : undefined;
};

/** The program form as the API's input. */
export function programInput(values: FormValues): Record<string, unknown> {
  const tiers = Array.from({ length: tierRows(values) }, (_, i) => ({
    name: values[`tier_name_${i}`] ?? '',
    min_points_12m: number(values[`tier_min_${i}`]) ?? '',
    multiplier: number(values[`tier_multiplier_${i}`]) ?? '',
  })).filter((tier) => tier.name !== '' || tier.min_points_12m !== '' || tier.multiplier !== '');
  return {
    name: values.name ?? '',
    points_name: values.points_name ?? '',
    point_value: number(values.point_value) ?? '',
    currency: upper(values.currency) ?? '',
    pending_days: number(values.pending_days) ?? 0,
    expiry_days: number(values.expiry_days) ?? null,
    tiers,
    enrollment: values.enrollment ?? '',
    referral_campaign_id: values.referral_campaign_id || null,
  };
}

/** The new-rule form as the API's input: empty fields are left out. */
export function ruleInput(values: FormValues, tierNames: readonly string[]): Record<string, unknown> {
  const timed = withIsoTimes(values, ['starts_at', 'ends_at']);
  const segment = {
    abc: checked(values, 'abc', ABC_SEGMENTS),
    tiers: checked(values, 'tier', tierNames),
    acquisition_channels: checked(values, 'acq', ATTRIBUTED_CHANNELS),
  };
  const place = { countries: list(values.countries, (item) => item.toUpperCase()), regions: list(values.regions) };
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    kind: values.kind ?? '',
    points: number(values.points) ?? '',
    event_name: values.event_name || undefined,
    currency: upper(values.currency),
    min_order: number(values.min_order),
    campaign_id: values.campaign_id || undefined,
    channel: values.channel || undefined,
    starts_at: timed.starts_at || undefined,
    ends_at: timed.ends_at || undefined,
    segment: Object.values(segment).some(Boolean) ? segment : undefined,
    place: Object.values(place).some(Boolean) ? place : undefined,
    cap_day: number(values.cap_day),
    cap_month: number(values.cap_month),
    cap_total: number(values.cap_total),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** The new-challenge form as the API's input. */
export function challengeInput(values: FormValues): Record<string, unknown> {
  const timed = withIsoTimes(values, ['starts_at', 'ends_at']);
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    description: values.description || undefined,
    event_type: values.event_type ?? '',
    event_name: values.event_name || undefined,
    campaign_id: values.campaign_id || undefined,
    goal: number(values.goal) ?? '',
    bonus: number(values.bonus) ?? '',
    starts_at: timed.starts_at ?? '',
    ends_at: timed.ends_at ?? '',
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

export const CHALLENGE_FIELDS = ['name', 'description', 'event_type', 'event_name', 'campaign_id', 'goal', 'bonus', 'starts_at', 'ends_at'];
export const PROGRAM_FIELDS = ['name', 'points_name', 'point_value', 'currency', 'pending_days', 'expiry_days', 'tiers', 'enrollment', 'referral_campaign_id'];
export const RULE_FIELDS = [
  'name',
  'kind',
  'points',
  'event_name',
  'currency',
  'min_order',
  'campaign_id',
  'channel',
  'starts_at',
  'ends_at',
  'segment',
  'place',
  'cap_day',
  'cap_month',
  'cap_total',
];

export const REWARD_FIELDS = ['name', 'description', 'kind', 'cost', 'stock', 'per_member_limit', 'campaign_id', 'discount', 'min_order_value', 'valid_days'];

/** The new-reward form as the API's input: empty fields are left out. */
export function rewardInput(values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    description: values.description || undefined,
    kind: values.kind ?? '',
    cost: number(values.cost) ?? '',
    stock: number(values.stock),
    per_member_limit: number(values.per_member_limit),
    campaign_id: values.campaign_id || undefined,
    discount: values.discount || undefined,
    min_order_value: number(values.min_order_value),
    valid_days: number(values.valid_days),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
