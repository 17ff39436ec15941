/** The member's wallet page behind a signed link: what it shows, in one D1 round trip, redeeming by form, revoked links. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAtomically } from '../../src/db/client';
import { credit, pend } from '../../src/db/loyalty-ledger';
import type { Bindings } from '../../src/env';
import { customerHashOf } from '../../src/lib/customer';
import { call, json, makeCampaign } from '../helpers';
import { setProgram } from '../support/loyalty';
import { db, memberRow, memberWith } from '../support/loyalty-members';
import { roundTripDb } from '../support/round-trips';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const now = () => NOW;

let referralCampaign: string;
let rewardCampaign: string;
beforeAll(async () => {
  referralCampaign = (await makeCampaign({ name: 'Friends', landing_url: 'https://shop.example/welcome' })).id;
  rewardCampaign = (await makeCampaign({ name: 'Club rewards' })).id;
  await setProgram({
    referral_campaign_id: referralCampaign,
    tiers: [
      { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      { name: 'Silver', min_points_12m: 500, multiplier: 1.25 },
      { name: 'Gold', min_points_12m: 2000, multiplier: 1.5 },
    ],
  });
  await env.DB.prepare(
    `INSERT INTO loyalty_challenges (id, name, description, event_type, goal, bonus, starts_at, ends_at, created_at)
     VALUES ('chl_dec', 'Five pack codes in December', NULL, 'code_entry', 5, 50, '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2026-11-20T00:00:00.000Z')`,
  ).run();
});

async function reward(fields: Record<string, unknown>) {
  return json(await call('POST', '/api/v1/loyalty/rewards', { body: { kind: 'perk', name: 'Perk', cost: 100, ...fields }, now }));
}

/** A member with 1 550 points (300 of them this year), 40 pending, two code entries in December, and their wallet path. */
async function walletMember() {
  const customer = `wallet-${crypto.randomUUID()}`;
  const member = await memberWith(customer, 1250, '2025-11-10T00:00:00.000Z');
  await runAtomically(
    db(),
    credit(
      db(),
      { memberId: member },
      { id: `led_w_${member}_1`, kind: 'earn', source: 'code_entry', amount: 300, at: '2026-12-01T09:00:00.000Z', expiresAt: null },
    ),
  );
  await runAtomically(
    db(),
    pend(
      db(),
      { memberId: member },
      { id: `led_w_${member}_2`, source: 'purchase', amount: 40, at: '2026-12-01T10:00:00.000Z', availableAt: '2026-12-15T10:00:00.000Z' },
    ),
  );
  for (const n of [1, 2]) {
    await env.DB.prepare(
      `INSERT INTO loyalty_events (id, idempotency_key, member_id, type, status, occurred_at, day) VALUES (?, ?, ?, 'code_entry', 'available', '2026-12-01T09:00:00.000Z', '2026-12-01')`,
    )
      .bind(`lev_${member}_${n}`, `key-${member}-${n}`, member)
      .run();
  }
  const link = await json(await call('POST', `/api/v1/loyalty/members/${encodeURIComponent(customer)}/wallet-link`));
  return { customer, member, path: new URL(link.wallet_url).pathname };
}

const page = (path: string, headers: Record<string, string> = {}, env?: Partial<Bindings>) => call('GET', path, { key: null, headers, now, env });

