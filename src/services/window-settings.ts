/** The time windows set in wrangler.toml: the attribution lookback, and how long raw touches stay hot in D1. */
import { DEFAULT_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS, MIN_LOOKBACK_DAYS } from '../domain/attribution';
import { hotWindowDays } from '../domain/archive';
import type { Bindings } from '../env';

/** The configured lookback (ATTRIBUTION_LOOKBACK_DAYS), default 30 days. */
export function lookbackDaysSetting(env: Pick<Bindings, 'ATTRIBUTION_LOOKBACK_DAYS'>): number {
  const days = Number(env.ATTRIBUTION_LOOKBACK_DAYS);
  return Number.isInteger(days) && days >= MIN_LOOKBACK_DAYS && days <= MAX_LOOKBACK_DAYS ? days : DEFAULT_LOOKBACK_DAYS;
}

/** The margin (ARCHIVE_MARGIN_DAYS) kept hot beyond the lookback when the setting is missing or not a whole number. */
export const DEFAULT_ARCHIVE_MARGIN_DAYS = 30;

/** Days raw touches stay in D1 under the Worker's settings: the lookback plus ARCHIVE_MARGIN_DAYS. */
export function hotDaysSetting(env: Pick<Bindings, 'ATTRIBUTION_LOOKBACK_DAYS' | 'ARCHIVE_MARGIN_DAYS'>): number {
  const margin = Number(env.ARCHIVE_MARGIN_DAYS);
  return hotWindowDays(lookbackDaysSetting(env), Number.isInteger(margin) && margin >= 0 ? margin : DEFAULT_ARCHIVE_MARGIN_DAYS);
}
