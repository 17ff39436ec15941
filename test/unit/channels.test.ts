import { describe, expect, it } from 'vitest';
import { CHANNEL_RULES, resolveChannel } from '../../src/domain/channels';

describe('resolveChannel', () => {
  it.each([
    // rule 1: offline
    [{ touchType: 'scan' }, 'offline'],
    [{ touchType: 'code_entry' }, 'offline'],
    [{ touchType: 'scan', utmMedium: 'email' }, 'offline'],
    ...['qr', 'print', 'flyer', 'packaging', 'poster', 'outdoor', 'offline', 'coupon', 'direct-mail', 'tv', 'radio'].map(
      (medium) => [{ touchType: 'click', utmMedium: medium }, 'offline'] as const,
    ),
    // rule 2: referral
    [{ touchType: 'click', linkKind: 'referral' }, 'referral'],
    [{ touchType: 'click', linkKind: 'referral', utmMedium: 'email' }, 'referral'],
    ...['referral', 'tell-a-friend', 'taf'].map((medium) => [{ touchType: 'click', utmMedium: medium }, 'referral'] as const),
    // rule 3: email, in medium or source
    [{ touchType: 'click', utmMedium: 'email' }, 'email'],
    [{ touchType: 'click', utmMedium: 'E-Mail' }, 'email'],
    [{ touchType: 'click', utmMedium: 'e_mail' }, 'email'],
    [{ touchType: 'click', utmSource: 'newsletter-march' }, 'email'],
    [{ touchType: 'click', utmMedium: 'sms', utmSource: 'newsletter' }, 'email'],
    // rule 4: mobile
    ...['sms', 'mms', 'push', 'app', 'in-app', 'mobile', 'whatsapp'].map((medium) => [{ touchType: 'click', utmMedium: medium }, 'mobile'] as const),
    // rule 5: social
    ...['social', 'social-network', 'social-media', 'sm'].map((medium) => [{ touchType: 'click', utmMedium: medium }, 'social'] as const),
    [{ touchType: 'click', utmSource: 'Instagram' }, 'social'],
    [{ touchType: 'click', utmSource: 'facebook', utmMedium: 'cpc' }, 'social'],
    // rule 6: paid and display
    ...['cpc', 'ppc', 'paid', 'paidsearch'].map((medium) => [{ touchType: 'click', utmMedium: medium }, 'paid'] as const),
    ...['display', 'banner', 'cpm'].map((medium) => [{ touchType: 'click', utmMedium: medium }, 'display'] as const),
    // rule 7: search
    [{ touchType: 'click', utmMedium: 'organic', utmSource: 'google' }, 'search'],
    // rule 8: other
    [{ touchType: 'click' }, 'other'],
    [{ touchType: 'click', utmMedium: 'affiliate', utmSource: 'partner' }, 'other'],
    [{ touchType: 'promo_redemption' }, 'other'],
  ] as const)('%o → %s', (input, channel) => {
    expect(resolveChannel(input)).toBe(channel);
  });

  it('keeps the rules in the documented order', () => {
    expect(CHANNEL_RULES.map((rule) => rule.channel)).toEqual(['offline', 'referral', 'email', 'mobile', 'social', 'paid', 'display', 'search']);
  });

  it('ignores surrounding spaces and case', () => {
    expect(resolveChannel({ touchType: 'click', utmMedium: '  SMS ' })).toBe('mobile');
  });
});
