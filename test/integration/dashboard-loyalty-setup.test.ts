/** `/loyalty/program` and `/loyalty/rules`: the bonus program set up from the browser, through the API's own rules. */
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { csrfOf, newBrowser, signedIn, signIn, visit, type Browser } from '../support/dashboard';

const page = async (browser: Browser, path: string) => (await visit(browser, 'GET', path)).text();
const post = async (browser: Browser, path: string, form: Record<string, string>, from = path) =>
  visit(browser, 'POST', path, { _csrf: csrfOf(await page(browser, from)), ...form });

const PROGRAM_FORM = {
  name: 'Bean Club',
  points_name: 'Beans',
  point_value: '0,01',
  currency: 'eur',
  pending_days: '14',
  expiry_days: '365',
  enrollment: 'automatic',
  referral_campaign_id: '',
  tier_name_0: 'Bronze',
  tier_min_0: '0',
  tier_multiplier_0: '1',
  tier_name_1: 'Gold',
  tier_min_1: '1500',
  tier_multiplier_1: '1,5',
  tier_name_2: '',
  tier_min_2: '',
  tier_multiplier_2: '',
};

describe('/loyalty/program', () => {
  it('is for admin sessions only', async () => {
    const reader = newBrowser();
    await signIn(reader, await makeKey(['reports:read', 'loyalty:read']));
    expect((await visit(reader, 'GET', '/loyalty/program')).status).toBe(403);
    expect((await visit(reader, 'GET', '/loyalty/rules')).status).toBe(403);
    const signedOut = await visit(newBrowser(), 'GET', '/loyalty/program');
    expect([signedOut.status, signedOut.headers.get('Location')]).toEqual([302, '/signin?next=%2Floyalty%2Fprogram']);
  });

  it('sets up the program with its tiers (decimal commas, lower-case currency), as the API then answers', async () => {
    const browser = await signedIn();
    const saved = await post(browser, '/loyalty/program', PROGRAM_FORM);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe('/loyalty/program?done=saved');
    expect(await json(await call('GET', '/api/v1/loyalty/program'))).toEqual({
      name: 'Bean Club',
      points_name: 'Beans',
      point_value: 0.01,
      currency: 'EUR',
      pending_days: 14,
      expiry_days: 365,
      tiers: [
        { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
        { name: 'Gold', min_points_12m: 1500, multiplier: 1.5 },
      ],
      enrollment: 'automatic',
      referral_campaign_id: null,
    });
    const html = await page(browser, '/loyalty/program?done=saved');
    expect(html).toContain('Program saved.');
    expect(html).toContain('name="tier_name_1" value="Gold"');
    expect(html).toContain('name="tier_multiplier_1" value="1.5"');
    // Two spare rows after the program's two tiers.
    expect(html).toContain('name="tier_name_3" value=""');
    expect(html).not.toContain('name="tier_name_4"');
  });

  it('shows what is wrong next to its field and changes nothing', async () => {
    const browser = await signedIn();
    expect((await post(browser, '/loyalty/program', PROGRAM_FORM)).status).toBe(303);
    const wrong = await post(browser, '/loyalty/program', { ...PROGRAM_FORM, name: 'Renamed', pending_days: 'soon', tier_min_1: '0' });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('id="f-pending_days-error"');
    expect(html).toContain('tiers must be strictly ascending by min_points_12m');
    expect(html).toContain('name="name" type="text" value="Renamed"');
    expect((await json(await call('GET', '/api/v1/loyalty/program'))).name).toBe('Bean Club');
  });
});

describe('/loyalty/rules', () => {
  it('adds a rule with conditions and caps, lists it in words, and archives it', async () => {
    const browser = await signedIn();
    expect((await post(browser, '/loyalty/program', PROGRAM_FORM, '/loyalty/program')).status).toBe(303);
    const added = await post(browser, '/loyalty/rules', {
      name: 'Tour bonus',
      kind: 'code_entry',
      points: '50',
      starts_at: '2026-12-01T00:00',
      ends_at: '2027-01-01T00:00',
      countries: 'at, ch',
      abc_A: 'on',
      tier_Gold: 'on',
      acq_offline: 'on',
      cap_day: '3',
      cap_total: '20',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('Location')).toBe('/loyalty/rules?done=saved');
    const rules = (await json(await call('GET', '/api/v1/loyalty/rules'))).data;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: 'Tour bonus',
      kind: 'code_entry',
      points: 50,
      starts_at: '2026-12-01T00:00:00.000Z',
      ends_at: '2027-01-01T00:00:00.000Z',
      place: { countries: ['AT', 'CH'] },
      segment: { abc: ['A'], tiers: ['Gold'], acquisition_channels: ['offline'] },
      cap_day: 3,
      cap_month: null,
      cap_total: 20,
      status: 'active',
    });
    const html = await page(browser, '/loyalty/rules?done=saved');
    expect(html).toContain('Rule saved.');
    expect(html).toContain(`data-rule="${rules[0].id}"`);
    expect(html).toContain('Pack code entered');
    expect(html).toContain('Austria, Switzerland');
    expect(html).toContain('3×/day, 20× in all');

    const archived = await post(browser, `/loyalty/rules/${rules[0].id}/archive`, {}, '/loyalty/rules');
    expect(archived.status).toBe(303);
    expect(archived.headers.get('Location')).toBe('/loyalty/rules?done=archived');
    expect((await json(await call('GET', `/api/v1/loyalty/rules/${rules[0].id}`))).status).toBe('archived');
    expect(await page(browser, '/loyalty/rules')).not.toContain(`data-rule="${rules[0].id}"`);
  });

  it('names a purchase rule per currency unit, and refuses a wrong rule next to its fields', async () => {
    const browser = await signedIn();
    expect((await post(browser, '/loyalty/rules', { name: 'Euro', kind: 'purchase', points: '2', currency: 'eur', min_order: '10' })).status).toBe(303);
    expect(await page(browser, '/loyalty/rules')).toContain('2 per EUR, from €10.00');
    const wrong = await post(browser, '/loyalty/rules', { name: 'Odd', kind: 'review', points: '1.5', countries: 'Germany' });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('id="f-points-error">must be a whole number');
    expect(html).toContain('must be an ISO 3166-1 alpha-2 code in capitals, like DE');
    expect((await json(await call('GET', '/api/v1/loyalty/rules'))).data.map((rule: { name: string }) => rule.name)).not.toContain('Odd');
  });
});

