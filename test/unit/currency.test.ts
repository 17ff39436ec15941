import { describe, expect, it } from 'vitest';
import { addMoney, emptySum, missingRates, rateBook, rateOn, toCents, unconvertedCsv, unconvertedParts } from '../../src/domain/currency';
import { readCsv } from '../../src/lib/csv';
import { parseRatesCsv } from '../../src/services/exchange-rates';

const book = rateBook('EUR', [
  { currency: 'USD', day: '2026-03-10', rate: 0.95 },
  { currency: 'USD', day: '2026-03-01', rate: 0.9 },
  { currency: 'USD', day: '2026-03-05', rate: 0.92 },
  { currency: 'GBP', day: '2026-02-01', rate: 1.2 },
]);

describe('rateOn', () => {
  it.each([
    ['USD', '2026-02-28', null],
    ['USD', '2026-03-01', 0.9],
    ['USD', '2026-03-02', 0.9],
    ['USD', '2026-03-04', 0.9],
    ['USD', '2026-03-05', 0.92],
    ['USD', '2026-03-09', 0.92],
    ['USD', '2026-03-10', 0.95],
    ['USD', '2027-01-01', 0.95],
    ['GBP', '2026-03-02', 1.2],
    ['CHF', '2026-03-02', null],
    ['EUR', '1999-01-01', 1],
  ] as const)('%s on %s is %s: the latest rate dated on or before the day', (currency, day, rate) => {
    expect(rateOn(book, currency, day)).toBe(rate);
  });
});

describe('addMoney', () => {
  it('converts what has a rate, keeps the rest per currency, and counts every conversion', () => {
    const sum = emptySum();
    addMoney(book, sum, { currency: 'USD', day: '2026-03-02', conversions: 1, revenue: 100 });
    addMoney(book, sum, { currency: 'EUR', day: '', conversions: 0.5, revenue: 10 });
    addMoney(book, sum, { currency: 'CHF', day: '2026-03-02', conversions: 1, revenue: 12 });
    addMoney(book, sum, { currency: 'CHF', day: '2026-03-03', conversions: 0.25, revenue: 3.333 });
    addMoney(book, sum, { currency: null, day: '2026-03-02', conversions: 1, revenue: 0 });
    addMoney(book, sum, { currency: 'JPY', day: '2026-03-02', conversions: 1, revenue: 0 });
    expect(sum.conversions).toBe(4.75);
    expect(toCents(sum.revenue)).toBe(100);
    expect(unconvertedParts(sum)).toEqual([{ currency: 'CHF', conversions: 1.25, revenue: 15.33 }]);
    expect(missingRates([unconvertedParts(sum), [{ currency: 'AUD', conversions: 1, revenue: 1 }]])).toEqual(['AUD', 'CHF']);
    expect(unconvertedCsv(unconvertedParts(sum))).toBe('CHF:15.33');
  });
});

describe('parseRatesCsv', () => {
  it('reads the columns in any order, with CRLF, a BOM, quotes and blank lines', () => {
    const text = '\uFEFFrate,Day,currency\r\n0.9,2026-03-01,USD\r\n\r\n"1.2",2026-03-01,gbp\r\n';
    expect(parseRatesCsv(text)).toEqual({
      rates: [
        { currency: 'USD', day: '2026-03-01', rate: 0.9 },
        { currency: 'GBP', day: '2026-03-01', rate: 1.2 },
      ],
      lines: [2, 4],
    });
  });

  it('reads a German spreadsheet: ; between fields and decimal commas', () => {
    expect(parseRatesCsv('day;currency;rate\n2026-03-01;CHF;1,05\n').rates).toEqual([{ currency: 'CHF', day: '2026-03-01', rate: 1.05 }]);
  });

  it('names every bad line and stores none', () => {
    const text = 'day,currency,rate\n2026-03-01,USD,0.9\n2026-02-30,USD,0.9\n2026-03-02,US,0\n2026-03-03,USD,abc\n2026-03-04,XXX,-1\n';
    expect(() => parseRatesCsv(text)).toThrow(
      'line 3: day: is not a calendar date; ' +
        'line 4: currency: must be a three-letter ISO 4217 code in capitals, like EUR; rate: must be greater than 0; ' +
        'line 5: rate: must be a number like 0.92; ' +
        'line 6: currency: is not an ISO 4217 currency code; rate: must be a number like 0.92',
    );
  });

  it('refuses a file without the header or without rates', () => {
    expect(() => parseRatesCsv('2026-03-01,USD,0.9\n')).toThrow('line 1: the header must name the columns day, currency, rate');
    expect(() => parseRatesCsv('day,currency,rate\n')).toThrow('line 2: no rates after the header');
    expect(() => parseRatesCsv('')).toThrow('line 1: the header must name the columns day, currency, rate');
  });
});

describe('readCsv', () => {
  it('keeps the line each record starts on, across quoted line breaks', () => {
    expect(readCsv('a,b\n"x\ny",z\n\nq,"r""s"')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', 'z'] },
      { line: 5, fields: ['q', 'r"s'] },
    ]);
  });
});
