import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  conditionProblem,
  conditionsHold,
  pickVariant,
  rulesProblem,
  stickyFraction,
  variantsProblem,
  type VisitFacts,
} from '../../src/domain/link-rules';
import { compileRouting, routeVisit } from '../../src/domain/link-routing';
import { compareArms, MIN_VISITORS_PER_VARIANT } from '../../src/domain/significance';

const facts = (over: Partial<VisitFacts> & { device?: string; os?: string | null } = {}): VisitFacts => ({
  now: Date.parse('2026-12-03T12:00:00Z'),
  agent: () => ({ deviceClass: over.device ?? 'mobile', os: over.os === undefined ? 'iOS' : over.os }),
  acceptLanguage: 'de-AT,de;q=0.9,en;q=0.5',
  country: 'AT',
  search: new URLSearchParams('ref=news&x=1'),
  ...over,
});

const holds = (condition: { type: string; op?: string; value: string }, f: VisitFacts) => conditionsHold([compileCondition(condition)], f);

describe('each condition type', () => {
  it.each([
    [{ type: 'device', value: 'mobile' }, {}, true],
    [{ type: 'device', value: 'tablet, desktop' }, {}, false],
    [{ type: 'device', value: 'desktop' }, { device: 'desktop' }, true],
    [{ type: 'device', op: 'is_not', value: 'mobile' }, {}, false],
    [{ type: 'os', value: 'ios' }, {}, true],
    [{ type: 'os', value: 'android' }, {}, false],
    [{ type: 'os', value: 'android' }, { os: 'Android' }, true],
    [{ type: 'os', value: 'macos' }, { os: 'Mac OS' }, true],
    [{ type: 'os', op: 'is_not', value: 'ios' }, { os: null }, true],
    [{ type: 'language', value: 'de' }, {}, true],
    [{ type: 'language', value: 'de-at' }, {}, true],
    [{ type: 'language', value: 'de-ch' }, {}, false],
    [{ type: 'language', value: 'en' }, {}, false],
    [{ type: 'language', value: 'en' }, { acceptLanguage: null }, false],
    [{ type: 'language', op: 'is_not', value: 'en' }, {}, true],
    [{ type: 'country', value: 'AT' }, {}, true],
    [{ type: 'country', value: 'de,ch' }, {}, false],
    [{ type: 'country', value: 'de' }, { country: null }, false],
    [{ type: 'country', op: 'is_not', value: 'de' }, {}, true],
    [{ type: 'time', op: 'after', value: '2026-12-03T12:00:00Z' }, {}, true],
    [{ type: 'time', op: 'after', value: '2026-12-03T12:00:01Z' }, {}, false],
    [{ type: 'time', op: 'before', value: '2026-12-03T12:00:00Z' }, {}, false],
    [{ type: 'time', op: 'before', value: '2026-12-03T13:00:00+01:00' }, {}, false],
    [{ type: 'time', op: 'before', value: '2026-12-03T13:00:01+01:00' }, {}, true],
    [{ type: 'query', value: 'ref=news' }, {}, true],
    [{ type: 'query', value: 'ref=mail' }, {}, false],
    [{ type: 'query', op: 'present', value: 'x' }, {}, true],
    [{ type: 'query', op: 'present', value: 'y' }, {}, false],
    [{ type: 'query', value: 'ref=news' }, { search: null }, false],
  ])('%o with %o → %s', (condition, over, expected) => {
    expect(conditionProblem(condition)).toBeNull();
    expect(holds(condition, facts(over))).toBe(expected);
  });

  it('combines conditions with AND', () => {
    const conditions = [
      { type: 'os', value: 'ios' },
      { type: 'country', value: 'at' },
      { type: 'language', value: 'de' },
    ].map(compileCondition);
    expect(conditionsHold(conditions, facts())).toBe(true);
    expect(conditionsHold(conditions, facts({ country: 'DE' }))).toBe(false);
    expect(conditionsHold(conditions, facts({ os: 'Android' }))).toBe(false);
    expect(conditionsHold(conditions, facts({ acceptLanguage: 'en-US' }))).toBe(false);
  });

  it('parses the agent only when a device or OS condition asks', () => {
    let parsed = 0;
    const f = { ...facts(), agent: () => (parsed++, { deviceClass: 'mobile', os: 'iOS' }) };
    conditionsHold([compileCondition({ type: 'country', value: 'at' })], f);
    expect(parsed).toBe(0);
    conditionsHold([compileCondition({ type: 'os', value: 'ios' })], f);
    expect(parsed).toBe(1);
  });
});

