/** Minor units: Stripe's integers to amounts, per the currency's decimals. */
import { describe, expect, it } from 'vitest';
import { fromMinorUnits, minorUnitDecimals, parseDecimalAmount } from '../../src/domain/minor-units';

describe('minor units', () => {
  it.each([
    ['usd', 1999, 19.99],
    ['EUR', 5, 0.05],
    ['jpy', 12800, 12800],
    ['KRW', 1, 1],
    ['vnd', 250000, 250000],
    ['clp', 9990, 9990],
    ['kwd', 5125, 5.125],
    ['BHD', 10, 0.01],
    ['isk', 50000, 500],
    ['huf', 123450, 1234.5],
  ])('%s %i is %d', (currency, amount, value) => {
    expect(fromMinorUnits(amount, currency)).toBe(value);
  });

  it('says how many decimals each kind of currency has', () => {
    expect([minorUnitDecimals('JPY'), minorUnitDecimals('usd'), minorUnitDecimals('OMR'), minorUnitDecimals('TWD')]).toEqual([0, 2, 3, 2]);
  });

  it('reads decimal strings as platforms send them, and nothing else', () => {
    expect(['19.99', '-5.00', ' 7 ', '1e3', '19,99', '', null, 12.5].map(parseDecimalAmount)).toEqual([19.99, -5, 7, null, null, null, null, 12.5]);
  });
});
