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

/** Reads the limit from settings strings, falling back to 10 failures in 600 s. */
export function parseRateLimit(maxFailures: string | undefined, windowSeconds: string | undefined): RateLimit {
  const max = Number(maxFailures);
  const seconds = Number(windowSeconds);
  return {
    maxFailures: Number.isInteger(max) && max >= 1 ? max : 10,
    windowMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 600) * 1000,
  };
}
