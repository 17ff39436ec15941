import { describe, expect, it } from 'vitest';
import { encodeRegisters, estimateCardinality, hash32, mergeRegisters, REGISTERS, sketchOf, sketchSlot } from '../../src/domain/visitor-sketch';

const ids = (n: number, prefix = 'v_') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(24, '0')}`);

describe('visitor sketch', () => {
  it('spreads sequential visitor ids evenly over the registers, with geometric ranks', () => {
    const perRegister = new Array<number>(REGISTERS).fill(0);
    const perRank = new Array<number>(24).fill(0);
    for (const id of ids(REGISTERS * 100)) {
      const slot = sketchSlot(id);
      perRegister[slot >>> 5] += 1;
      perRank[slot & 31] += 1;
    }
    // 100 ids per register expected: Poisson-like spread, none empty or crowded.
    expect(Math.min(...perRegister)).toBeGreaterThan(55);
    expect(Math.max(...perRegister)).toBeLessThan(145);
    // P(rank = k) = 2^-k.
    for (const k of [1, 2, 3, 4]) expect(Math.abs(perRank[k] / (REGISTERS * 100) - 2 ** -k)).toBeLessThan(0.01);
    expect(perRank[0]).toBe(0);
  });

  it('packs register × 32 + rank, rank = 1 + leading zeros after the 10 register bits', () => {
    for (const id of ids(2000)) {
      const slot = sketchSlot(id);
      const h = hash32(id);
      expect(slot >>> 5).toBe(h >>> 22);
      const rest = (h << 10) >>> 0;
      expect(slot & 31).toBe(rest === 0 ? 23 : Math.clz32(rest) + 1);
    }
  });

  it('estimates nothing as 0 and a handful exactly', () => {
    expect(estimateCardinality(new Uint8Array(REGISTERS))).toBe(0);
    for (const n of [1, 2, 3, 10]) expect(estimateCardinality(sketchOf(ids(n)))).toBe(n);
  });

  it.each([100, 1_000, 10_000, 100_000])(
    'estimates %i distinct visitors with the standard error of 2^10 registers (1.04/32 = 3.25 %)',
    (n) => {
      // 20 disjoint visitor sets of size n: the mean relative error stays near 3.25 %, none beyond 3 standard errors.
      const errors = Array.from({ length: 20 }, (_, k) => Math.abs(estimateCardinality(sketchOf(ids(n, `s${k}_`))) - n) / n);
      expect(errors.reduce((sum, e) => sum + e, 0) / errors.length).toBeLessThan(0.0325);
      expect(Math.max(...errors)).toBeLessThan(3 * 0.0325);
    },
    60_000,
  );

  it('estimates a million visitors within 3 standard errors', () => {
    expect(Math.abs(estimateCardinality(sketchOf(ids(1_000_000))) - 1_000_000) / 1_000_000).toBeLessThan(3 * 0.0325);
  }, 60_000); // hashes a million ids: seconds on a busy 2-core machine

  it('counts a visitor seen many times once', () => {
    const once = sketchOf(ids(500));
    expect(sketchOf([...ids(500), ...ids(500), ...ids(200)])).toEqual(once);
  });

  it('merges stored registers into the sketch of the union', () => {
    const a = ids(3000, 'a_');
    const b = [...ids(2000, 'b_'), ...a.slice(0, 1000)];
    const merged = mergeRegisters(mergeRegisters(new Uint8Array(REGISTERS), encodeRegisters(sketchOf(a))), encodeRegisters(sketchOf(b)));
    expect(merged).toEqual(sketchOf([...a, ...b]));
    expect(encodeRegisters(merged)).toHaveLength(REGISTERS);
    expect(encodeRegisters(new Uint8Array(REGISTERS))).toBe('@'.repeat(REGISTERS));
  });
});
