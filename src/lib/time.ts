/** Clock helpers: one ISO-8601 UTC format everywhere. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** Normalises any parseable ISO-8601 string to the stored `…Z` millisecond form. */
export const normaliseIso = (value: string): string => new Date(value).toISOString();
