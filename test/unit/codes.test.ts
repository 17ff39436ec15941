import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  CODE_ALPHABET,
  formatCode,
  generateCodes,
  hasValidCheck,
  LOOK_ALIKES,
  normaliseCode,
  parseActionCode,
  prefixProblem,
  RANDOM_BITS,
} from '../../src/domain/codes';

describe('action code alphabet and check character', () => {
  it('has 32 symbols without look-alikes and at least 60 bits of randomness', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    for (const letter of 'ILOU') expect(CODE_ALPHABET).not.toContain(letter);
    expect(RANDOM_BITS).toBeGreaterThanOrEqual(60);
  });

  it('gives every generated code a valid check character', () => {
    for (const code of generateCodes(1000)) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(hasValidCheck(code)).toBe(true);
      expect(checkCharacter(code.slice(0, -1))).toBe(code.at(-1));
    }
  });

  // Property: for many random codes (with and without prefix), every position
  // (check character included) and every other symbol: the substitution is caught;
  // every adjacent pair of different symbols: the swap is caught.
  it('catches every single substitution and every adjacent transposition', () => {
    const codes = [...generateCodes(300), ...generateCodes(200, 'XMAS'), ...generateCodes(100, '7')];
    let substitutions = 0;
    let transpositions = 0;
    for (const code of codes) {
      for (let i = 0; i < code.length; i++) {
        for (const symbol of CODE_ALPHABET) {
          if (symbol === code[i]) continue;
          expect(hasValidCheck(code.slice(0, i) + symbol + code.slice(i + 1))).toBe(false);
          substitutions++;
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          expect(hasValidCheck(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2))).toBe(false);
          transpositions++;
        }
      }
    }
    expect(substitutions).toBe(300 * 16 * 31 + 200 * 20 * 31 + 100 * 17 * 31);
    expect(transpositions).toBeGreaterThan(600 * 14);
  });

  it('catches every adjacent transposition of every pair of symbols at every position', () => {
    const base = generateCodes(1)[0].slice(0, -1);
    for (let i = 0; i + 1 < base.length; i++) {
      for (const a of CODE_ALPHABET) {
        for (const b of CODE_ALPHABET) {
          if (a === b) continue;
          const body = base.slice(0, i) + a + b + base.slice(i + 2);
          const code = body + checkCharacter(body);
          expect(hasValidCheck(base.slice(0, i) + b + a + base.slice(i + 2) + code.at(-1))).toBe(false);
        }
      }
    }
  });

  it('catches a swap of the last body symbol with the check character', () => {
    for (const code of generateCodes(500)) {
      const swapped = code.slice(0, -2) + code.at(-1) + code.at(-2);
      if (code.at(-1) !== code.at(-2)) expect(hasValidCheck(swapped)).toBe(false);
    }
  });

  it('draws distinct codes', () => {
    expect(new Set(generateCodes(50_000)).size).toBe(50_000);
  });
});

describe('normalisation', () => {
  it('keeps the look-alike table as data: O is zero, I and L are one', () => {
    expect(LOOK_ALIKES).toEqual({ O: '0', I: '1', L: '1' });
  });

  it.each([
    ['abcd-efgh-jkmn-pqrs', 'ABCDEFGHJKMNPQRS'],
    [' ab cd\tef ', 'ABCDEF'],
    ['AB–CD—EF‐GH', 'ABCDEFGH'],
    ['a.b_c-d', 'ABCD'],
    ['oO0', '000'],
    ['iIlL1', '11111'],
    ['xmas-7kq2', 'XMAS7KQ2'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseCode(input)).toBe(expected);
  });

  it('accepts a code typed in lower case, without dashes, with look-alikes', () => {
    const code = generateCodes(200).find((c) => c.includes('0') && c.includes('1'))!;
    const typed = formatCode(code).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ');
    expect(parseActionCode(typed)).toEqual({ ok: true, code });
  });

  it('refuses wrong lengths and foreign characters without a lookup', () => {
    const code = generateCodes(1)[0];
    expect(parseActionCode(code.slice(0, -1)).ok).toBe(false);
    expect(parseActionCode(`${code.slice(0, 5)}U${code.slice(6)}`).ok).toBe(false);
    expect(parseActionCode('123456789012345678901234567').ok).toBe(false);
  });
});

describe('display and prefixes', () => {
  it('groups by four after the prefix', () => {
    expect(formatCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(formatCode('XMASABCDEFGHJKMNPQRS')).toBe('XMAS-ABCD-EFGH-JKMN-PQRS');
    expect(formatCode('7ABCDEFGHJKMNPQRS')).toBe('7-ABCD-EFGH-JKMN-PQRS');
  });

  it.each([
    ['XMAS', null],
    ['x-mas', null],
    ['SUN', '"U" is not allowed (use 0-9 and A-Z without I, L, O, U)'],
    ['SPRING', '"I" is not allowed (use 0-9 and A-Z without I, L, O, U)'],
    ['ABCDEFGHJ', 'must be 1 to 8 characters'],
    ['--', 'must be 1 to 8 characters'],
  ])('prefix %j → %j', (prefix, problem) => {
    expect(prefixProblem(prefix)).toBe(problem);
  });
});
