// The demo's bonus program, set up and used through the Worker's own API (npm start, fresh database only):
// a program with tiers, earning rules for purchases, pack codes, reviews, surveys, referrals and sign-ups,
// two rewards, a challenge and a prize draw. `setUpProgram` runs before the other extras, so their pack
// codes, orders and referrals earn points by themselves; `useProgram` adds members' own activity after.

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();

/** Program, rules, rewards, challenge and draw; returns what the later steps need. */
export async function setUpProgram(api, { spring, loyalty }) {
  await api('PUT', '/api/v1/loyalty/program', {
    name: 'Bean Club',
    points_name: 'Beans',
    point_value: 0.01,
    currency: 'EUR',
    pending_days: 14,
    expiry_days: 365,
    tiers: [
      { name: 'Bronze', min_points_12m: 0, multiplier: 1 },
      { name: 'Silver', min_points_12m: 500, multiplier: 1.25 },
      { name: 'Gold', min_points_12m: 1500, multiplier: 1.5 },
    ],
    enrollment: 'automatic',
    referral_campaign_id: loyalty.id,
  });
  const rules = [
    { name: '1 Bean per euro', kind: 'purchase', points: 1, currency: 'EUR', min_order: 10 },
    { name: 'Pack code', kind: 'code_entry', points: 50, cap_day: 5 },
    { name: 'Tour stop bonus (Austria)', kind: 'code_entry', points: 50, place: { countries: ['AT'] } },
    { name: 'Product review', kind: 'review', points: 20, cap_month: 4 },
    { name: 'Taste survey', kind: 'survey', points: 30, cap_total: 3 },
    { name: 'Friend bought', kind: 'referral', points: 200 },
    { name: 'Welcome, friend', kind: 'referral_welcome', points: 100 },
    { name: 'Joined the club', kind: 'signup', points: 50, cap_total: 1 },
    { name: 'Newsletter opt-in', kind: 'custom', event_name: 'newsletter_opt_in', points: 25, cap_total: 1 },
  ];
  for (const rule of rules) await api('POST', '/api/v1/loyalty/rules', rule);
  const perk = await api('POST', '/api/v1/loyalty/rewards', {
    name: 'Early tasting invitation',
    description: 'Taste next season’s roast before anyone else',
    kind: 'perk',
    cost: 300,
    stock: 20,
    per_member_limit: 1,
  });
  const voucher = await api('POST', '/api/v1/loyalty/rewards', {
    name: '€5 voucher',
    kind: 'discount',
    cost: 500,
    campaign_id: loyalty.id,
    discount: '5 EUR off',
    valid_days: 60,
  });
  const now = Date.now();
  const monthStart = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1)).getTime();
  await api('POST', '/api/v1/loyalty/challenges', {
    name: 'Three packs this month',
    description: 'Enter three pack codes this month for 100 bonus Beans',
    event_type: 'code_entry',
    goal: 3,
    bonus: 100,
    starts_at: iso(monthStart),
    ends_at: iso(monthStart + 32 * DAY),
  });
  await api('POST', '/api/v1/loyalty/challenges', {
    name: 'First review',
    event_type: 'review',
    goal: 1,
    bonus: 40,
    starts_at: iso(now - 30 * DAY),
    ends_at: iso(now + 60 * DAY),
  });
  const draw = await api('POST', '/api/v1/draws', {
    name: 'Espresso machine draw',
    source: 'code_entries',
    campaign_id: spring.id,
    starts_at: iso(now - DAY),
    ends_at: iso(now + 14 * DAY),
    prizes: 3,
    max_entries_per_member: 5,
  });
  return { perk, voucher, draw };
}

/** Members join, review, answer a survey, opt in and redeem; one order is partly refunded. */
export async function useProgram(api, { perk }) {
  let events = 0;
  const post = async (type, customer, key, extra = {}) => {
    await api('POST', '/api/v1/loyalty/events', { type, customer_ref: customer, idempotency_key: key, ...extra });
    events++;
  };
  for (let n = 1; n <= 24; n++) await post('signup', `cust-${n}`, `demo-signup-${n}`);
  for (let n = 1; n <= 12; n++) await post('review', `cust-${n}`, `demo-review-${n}`);
  for (let n = 2; n <= 9; n += 1) await post('survey', `cust-${n}`, `demo-survey-${n}`);
  for (let n = 1; n <= 6; n++) await post('custom', `cust-${n}`, `demo-optin-${n}`, { name: 'newsletter_opt_in' });
  // Orders by members: purchase points wait out the 14-day return window.
  const orders = [];
  for (let n = 1; n <= 8; n++) {
    orders.push(
      await api('POST', '/api/v1/conversions', { type: 'sale', order_id: `demo-club-${n}`, customer_ref: `cust-${n}`, value: 24 + n * 9.5, currency: 'EUR' }),
    );
  }
  // The last of them comes partly back: its revenue and points shrink by that share.
  await api('POST', `/api/v1/conversions/${orders[7].id}/refund`, { amount: 30, refund_id: 'demo-refund-1' });
  let redemptions = 0;
  for (const customer of ['cust-1', 'cust-2']) {
    await api('POST', `/api/v1/loyalty/rewards/${perk.id}/redeem`, { customer_ref: customer });
    redemptions++;
  }
  return { events, redemptions };
}
