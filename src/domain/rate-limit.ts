/** Failed-entry rate limiting: at most `maxFailures` failures per client within a sliding window. */
export interface RateLimit {
  maxFailures: number;
  windowMs: number;
}

/**
 * Seconds until the client may try again, or null when it may try now, given
 * the time of its `maxFailures`-th newest failure within the window (null when
 * it has fewer). The client is blocked until that failure leaves the window.
 */
export function retryAfterSeconds(nthNewestFailure: number | null, now: number, limit: RateLimit): number | null {
  if (nthNewestFailure === null) return null;
  const freedAt = nthNewestFailure + limit.windowMs;
  return freedAt > now ? Math.max(1, Math.ceil((freedAt - now) / 1000)) : null;
}

/** The longest window a setting may ask for (stored failures are deleted after a day). */
export const MAX_WINDOW_SECONDS = 86_400;

/** Reads the limit from settings strings, falling back to `fallback` (10 failures in 600 s) where one is unset or malformed. */
export function parseRateLimit(
  maxFailures: string | undefined,
  windowSeconds: string | undefined,
  fallback: { maxFailures: number; windowSeconds: number } = { maxFailures: 10, windowSeconds: 600 },
): RateLimit {
  const max = Number(maxFailures);
  const seconds = Number(windowSeconds);
  return {
    maxFailures: Number.isInteger(max) && max >= 1 ? max : fallback.maxFailures,
    windowMs: (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_WINDOW_SECONDS) : fallback.windowSeconds) * 1000,
  };
}
