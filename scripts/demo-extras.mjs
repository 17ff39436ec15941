// Demo extras that go through the Worker's own API once it answers (npm start, on a fresh
// database only): the bonus program (scripts/demo-loyalty.mjs), a printed code batch with
// redemptions, a promo code used at checkout, and tell-a-friend links with visits and a friend's
// first order — so no demo page is empty. Every request is a real one.
import { setUpProgram, useProgram } from './demo-loyalty.mjs';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Adds the extras to the demo campaigns on `base`; returns what it added. */
export async function addDemoExtras(base, token) {
  const api = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return path.endsWith('.csv') ? text : JSON.parse(text);
  };
  const campaigns = (await api('GET', '/api/v1/campaigns?limit=100')).data;
  const named = (name) => campaigns.find((campaign) => campaign.name === name);
  const spring = named('Spring Sale');
  const loyalty = named('Loyalty Club');
  if (!spring || !loyalty) return null;
  // The program first, so the pack codes, orders and referrals below earn points by themselves.
  const program = await setUpProgram(api, { spring, loyalty });

  // Pack codes: 60 printed, 14 entered by customers.
  const batch = await api('POST', '/api/v1/code-batches', { campaign_id: spring.id, count: 60, prefix: 'PACK', reward: 'Free coffee' });
  const codes = (await api('GET', `/api/v1/code-batches/${batch.id}/codes.csv`))
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[0]);
  // Entered by five club members, so some of them meet the three-packs challenge.
  for (const [i, code] of codes.slice(0, 14).entries()) await api('POST', '/api/v1/codes/redeem', { code, customer_ref: `cust-${1 + (i % 5)}` });

  // A promo code used on six orders, in euros and US dollars.
  await api('POST', '/api/v1/promo-codes', { campaign_id: spring.id, code: 'WELCOME10', discount: '10 % off the first order', max_per_customer: 1 });
  for (let i = 0; i < 6; i++) {
    await api('POST', '/api/v1/conversions', {
      type: 'sale',
      order_id: `demo-promo-${i}`,
      customer_ref: `cust-promo-${i}`,
      promo_code: 'WELCOME10',
      value: 39.9 + i * 12.5,
      currency: i % 3 === 2 ? 'USD' : 'EUR',
    });
  }

  // Tell-a-friend: three customers share their links; friends visit them on phones and laptops.
  let referralVisits = 0;
  let friendOrders = 0;
  for (const [n, customer] of ['cust-7', 'cust-12', 'cust-31'].entries()) {
    const referral = await api('POST', '/api/v1/referrals', { campaign_id: loyalty.id, customer_ref: customer, destination: 'https://shop.example/friends' });
    for (let v = 0; v < 4 - n; v++) {
      const visit = await fetch(referral.url.replace(/^https?:\/\/[^/]+/, base), {
        redirect: 'manual',
        headers: { 'User-Agent': v % 2 ? DESKTOP : PHONE, Accept: 'text/html', 'CF-Connecting-IP': `203.0.113.${10 + n * 10 + v}` },
      });
      referralVisits++;
      // The first friend of each referrer orders: the referrer and the friend earn their referral points.
      const click = v === 0 ? new URL(visit.headers.get('Location') ?? '', base).searchParams.get('tp_click') : null;
      if (click) {
        await api('POST', '/api/v1/conversions', {
          type: 'sale',
          order_id: `demo-friend-${n}`,
          click_id: click,
          customer_ref: `friend-${n}`,
          value: 45 + n * 10,
          currency: 'EUR',
        });
        friendOrders++;
      }
    }
  }
  const club = await useProgram(api, program);
  return { codes: codes.length, redeemed: 14, promoOrders: 6, referralVisits, friendOrders, ...club };
}
