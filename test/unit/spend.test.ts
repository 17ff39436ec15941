import { describe, expect, it } from 'vitest';
import { rateBook } from '../../src/domain/currency';
import { addSpend, campaignChannelShares, emptySpend, scaledNewCustomers, spendFigures, unconvertedSpend, unconvertedSpendCsv } from '../../src/domain/spend';

describe('campaignChannelShares', () => {
  it('splits by links per channel', () => {
    expect(
      campaignChannelShares([
        { channel: 'email', links: 3 },
        { channel: 'offline', links: 1 },
      ]),
    ).toEqual([
      { channel: 'email', share: 0.75 },
      { channel: 'offline', share: 0.25 },
    ]);
  });

  it('puts a campaign without links on other', () => {
    expect(campaignChannelShares([])).toEqual([{ channel: 'other', share: 1 }]);
  });
});

describe('addSpend', () => {
  it('converts at the latest rate on or before the day and keeps a currency without one apart', () => {
    const book = rateBook('EUR', [
      { currency: 'USD', day: '2030-01-01', rate: 0.9 },
      { currency: 'USD', day: '2030-01-10', rate: 0.8 },
    ]);
    const sum = emptySpend();
    addSpend(book, sum, { currency: 'USD', day: '2030-01-09', amount: 100 });
    addSpend(book, sum, { currency: 'USD', day: '2030-01-10', amount: 100 });
    addSpend(book, sum, { currency: 'EUR', day: '2030-01-10', amount: 5 });
    addSpend(book, sum, { currency: 'USD', day: '2029-12-31', amount: 7 });
    addSpend(book, sum, { currency: 'GBP', day: '2030-01-10', amount: 3.333 });
    expect(sum.amount).toBeCloseTo(90 + 80 + 5, 10);
    expect(unconvertedSpend(sum)).toEqual([
      { currency: 'GBP', amount: 3.33 },
      { currency: 'USD', amount: 7 },
    ]);
    expect(unconvertedSpendCsv(unconvertedSpend(sum))).toBe('GBP:3.33 USD:7.00');
  });
});

describe('spendFigures', () => {
  it('divides the shown figures', () => {
    expect(spendFigures({ spend: 130, conversions: 0.666667, revenue: 53.33, newCustomers: 0.333333, complete: true })).toEqual({
      spend: 130,
      cost_per_conversion: 195,
      roas: 0.410231,
      cac: 390,
    });
  });

  it('never divides by zero, and gives no ratio when spend lacks a rate', () => {
    expect(spendFigures({ spend: 0, conversions: 2, revenue: 10, newCustomers: 1, complete: true })).toEqual({
      spend: 0,
      cost_per_conversion: null,
      roas: null,
      cac: null,
    });
    expect(spendFigures({ spend: 50, conversions: 0, revenue: 0, newCustomers: 0, complete: true })).toEqual({
      spend: 50,
      cost_per_conversion: null,
      roas: 0,
      cac: null,
    });
    expect(spendFigures({ spend: 50, conversions: 1, revenue: 80, newCustomers: 1, complete: false })).toEqual({
      spend: 50,
      cost_per_conversion: null,
      roas: null,
      cac: null,
    });
  });
});

describe('scaledNewCustomers', () => {
  it("scales a read-time model's conversions by the row's linear share of new customers", () => {
    expect(scaledNewCustomers(3, { conversions: 2, newCustomers: 0.5 })).toBe(0.75);
    expect(scaledNewCustomers(3, { conversions: 0, newCustomers: 0 })).toBe(0);
  });
});
