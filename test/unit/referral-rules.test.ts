import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { kFactor, referralLocation, referralOutcome, referralRules } from '../../src/domain/referrals';
import { REFERRAL_OUTCOMES } from '../../src/domain/vocab';

const friend = { type: 'sale', customerHash: 'f', referrerHash: 'r', sharesVisitorWithReferrer: false, hasEarlierSale: false, value: 50 };
const rules = { minOrderValue: null, matchVisitors: true };

describe('referral rules', () => {
  it.each([
    ['a first sale', {}, rules, 'referred_sale'],
    ['the referrer buying', { customerHash: 'r' }, rules, 'self_referral'],
    ['the referrer’s browser', { sharesVisitorWithReferrer: true }, rules, 'self_referral'],
    ['the referrer’s browser, visitors not matched', { sharesVisitorWithReferrer: true }, { ...rules, matchVisitors: false }, 'referred_sale'],
    ['a lead', { type: 'lead', value: null }, rules, 'signup'],
    ['the referrer’s own lead', { type: 'lead', customerHash: 'r' }, rules, 'self_referral'],
    ['a custom conversion', { type: 'newsletter' }, rules, 'other'],
    ['a sale without customer', { customerHash: null }, rules, 'anonymous'],
    ['a second sale', { hasEarlierSale: true }, rules, 'repeat_sale'],
    ['a sale below the minimum', { value: 19.99 }, { ...rules, minOrderValue: 20 }, 'below_minimum'],
    ['a sale without value under a minimum', { value: null }, { ...rules, minOrderValue: 20 }, 'below_minimum'],
    ['a sale at the minimum', { value: 20 }, { ...rules, minOrderValue: 20 }, 'referred_sale'],
  ] as const)('%s → %s', (_name, change, ruleSet, outcome) => {
    expect(referralOutcome({ ...friend, ...change }, ruleSet)).toBe(outcome);
  });

  it('reads the settings', () => {
    expect(referralRules({})).toEqual({ minOrderValue: null, matchVisitors: true });
    expect(referralRules({ REFERRAL_MIN_ORDER_VALUE: '25.5', REFERRAL_MATCH_VISITORS: 'false' })).toEqual({ minOrderValue: 25.5, matchVisitors: false });
    expect(referralRules({ REFERRAL_MIN_ORDER_VALUE: 'abc' }).minOrderValue).toBeNull();
    expect(referralRules({ REFERRAL_MIN_ORDER_VALUE: '0' }).minOrderValue).toBeNull();
  });

  it('computes the K-factor', () => {
    expect([kFactor(0, 0), kFactor(3, 2), kFactor(1, 3)]).toEqual([0, 1.5, 0.333333]);
  });

  it('builds the landing URL: referral UTM values win, the fragment stays last', () => {
    expect(referralLocation('https://shop.example/?utm_medium=cpc&a=1#x', 'spring', 'tpc_1')).toBe(
      'https://shop.example/?a=1&utm_source=tell-a-friend&utm_medium=referral&utm_campaign=spring&tp_click=tpc_1#x',
    );
  });

  it('keeps the SQL outcome list equal to the vocabulary', async () => {
    const row = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'referral_conversions'").first<{ sql: string }>();
    const list = /outcome\s+TEXT NOT NULL CHECK \(outcome IN \(([^)]*)\)\)/.exec(row!.sql)![1];
    expect(list.split(',').map((value) => value.trim().replace(/^'|'$/g, ''))).toEqual([...REFERRAL_OUTCOMES]);
  });
});
