/**
 * The one gate for redirect targets built from input (`back`, `next`, ids in
 * paths): a same-origin path, or the fallback. Every `Location` the app sets
 * from anything a request carried goes through here (DESIGN.md invariants).
 */

/** An origin no request ever has: relative input must resolve onto it. */
const PROBE_ORIGIN = 'https://touchpoint.invalid';
const MAX_LENGTH = 2048;
/** Control characters, any whitespace (browsers strip tabs and newlines from URLs) and backslashes (read as slashes). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\s\\]/u;
/** A single `/` followed by something other than `/` or `\`, or `/` alone. */
const LOCAL = /^\/(?:$|[^/\\])/;

/**
 * `input` as a same-origin path (normalised, ASCII, safe for a Location
 * header), or `fallback` when it is anything else: another origin, a
 * scheme-relative `//host`, `/\host`, control characters or whitespace.
 */
export function safeLocalPath(input: unknown, fallback = '/'): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_LENGTH) return fallback;
  if (!LOCAL.test(input) || UNSAFE.test(input)) return fallback;
  let url: URL;
  try {
    url = new URL(input, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  // Dot segments can collapse into `//host` ("/.//evil.example"): check the normalised form too.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return LOCAL.test(path) ? path : fallback;
}