describe('validation', () => {
  it.each([
    [{ type: 'weather', value: 'sunny' }, 'unknown condition type "weather" (one of device, os, language, country, time, query)'],
    [{ type: 'device', op: 'after', value: 'mobile' }, 'condition device takes op is or is_not, not "after"'],
    [{ type: 'device', value: 'phone' }, 'device "phone" is not one of mobile, tablet, desktop'],
    [{ type: 'os', value: 'symbian' }, 'os "symbian" is not one of ios, android, windows, macos, linux, chromeos'],
    [{ type: 'language', value: 'german' }, 'language "german" is not a language tag such as de or en-gb'],
    [{ type: 'country', value: 'AUT' }, 'country "aut" is not a two-letter country code such as DE'],
    [{ type: 'time', op: 'after', value: '2026-12-24' }, 'time "2026-12-24" is not an ISO-8601 date-time with zone, such as 2026-12-24T18:00:00Z'],
    [{ type: 'query', value: 'ref' }, 'query condition with op equals takes "name=value", not "ref"'],
    [{ type: 'country', value: ' , ' }, 'condition country needs a value'],
  ])('refuses %o', (condition, message) => {
    expect(conditionProblem(condition)).toBe(message);
  });

  it('refuses variants with non-positive weights, bad destinations, one arm, or a label twice', () => {
    const a = { destination: 'https://a.example/', weight: 1 };
    expect(variantsProblem([a, { destination: 'https://b.example/', weight: 0 }], 'variants')).toBe('variants: variant 2 weight must be a positive number');
    expect(variantsProblem([a, { destination: 'https://b.example/', weight: -2 }], 'variants')).toBe('variants: variant 2 weight must be a positive number');
    expect(variantsProblem([a, { destination: 'ftp://b.example/', weight: 1 }], 'variants')).toBe(
      'variants: variant 2 destination must be an http or https URL',
    );
    expect(variantsProblem([a], 'variants')).toBe('variants needs at least 2 variants (or none)');
    expect(
      variantsProblem(
        [
          { ...a, label: 'x' },
          { ...a, label: 'x' },
        ],
        'variants',
      ),
    ).toBe('variants: variant label "x" is used twice');
    expect(variantsProblem([a, { ...a, label: 'A' }], 'variants')).toBe('variants: variant label "A" is used twice');
  });

  it('refuses rules without conditions, with a bad destination, or a label twice', () => {
    const rule = { destination: 'https://a.example/', conditions: [{ type: 'os', value: 'ios' }] };
    expect(rulesProblem([rule, { ...rule, conditions: [] }])).toBe('rule 2 needs at least one condition');
    expect(rulesProblem([{ ...rule, destination: 'javascript:alert(1)' }])).toBe('rule 1 destination must be an http or https URL');
    expect(rulesProblem([rule, { ...rule, conditions: [{ type: 'moon', value: 'full' }] }])).toBe(
      'rule 2: unknown condition type "moon" (one of device, os, language, country, time, query)',
    );
    expect(
      rulesProblem([
        { ...rule, label: 'ios' },
        { ...rule, label: 'ios' },
      ]),
    ).toBe('rule label "ios" is used twice');
    expect(rulesProblem([rule, { ...rule, variants: [{ destination: 'https://b.example/', weight: 1 }] }])).toBe('rule 2 needs at least 2 variants (or none)');
    expect(rulesProblem([rule, rule])).toBeNull();
  });
});

describe('order and fallthrough', () => {
  const routing = compileRouting(
    {
      rules: [
        { destination: 'https://apps.apple.com/app/id1', conditions: [{ type: 'os', value: 'ios' }], label: 'iOS store' },
        { destination: 'https://shop.example/de', conditions: [{ type: 'language', value: 'de' }] },
        { destination: 'https://shop.example/never', conditions: [{ type: 'os', value: 'ios' }] },
      ],
      variants: null,
      maxClicks: null,
      fallbackUrl: null,
    },
    { utm_source: 'flyer', utm_medium: 'qr', utm_campaign: 'xmas' },
  )!;
  const route = (f: VisitFacts) => routeVisit(routing, 'https://shop.example/?utm_source=flyer', f, 'v1', 'lnk1');

  it('takes the first rule that matches, with the UTM merge on its destination', () => {
    expect(route(facts())).toEqual({
      url: 'https://apps.apple.com/app/id1?utm_source=flyer&utm_medium=qr&utm_campaign=xmas',
      rule: 'iOS store',
      variant: null,
    });
  });

  it('falls through to the next rule, then to the default destination', () => {
    expect(route(facts({ os: 'Android' }))).toEqual({
      url: 'https://shop.example/de?utm_source=flyer&utm_medium=qr&utm_campaign=xmas',
      rule: 'rule 2',
      variant: null,
    });
    expect(route(facts({ os: 'Android', acceptLanguage: 'en' }))).toEqual({ url: 'https://shop.example/?utm_source=flyer', rule: null, variant: null });
  });

  it('is nothing for a link without rules, variants, cap or fallback', () => {
    expect(compileRouting({ rules: null, variants: null, maxClicks: null, fallbackUrl: null }, {})).toBeNull();
  });
});