describe('/loyalty/challenges', () => {
  it('adds a challenge, lists it with how many met it, and archives it', async () => {
    const browser = await signedIn();
    const added = await post(browser, '/loyalty/challenges', {
      name: 'Five packs in December',
      description: 'Enter five pack codes',
      event_type: 'code_entry',
      goal: '5',
      bonus: '100',
      starts_at: '2026-12-01T00:00',
      ends_at: '2027-01-01T00:00',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('Location')).toBe('/loyalty/challenges?done=saved');
    const [challenge] = (await json(await call('GET', '/api/v1/loyalty/challenges'))).data;
    expect(challenge).toMatchObject({
      name: 'Five packs in December',
      description: 'Enter five pack codes',
      event_type: 'code_entry',
      event_name: null,
      goal: 5,
      bonus: 100,
      starts_at: '2026-12-01T00:00:00.000Z',
      ends_at: '2027-01-01T00:00:00.000Z',
    });
    const html = await page(browser, '/loyalty/challenges?done=saved');
    expect(html).toContain('Challenge saved.');
    const row = new RegExp(`data-challenge="${challenge.id}">.*?data-col="goal">([^<]+)<.*?data-col="completed">([^<]+)<`, 's').exec(html);
    expect([row?.[1], row?.[2]]).toEqual(['5× Pack code entered', '0']);
    const archived = await post(browser, `/loyalty/challenges/${challenge.id}/archive`, {}, '/loyalty/challenges');
    expect(archived.headers.get('Location')).toBe('/loyalty/challenges?done=archived');
    expect(await page(browser, '/loyalty/challenges')).not.toContain(`data-challenge="${challenge.id}"`);
  });

  it('refuses a period that ends before it starts, next to its field', async () => {
    const browser = await signedIn();
    const wrong = await post(browser, '/loyalty/challenges', {
      name: 'Backwards',
      event_type: 'review',
      goal: '1',
      bonus: '10',
      starts_at: '2026-12-10T00:00',
      ends_at: '2026-12-01T00:00',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('id="f-ends_at-error">must be after starts_at');
    expect((await json(await call('GET', '/api/v1/loyalty/challenges'))).data.map((c: { name: string }) => c.name)).not.toContain('Backwards');
  });
});

describe('/loyalty/rewards', () => {
  it('adds a perk and a discount, lists stock and limits, and withdraws one', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign({ name: 'Club vouchers' });
    const perk = await post(browser, '/loyalty/rewards', { name: 'Tasting', kind: 'perk', cost: '300', stock: '20', per_member_limit: '1' });
    expect(perk.status).toBe(303);
    expect(perk.headers.get('Location')).toBe('/loyalty/rewards?done=saved');
    const voucher = await post(browser, '/loyalty/rewards', {
      name: 'Voucher',
      kind: 'discount',
      cost: '500',
      campaign_id: campaign.id,
      discount: '5 EUR',
      valid_days: '60',
    });
    expect(voucher.status).toBe(303);
    const rewards = (await json(await call('GET', '/api/v1/loyalty/rewards'))).data as Array<{ id: string; name: string }>;
    const byName = Object.fromEntries(rewards.map((reward) => [reward.name, reward]));
    expect(byName.Voucher).toMatchObject({ kind: 'discount', cost: 500, stock: null, campaign_id: campaign.id, discount: '5 EUR', valid_days: 60 });
    const html = await page(browser, '/loyalty/rewards?done=saved');
    const cells = (id: string) =>
      [...(new RegExp(`data-reward="${id}">(.*?)</tr>`, 's').exec(html)?.[1] ?? '').matchAll(/data-col="([a-z-]+)">([^<]*)</g)].map((m) => `${m[1]}=${m[2]}`);
    expect(cells(byName.Tasting.id)).toEqual(['kind=Perk', 'cost=300', 'stock=20 of 20', 'redeemed=0', 'per-member=1']);
    expect(cells(byName.Voucher.id)).toEqual(['kind=Discount (promo code): 5 EUR', 'cost=500', 'stock=unlimited', 'redeemed=0', 'per-member=–']);
    const withdrawn = await post(browser, `/loyalty/rewards/${byName.Tasting.id}/archive`, {}, '/loyalty/rewards');
    expect(withdrawn.headers.get('Location')).toBe('/loyalty/rewards?done=archived');
    expect(await page(browser, '/loyalty/rewards')).not.toContain(`data-reward="${byName.Tasting.id}"`);
  });

  it('refuses a discount without its campaign, next to the form', async () => {
    const browser = await signedIn();
    const wrong = await post(browser, '/loyalty/rewards', { name: 'No campaign', kind: 'discount', cost: '100', discount: '10 %' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('campaign_id');
    expect((await json(await call('GET', '/api/v1/loyalty/rewards'))).data.map((r: { name: string }) => r.name)).not.toContain('No campaign');
  });
});
