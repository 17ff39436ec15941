/** Failed-entry rate limiting: at most `maxFailures` failures per client within a sliding window. */
export interface RateLimit {
  maxFailures: number;
  windowMs: number;
}

/**
 * Seconds until the client may try again, or null when it may try now.
 * `failures` are the client's failure times in the window, newest first (at
 * least `maxFailures` of them are needed to block). The client is blocked until
 * the `maxFailures`-th newest failure leaves the window.
 */
export function retryAfterSeconds(failures: readonly number[], now: number, limit: RateLimit): number | null {
  if (failures.length < limit.maxFailures) return null;
  const freedAt = failures[limit.maxFailures - 1] + limit.windowMs;
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