describe('A/B split', () => {
  it('splits 1,000 visitors within ±5 % of the weights (70/30) and keeps each visitor on its variant', () => {
    const counts = [0, 0];
    for (let i = 0; i < 1000; i++) {
      const visitor = `v_01JDQ${String(i).padStart(21, '0')}`;
      const pick = pickVariant([7, 3], visitor, 'lnk_01JDQ0000000000000000000AB');
      counts[pick]++;
      expect(pickVariant([7, 3], visitor, 'lnk_01JDQ0000000000000000000AB')).toBe(pick);
    }
    expect(Math.abs(counts[0] - 700)).toBeLessThanOrEqual(50);
    expect(Math.abs(counts[1] - 300)).toBeLessThanOrEqual(50);
    expect(counts[0] + counts[1]).toBe(1000);
  });

  it('splits an equal three-way split within ±5 %', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[pickVariant([1, 1, 1], `visitor-${i}`, 'lnk_x')]++;
    for (const count of counts) expect(Math.abs(count - 333)).toBeLessThanOrEqual(50);
  });

  it('hashes to fractions in [0, 1)', () => {
    for (let i = 0; i < 200; i++) {
      const f = stickyFraction(`k${i}`);
      expect(f >= 0 && f < 1).toBe(true);
    }
  });

  it('names variants by label, else A, B …, on a rule and on the link', () => {
    const routing = compileRouting(
      {
        rules: [
          {
            destination: 'https://x.example/',
            conditions: [{ type: 'country', value: 'at' }],
            variants: [
              { destination: 'https://x.example/a', weight: 1, label: 'red' },
              { destination: 'https://x.example/b', weight: 1e-9 },
            ],
          },
        ],
        variants: [
          { destination: 'https://y.example/a', weight: 1e-9 },
          { destination: 'https://y.example/b', weight: 1 },
        ],
        maxClicks: null,
        fallbackUrl: null,
      },
      {},
    )!;
    expect(routeVisit(routing, 'https://d.example/', facts(), 'v1', 'l1')).toEqual({ url: 'https://x.example/a', rule: 'rule 1', variant: 'red' });
    expect(routeVisit(routing, 'https://d.example/', facts({ country: 'DE' }), 'v1', 'l1')).toEqual({ url: 'https://y.example/b', rule: null, variant: 'B' });
  });
});

describe('significance verdict (two-sided two-proportion z-test, pooled, α = 0.05)', () => {
  it('finds 13 % against 10 % of 1,000 visitors each significant', () => {
    // By hand: pA = 100/1000 = 0.10, pB = 130/1000 = 0.13, pooled p = 230/2000 = 0.115;
    // SE = sqrt(0.115 × 0.885 × (1/1000 + 1/1000)) = sqrt(0.101775 × 0.002) = sqrt(0.00020355) = 0.014267;
    // z = (0.13 − 0.10) / 0.014267 = 2.1027 → 2.10; p = 2 × (1 − Φ(2.1027)) = 2 × 0.017744 = 0.0355 → 0.035 < 0.05.
    expect(
      compareArms([
        { visitors: 1000, conversions: 100 },
        { visitors: 1000, conversions: 130 },
      ]),
    ).toEqual([
      { verdict: 'control', z: null, pValue: null },
      { verdict: 'significant', z: 2.1, pValue: 0.035 },
    ]);
  });

  it('finds the same rates on 200 visitors each not significant', () => {
    // By hand: pooled p = 46/400 = 0.115; SE = sqrt(0.101775 × (1/200 + 1/200)) = sqrt(0.00101775) = 0.031902;
    // z = 0.03 / 0.031902 = 0.9404 → 0.94; p = 2 × (1 − Φ(0.9404)) = 2 × 0.173513 = 0.3470 → 0.347.
    expect(
      compareArms([
        { visitors: 200, conversions: 20 },
        { visitors: 200, conversions: 26 },
      ])[1],
    ).toEqual({ verdict: 'not_significant', z: 0.94, pValue: 0.347 });
  });

  it('finds a worse arm significant with a negative z', () => {
    // By hand: pA = 0.13, pB = 0.10 → z = −2.1027 → −2.10, p = 0.035 (symmetric).
    expect(
      compareArms([
        { visitors: 1000, conversions: 130 },
        { visitors: 1000, conversions: 100 },
      ])[1],
    ).toEqual({ verdict: 'significant', z: -2.1, pValue: 0.035 });
  });

  it(`says "not enough data yet" below ${MIN_VISITORS_PER_VARIANT} visitors in an arm`, () => {
    expect(
      compareArms([
        { visitors: 99, conversions: 10 },
        { visitors: 500, conversions: 200 },
      ])[1],
    ).toEqual({ verdict: 'not_enough_data', z: null, pValue: null });
    expect(
      compareArms([
        { visitors: 100, conversions: 0 },
        { visitors: 100, conversions: 0 },
      ])[1],
    ).toEqual({ verdict: 'not_significant', z: 0, pValue: 1 });
  });
});
