import { describe, expect, it } from 'vitest';
import { formatters, pickLang, TEXTS } from '../../src/ui/i18n';

describe('dashboard language', () => {
  it('prefers the cookie, then Accept-Language by weight, then English', () => {
    expect(pickLang('de', 'en-GB')).toBe('de');
    expect(pickLang(undefined, 'fr-FR,de;q=0.8,en;q=0.5')).toBe('de');
    expect(pickLang(undefined, 'en;q=0.3,de-AT;q=0.9')).toBe('de');
    expect(pickLang('xx', 'fr')).toBe('en');
    expect(pickLang(undefined, undefined)).toBe('en');
  });

  it('has every text in both languages', () => {
    expect(Object.keys(TEXTS.de).sort()).toEqual(Object.keys(TEXTS.en).sort());
  });

  it('formats numbers, money and rates for the locale', () => {
    expect(formatters('de').num(1234.5)).toBe('1.234,5');
    expect(formatters('en').num(1234.5)).toBe('1,234.5');
    expect(formatters('de').money(19.9, 'EUR')).toBe('19,90\u00a0€');
    expect(formatters('en').pct(0.125)).toBe('12.5%');
    expect(formatters('de').date('2026-03-01T10:00:00Z')).toBe('01.03.2026');
  });
});
