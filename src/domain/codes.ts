/**
 * Action codes printed on packs: Crockford's base-32 alphabet (no I, L, O, U),
 * 15 random characters (75 bits) and one check character, shown in groups of
 * four (`7KQ2-M9XD-4HFT-B3PW`), optionally after a prefix (`SUMMER-7KQ2-…`).
 *
 * The check character makes the code a word of a linear code over GF(32):
 * with the symbols x_1 … x_n (check included) and a = 2 in GF(2^5),
 * Σ a^(n-i) · x_i = 0. Horner's rule gives it as Damm's scheme over the
 * totally anti-symmetric quasigroup x ∘ y = a·x ⊕ y. A substitution at i
 * changes the sum by a^(n-i)·e ≠ 0; swapping neighbours x_i ≠ x_(i+1)
 * changes it by a^(n-i-1)·(a ⊕ 1)·(x_i ⊕ x_(i+1)) ≠ 0. So every single
 * substitution and every adjacent transposition is caught, check included.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RANDOM_LENGTH = 15;
export const GROUP_SIZE = 4;
export const MAX_PREFIX_LENGTH = 8;
/** Bits of randomness per code: 15 symbols × 5 bits. */
export const RANDOM_BITS = RANDOM_LENGTH * 5;

/** Look-alikes a customer may type, mapped to the symbol they stand for. */
export const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };
/** Characters ignored in input: spaces, dashes of every kind, dots, underscores. */
export const IGNORED_CHARACTERS = /[\s\-\u2010-\u2015\u2212._]+/g;

const VALUE = new Map([...CODE_ALPHABET].map((symbol, index) => [symbol, index] as const));
/** x^5 + x^2 + 1, irreducible over GF(2). */
const FIELD_POLYNOMIAL = 0b100101;

/** Multiplies by a = 2 in GF(32). */
const times2 = (x: number): number => {
  const shifted = x << 1;
  return shifted & 0b100000 ? shifted ^ FIELD_POLYNOMIAL : shifted;
};

/** Damm's interim over the symbols; 0 for a complete, correct code. */
function interim(symbols: string): number {
  let r = 0;
  for (const symbol of symbols) {
    const value = VALUE.get(symbol);
    if (value === undefined) return -1;
    r = times2(r) ^ value;
  }
  return r;
}

/** The check character for `body` (normalised symbols of the alphabet). */
export function checkCharacter(body: string): string {
  const r = interim(body);
  if (r < 0) throw new Error('checkCharacter: body has characters outside the alphabet');
  return CODE_ALPHABET[times2(r)];
}

/** Whether the normalised code (check character last) is consistent. */
export const hasValidCheck = (code: string): boolean => code.length >= 2 && interim(code) === 0;

/** Upper case, separators removed, look-alikes mapped: what the customer meant to type. */
export function normaliseCode(input: string): string {
  let out = '';
  for (const char of input.toUpperCase().replace(IGNORED_CHARACTERS, '')) out += LOOK_ALIKES[char] ?? char;
  return out;
}

/** A prefix as stored: upper case, separators removed (look-alikes are refused, not mapped). */
export const normalisePrefix = (prefix: string): string => prefix.toUpperCase().replace(IGNORED_CHARACTERS, '');

/** Why a prefix is refused, or null. Prefixes use the code alphabet so the check covers them. */
export function prefixProblem(prefix: string): string | null {
  const normal = normalisePrefix(prefix);
  if (normal.length < 1 || normal.length > MAX_PREFIX_LENGTH) return `must be 1 to ${MAX_PREFIX_LENGTH} characters`;
  for (const char of normal) {
    if (!VALUE.has(char)) return `"${char}" is not allowed (use 0-9 and A-Z without I, L, O, U)`;
  }
  return null;
}

/** `count` new codes in stored form (prefix, random body, check; no dashes); one call to the random source. 256 is a multiple of 32, so `byte & 31` is unbiased. */
export function generateCodes(count: number, prefix = ''): string[] {
  const normalPrefix = normalisePrefix(prefix);
  const bytes = new Uint8Array(count * RANDOM_LENGTH);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  const codes = new Array<string>(count);
  for (let c = 0; c < count; c++) {
    let body = normalPrefix;
    for (let i = 0; i < RANDOM_LENGTH; i++) body += CODE_ALPHABET[bytes[c * RANDOM_LENGTH + i] & 31];
    codes[c] = body + checkCharacter(body);
  }
  return codes;
}

/** Display form: the prefix as its own group, then groups of four (`SUMMER-7KQ2-M9XD-4HFT-B3PW`). */
export function formatCode(code: string, prefixLength = Math.max(0, code.length - RANDOM_LENGTH - 1)): string {
  const groups: string[] = prefixLength > 0 ? [code.slice(0, prefixLength)] : [];
  for (let i = prefixLength; i < code.length; i += GROUP_SIZE) groups.push(code.slice(i, i + GROUP_SIZE));
  return groups.join('-');
}

export type ParsedCode = { ok: true; code: string } | { ok: false; normalised: string };

/** Normalises customer input and checks it without any lookup: alphabet, length and check character. */
export function parseActionCode(input: string): ParsedCode {
  const normalised = normaliseCode(input);
  const length = normalised.length;
  const plausible = length >= RANDOM_LENGTH + 1 && length <= RANDOM_LENGTH + 1 + MAX_PREFIX_LENGTH;
  return plausible && hasValidCheck(normalised) ? { ok: true, code: normalised } : { ok: false, normalised };
}
