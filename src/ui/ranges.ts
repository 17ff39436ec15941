/**
 * Date ranges of the report pages: presets (today, the last 7, 30 or 90 days,
 * this month, last month) resolved to UTC days, and the links that keep a
 * page's other filters while switching range.
 */
import { DAY_MS } from '../domain/attribution';
import { ATTRIBUTED_CHANNELS } from '../domain/vocab';

export const RANGE_PRESETS = ['today', '7d', '30d', '90d', 'this_month', 'last_month'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = '30d';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The UTC days a preset covers on the day of `now`, both inclusive. */
export function presetRange(preset: RangePreset, now: number): { from: string; to: string } {
  const today = iso(now);
  const start = Date.parse(`${today}T00:00:00Z`);
  const back = (days: number) => ({ from: iso(start - (days - 1) * DAY_MS), to: today });
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return back(7);
    case '30d':
      return back(30);
    case '90d':
      return back(90);
    case 'this_month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'last_month': {
      const firstOfThis = Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`);
      const lastOfPrevious = iso(firstOfThis - DAY_MS);
      return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
    }
  }
}

/** The preset whose range is exactly `from`…`to` today, if any (so a typed range that equals one is shown as it). */
export const presetOf = (range: { from: string; to: string }, now: number): RangePreset | undefined =>
  RANGE_PRESETS.find((preset) => {
    const candidate = presetRange(preset, now);
    return candidate.from === range.from && candidate.to === range.to;
  });

/** Whether the range holds today (UTC), whose figures are still growing. */
export const holdsToday = (range: { to: string }, now: number): boolean => range.to >= iso(now);

/** `path?query` with `changes` applied to `params` (undefined or '' removes a parameter). */
export function hrefWith(path: string, params: Record<string, string | undefined>, changes: Record<string, string | undefined>): string {
  const merged = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...params, ...changes })) if (value !== undefined && value !== '') merged.set(key, value);
  const query = merged.toString();
  return query ? `${path}?${query}` : path;
}

/** What the channel bars count. */
export const BAR_METRICS = ['visits', 'conversions'] as const;
export type BarMetric = (typeof BAR_METRICS)[number];

/** The channel values `hide` may name. */
export const hiddenChannels = (raw: string | undefined): Set<string> =>
  new Set((raw ?? '').split(',').filter((name) => (ATTRIBUTED_CHANNELS as readonly string[]).includes(name)));
