/** Clock helpers: one ISO-8601 UTC format everywhere. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** Normalises any parseable ISO-8601 string to the stored `…Z` millisecond form. */
export const normaliseIso = (value: string): string => new Date(value).toISOString();

/** Every UTC day ('YYYY-MM-DD') from `from` to `to`, inclusive. */
export function utcDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
