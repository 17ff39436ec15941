import { describe, expect, it } from 'vitest';
import { promoRefusal, type PromoRules } from '../../src/domain/promo';
import { parseRateLimit, retryAfterSeconds } from '../../src/domain/rate-limit';
import { csvField, csvLine } from '../../src/lib/csv';
import { pickLanguage } from '../../src/views/redeem-texts';

describe('rate limit', () => {
  const limit = { maxFailures: 3, windowMs: 600_000 };
  it('lets a client try while it has fewer failures than the limit', () => {
    expect(retryAfterSeconds(null, 2000, limit)).toBeNull();
  });
  it('blocks until the limit-th newest failure leaves the window', () => {
    expect(retryAfterSeconds(10_000, 120_000, limit)).toBe(490);
    expect(retryAfterSeconds(10_000, 609_999, limit)).toBe(1);
    expect(retryAfterSeconds(10_000, 610_000, limit)).toBeNull();
  });
  it('reads settings with defaults', () => {
    expect(parseRateLimit('5', '60')).toEqual({ maxFailures: 5, windowMs: 60_000 });
    expect(parseRateLimit(undefined, 'x')).toEqual({ maxFailures: 10, windowMs: 600_000 });
  });
});

describe('promo rules', () => {
  const rules: PromoRules = {
    kind: 'vanity',
    status: 'active',
    startsAt: '2026-06-01T00:00:00.000Z',
    endsAt: '2026-09-01T00:00:00.000Z',
    maxRedemptions: 100,
    maxPerCustomer: 2,
    minOrderValue: 50,
    redemptions: 10,
  };
  const check = { codeRedemptions: 10, customerRedemptions: 1, orderValue: 60, requireOrderValue: true };
  const now = '2026-07-01T00:00:00.000Z';
  it.each([
    ['valid', {}, {}, now, null],
    ['not started', {}, {}, '2026-05-31T23:59:59.999Z', 'code_not_started'],
    ['expired at ends_at', {}, {}, '2026-09-01T00:00:00.000Z', 'code_expired'],
    ['archived', { status: 'archived' }, {}, now, 'code_expired'],
    ['total used up', { redemptions: 100 }, {}, now, 'code_used_up'],
    ['unique code used', { kind: 'unique', maxRedemptions: null }, { codeRedemptions: 1 }, now, 'code_used_up'],
    ['customer limit', {}, { customerRedemptions: 2 }, now, 'customer_limit_reached'],
    ['no customer given', {}, { customerRedemptions: null }, now, null],
    ['below minimum', {}, { orderValue: 49.99 }, now, 'below_minimum_order'],
    ['redeem without order value', {}, { orderValue: null }, now, 'below_minimum_order'],
    ['validate without order value', {}, { orderValue: null, requireOrderValue: false }, now, null],
  ] as const)('%s', (_name, ruleChanges, checkChanges, at, reason) => {
    expect(promoRefusal({ ...rules, ...ruleChanges } as PromoRules, { ...check, ...checkChanges }, at)?.reason ?? null).toBe(reason);
  });
});

describe('language of the /redeem page', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-FR, de;q=0.5', 'de'],
    ['fr', 'en'],
    ['en;q=0.2, de-AT;q=0.7', 'de'],
    ['de;q=0, en', 'en'],
    ['', 'en'],
    [null, 'en'],
  ] as const)('%j → %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});

describe('CSV quoting', () => {
  it('quotes commas, quotes and newlines, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});
