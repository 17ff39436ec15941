/** Counted phrases: the plural form follows the count and the language. */
import { describe, expect, it } from 'vitest';
import { promoRefusal, type PromoRules } from '../../src/domain/promo';
import { plural, secondsText } from '../../src/lib/plural';
import { REDEEM_TEXTS } from '../../src/views/redeem-texts';
import { redeemPage } from '../../src/views/redeem-page';

describe('plural', () => {
  it.each([
    ['en', 0, 'Please wait 0 minutes and try again.'],
    ['en', 1, 'Please wait 1 minute and try again.'],
    ['en', 2, 'Please wait 2 minutes and try again.'],
    ['de', 1, 'Bitte warten Sie 1 Minute und versuchen Sie es dann erneut.'],
    ['de', 10, 'Bitte warten Sie 10 Minuten und versuchen Sie es dann erneut.'],
  ] as const)('%s %d → %s', (language, count, text) => {
    expect(plural(language, count, REDEEM_TEXTS[language].retryHint)).toBe(text);
  });

  it('formats the count for the locale', () => {
    expect(plural('de', 1500, { one: '{n} Code', other: '{n} Codes' })).toBe('1.500 Codes');
    expect(plural('en', 1500, { one: '{n} code', other: '{n} codes' })).toBe('1,500 codes');
  });

  it('shows the /redeem page wait in the right form', async () => {
    const page = async (seconds: number, language: 'en' | 'de') =>
      String(await redeemPage(language, { state: 'refused', reason: 'rate_limited', code: 'X', retryAfterSeconds: seconds }));
    expect(await page(45, 'en')).toContain('Please wait 1 minute and try again.');
    expect(await page(540, 'de')).toContain('Bitte warten Sie 9 Minuten und versuchen Sie es dann erneut.');
  });
});

describe('promo refusal messages', () => {
  const rules: PromoRules = {
    kind: 'vanity',
    status: 'active',
    startsAt: null,
    endsAt: null,
    maxRedemptions: null,
    maxPerCustomer: 1,
    minOrderValue: null,
    redemptions: 0,
  };
  const check = { codeRedemptions: 0, orderValue: null, requireOrderValue: false };
  it('says once, not 1 times', () => {
    expect(promoRefusal(rules, { ...check, customerRedemptions: 1 }, '2026-07-01T00:00:00.000Z')?.message).toBe(
      'This customer has used the code once (limit 1)',
    );
    expect(promoRefusal({ ...rules, maxPerCustomer: 3 }, { ...check, customerRedemptions: 3 }, '2026-07-01T00:00:00.000Z')?.message).toBe(
      'This customer has used the code 3 times (limit 3)',
    );
  });
});

describe('waits named in API errors', () => {
  it('says 1 second, not 1 seconds', () => {
    expect(secondsText(1)).toBe('1 second');
    expect(secondsText(540)).toBe('540 seconds');
    expect(secondsText(1200)).toBe('1,200 seconds');
  });
});