describe('the wallet page', () => {
  it('shows balance, money value, tier progress, rewards, the tell-a-friend link, challenges, the member card and history, in English', async () => {
    const cheap = await reward({ name: 'Coffee tasting', cost: 500 });
    const dear = await reward({ name: 'Factory tour', cost: 2000, stock: 3 });
    const { customer, member, path } = await walletMember();
    const response = await page(path, { 'Accept-Language': 'en-GB,en;q=0.8' });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(['cache-control', 'referrer-policy', 'x-robots-tag', 'content-language'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
      'content-language': 'en',
    });
    const html = await response.text();
    expect(html).toContain('<h1>Bean Club</h1>');
    expect(html).toContain('<p class="balance">1,550 Beans</p>');
    expect(html).toContain('worth €15.50');
    expect(html).toContain('40 Beans pending');
    // 300 points this year: Bronze, 200 short of Silver (500).
    expect(html).toContain('<h2 id="tier">Your tier: Bronze</h2>');
    expect(html).toContain('200 Beans more in 12 months to reach Silver');
    expect(html).toContain(`action="${path}/rewards/${cheap.id}/redeem?lang=en"`);
    expect(html).toContain('Redeem for 500 Beans');
    expect(html).not.toContain(`${dear.id}/redeem`);
    expect(html).toContain('450 Beans more needed');
    expect(html).toContain('3 left');
    expect(html).toContain('Five pack codes in December');
    expect(html).toContain('2 of 5 · until Dec 31, 2026');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="192"');
    expect(html).toContain(`<title>${member}</title>`);
    expect(html).toContain('Pending · purchase');
    expect(html).toContain('Earned · pack code');

    // The tell-a-friend link is the customer's referral of the program's campaign, made on first view.
    const hash = await customerHashOf(env as Bindings, customer);
    const referral = await env.DB.prepare('SELECT code FROM referrals WHERE campaign_id = ? AND referrer_hash = ?')
      .bind(referralCampaign, hash)
      .first<{ code: string }>();
    expect(html).toContain(`https://tp.test/r/${referral!.code}`);
    const again = await json(await call('POST', '/api/v1/referrals', { body: { campaign_id: referralCampaign, customer_ref: customer } }));
    expect(again.code).toBe(referral!.code);
  });

  it('speaks German by Accept-Language, and ?lang= overrides it', async () => {
    const { path } = await walletMember();
    const german = await page(path, { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(german.headers.get('content-language')).toBe('de');
    const html = await german.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('1.550 Beans');
    expect(html).toContain('im Wert von 15,50');
    expect(html).toContain('Noch 200 Beans in 12 Monaten bis Silver');
    const english = await (await page(`${path}?lang=en`, { 'Accept-Language': 'de' })).text();
    expect(english).toContain('<html lang="en">');
  });

  it('reads everything in one D1 round trip once the referral exists', async () => {
    const { path } = await walletMember();
    await page(path);
    const counting = roundTripDb();
    expect((await page(path, {}, { DB: counting.DB })).status).toBe(200);
    expect(counting.roundTrips()).toBe(1);
  });

  it('redeems a reward through its form and shows the promo code after the redirect', async () => {
    const discount = await reward({ kind: 'discount', name: '5 EUR off', cost: 1000, campaign_id: rewardCampaign, discount: '5 EUR' });
    const { member, path } = await walletMember();
    const response = await call('POST', `${path}/rewards/${discount.id}/redeem?lang=de`, {
      key: null,
      now,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      rawBody: '',
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}\\?lang=de&redeemed=rdm_[0-9A-Z]{26}$`));
    expect(await memberRow(member)).toMatchObject({ balance: 550, spent_total: 1000 });

    const html = await (await page(location)).text();
    const code = await env.DB.prepare(
      'SELECT v.code FROM loyalty_redemptions d JOIN promo_code_values v ON v.promo_code_id = d.promo_code_id WHERE d.member_id = ?',
    )
      .bind(member)
      .first<{ code: string }>();
    expect(html).toContain('Eingelöst: 5 EUR off');
    expect(html).toContain(`<p class="code">${code!.code}</p>`);
    expect(html).toContain('<p class="balance">550 Beans</p>');

    // Not enough left for a second one: the page says why.
    const second = await call('POST', `${path}/rewards/${discount.id}/redeem`, { key: null, now });
    expect(second.headers.get('location')).toBe(`${path}?lang=en&refused=insufficient_points`);
    expect(await (await page(second.headers.get('location')!)).text()).toContain('You do not have enough points for this reward.');
  });

  it('answers a clear page, not an error, for a revoked, forged or malformed link', async () => {
    const perk = await reward({ cost: 10 });
    const { customer, member, path } = await walletMember();
    await call('POST', `/api/v1/loyalty/members/${encodeURIComponent(customer)}/wallet-link/revoke`);

    const revoked = await page(path);
    expect(revoked.status).toBe(410);
    expect(revoked.headers.get('cache-control')).toBe('no-store');
    expect(await revoked.text()).toContain('This link is no longer valid');
    const post = await call('POST', `${path}/rewards/${perk.id}/redeem`, { key: null, now });
    expect(post.status).toBe(410);
    expect(await memberRow(member)).toMatchObject({ spent_total: 0 });

    const forged = path.replace(/\.2\.|\.1\./, '.3.');
    expect((await page(forged)).status).toBe(404);
    expect((await page(`${path.slice(0, -1)}${path.endsWith('0') ? '1' : '0'}`)).status).toBe(404);
    expect((await page('/w/not-a-token')).status).toBe(404);
    const german = await page('/w/not-a-token?lang=de');
    expect(await german.text()).toContain('Dieser Link ist nicht mehr gültig');
  });
});
