/**
 * Whether this isolate has just seen D1 fail: a timestamp (plain data), no
 * promise. While D1 is known to fail, redirects of uncached links answer 503
 * at once instead of adding reads to a database that is locked or down (a
 * local D1 blocks the whole process while it waits for its file); after the
 * pause one request tries again. The write buffer probes D1 on its own backoff.
 */
const PAUSE_MS = 2_000;

let failingUntil = 0;

/** Notes a failed D1 call: uncached reads pause for PAUSE_MS. */
export function noteD1Failure(now = Date.now()): void {
  failingUntil = now + PAUSE_MS;
}

/** Whether reads should wait for the pause after a failure to end. */
export function d1Paused(now = Date.now()): boolean {
  return now < failingUntil;
}

/** Ends the pause: D1 just took a write. */
export function noteD1Success(): void {
  failingUntil = 0;
}
