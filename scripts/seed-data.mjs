// Generates a realistic Touchpoint dataset in memory: campaigns, links across every
// channel, touches (device mix, bots, returning visitors, scans and code entries),
// conversions (~5 % of touches; leads and sales in EUR/USD; customers on two devices)
// with credits under all five models, computed by the Worker's own attribution module,
// and a USD → EUR exchange rate for every day.
import { createHmac, randomBytes } from 'node:crypto';

const DAY = 86_400_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Deterministic PRNG (mulberry32), so a size always gives the same dataset. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function idFor(prefix, ms, random) {
  let time = '';
  for (let i = 0, m = ms; i < 10; i++, m = Math.floor(m / 32)) time = CROCKFORD[m % 32] + time;
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(random() * 32)];
  return `${prefix}_${time}${tail}`;
}

const LINK_TEMPLATES = [
  { kind: 'qr', channel: 'offline', utm_source: 'flyer', utm_medium: 'print', type: 'scan', share: 0.16 },
  { kind: 'email', channel: 'email', utm_source: 'newsletter', utm_medium: 'email', type: 'click', share: 0.18 },
  { kind: 'link', channel: 'mobile', utm_source: 'sms', utm_medium: 'sms', type: 'click', share: 0.1 },
  { kind: 'link', channel: 'social', utm_source: 'instagram', utm_medium: 'social', type: 'click', share: 0.16 },
  { kind: 'referral', channel: 'referral', utm_source: 'friend', utm_medium: 'referral', type: 'click', share: 0.08 },
  { kind: 'link', channel: 'paid', utm_source: 'google', utm_medium: 'cpc', type: 'click', share: 0.12 },
  { kind: 'link', channel: 'display', utm_source: 'partner', utm_medium: 'banner', type: 'click', share: 0.06 },
  { kind: 'link', channel: 'search', utm_source: 'google', utm_medium: 'organic', type: 'click', share: 0.06 },
  { kind: 'link', channel: 'other', utm_source: 'blog', utm_medium: 'post', type: 'click', share: 0.04 },
  { kind: null, channel: 'offline', utm_source: null, utm_medium: null, type: 'code_entry', share: 0.04 },
];
const CAMPAIGN_NAMES = [
  'Spring Sale',
  'Summer Drop',
  'Back to School',
  'Black Friday',
  'Loyalty Club',
  'Frühjahrsputz, "Deluxe"',
  'Holiday Gifts',
  'New Store Opening',
];
const BOT_REASONS = ['user_agent', 'link_preview', 'email_scanner'];
/** Where visitors are (Cloudflare's country codes; a few unknown). */
const COUNTRIES = [
  { value: 'DE', share: 0.48 },
  { value: 'AT', share: 0.12 },
  { value: 'CH', share: 0.1 },
  { value: 'NL', share: 0.06 },
  { value: 'FR', share: 0.05 },
  { value: 'US', share: 0.07 },
  { value: 'GB', share: 0.05 },
  { value: null, share: 0.07 },
];
/** Referring hosts by channel; scans, typed codes, SMS and most mail apps send none. */
const REFERRERS = {
  social: [
    { value: 'l.instagram.com', share: 0.6 },
    { value: 'lm.facebook.com', share: 0.3 },
    { value: null, share: 0.1 },
  ],
  search: [
    { value: 'www.google.com', share: 0.8 },
    { value: 'www.bing.com', share: 0.15 },
    { value: 'duckduckgo.com', share: 0.05 },
  ],
  paid: [{ value: 'www.google.com', share: 1 }],
  display: [
    { value: 'news.partner.example', share: 0.7 },
    { value: 'blog.partner.example', share: 0.3 },
  ],
  other: [{ value: 'blog.shop.example', share: 1 }],
  email: [
    { value: 'mail.google.com', share: 0.25 },
    { value: null, share: 0.75 },
  ],
  referral: [
    { value: 'web.whatsapp.com', share: 0.4 },
    { value: null, share: 0.6 },
  ],
};

function pick(random, weighted) {
  let r = random() * weighted.reduce((s, w) => s + w.share, 0);
  for (const item of weighted) if ((r -= item.share) <= 0) return item;
  return weighted[weighted.length - 1];
}

/**
 * Builds the dataset. `attribution` and `sketch` are the bundled src/domain/attribution.ts
 * and src/domain/visitor-sketch.ts (a touch row stores its visitor's sketch slot).
 * Returns plain row objects keyed by table, in insertion order.
 */
export function generate({
  touches: touchCount,
  days = 30,
  end = Date.now(),
  seed = 42,
  hashSecret = 'seed',
  lookbackDays = 30,
  attribution,
  sketch,
  existing = null,
  run = 0,
}) {
  // Run 0 is the first demo dataset; later runs add to it with visitors, customers and
  // order ids of their own (v_S001…, cust-001-…, seed-001-…) so nothing collides with what is stored.
  const tag = run === 0 ? null : String(run).padStart(3, '0');
  const visitorPrefix = tag ? `S${tag}` : 'SEED';
  const customerRef = (n) => (tag ? `cust-${tag}-${n}` : `cust-${n}`);
  const orderId = (i) => (tag ? `seed-${tag}-${i}` : `seed-${i}`);
  const random = rng(seed);
  const start = end - days * DAY;
  const iso = (ms) => new Date(ms).toISOString();
  const createdAt = iso(start - DAY);
  // Reuses the demo campaigns and links already stored (`existing`); creates what is missing, on free slugs.
  const reused = { campaigns: 0, links: 0 };
  const takenSlugs = new Set(existing?.links.map((link) => link.slug) ?? []);
  const freeSlug = (wanted) => {
    let slug = wanted;
    for (let n = 2; takenSlugs.has(slug); n++) slug = `${wanted}-${n}`;
    takenSlugs.add(slug);
    return slug;
  };
  const allCampaigns = CAMPAIGN_NAMES.map((name, i) => {
    const stored = existing?.campaigns.find((c) => c.name === name);
    if (stored) return (reused.campaigns++, { ...stored, stored: true });
    return {
      id: idFor('cmp', start - DAY + i, random),
      name,
      utm_campaign: name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
      created_at: createdAt,
      updated_at: createdAt,
    };
  });
  const campaigns = allCampaigns.filter((c) => !c.stored);
  const links = [];
  const slots = [];
  allCampaigns.forEach((campaign, c) => {
    LINK_TEMPLATES.forEach((template, t) => {
      if (!template.kind) return void slots.push({ ...template, campaign_id: campaign.id, link_id: null, share: template.share / (c + 1) });
      const wanted = `${campaign.utm_campaign.slice(0, 20)}-${template.channel}-${t}`;
      const stored = existing?.links.find(
        (l) =>
          l.campaign_id === campaign.id && l.kind === template.kind && l.channel === template.channel && (l.slug === wanted || l.slug.startsWith(`${wanted}-`)),
      );
      if (stored) {
        reused.links++;
        return void slots.push({ ...template, campaign_id: campaign.id, link_id: stored.id, share: template.share / (c + 1) });
      }
      const id = idFor('lnk', start - DAY + c * 100 + t, random);
      links.push({
        id,
        campaign_id: campaign.id,
        slug: freeSlug(wanted),
        kind: template.kind,
        channel: template.channel,
        channel_set: 0,
        destination: 'https://shop.example/',
        utm_source: template.utm_source,
        utm_medium: template.utm_medium,
        created_at: createdAt,
        updated_at: createdAt,
      });
      slots.push({ ...template, campaign_id: campaign.id, link_id: id, share: template.share / (c + 1) });
    });
  });

  // Visitors: a population a third the size of the touches; popularity is skewed so some return often.
  const population = Math.max(10, Math.floor(touchCount / 3));
  const devices = Array.from({ length: population }, () => {
    const r = random();
    return r < 0.55 ? 'mobile' : r < 0.65 ? 'tablet' : 'desktop';
  });
  const visitorIds = Array.from({ length: population }, (_, i) => `v_${visitorPrefix}${String(i).padStart(22, '0')}`);
  const touches = [];
  const byVisitor = new Map();
  for (let i = 0; i < touchCount; i++) {
    const slot = pick(random, slots);
    const at = start + Math.floor(random() * days * DAY);
    const isBot = random() < 0.06;
    const v = Math.floor(population * random() ** 1.6);
    const touch = {
      id: idFor('tpc', at, random),
      type: slot.type,
      occurred_at: iso(at),
      campaign_id: slot.campaign_id,
      link_id: slot.link_id,
      channel: slot.channel,
      visitor_id: isBot ? `h_bot${Math.floor(random() * 1e9)}` : visitorIds[v],
      visitor_kind: isBot ? 'hash' : 'cookie',
      device_class: isBot ? 'bot' : devices[v],
      is_bot: isBot ? 1 : 0,
      bot_reason: isBot ? BOT_REASONS[Math.floor(random() * BOT_REASONS.length)] : null,
      utm_source: slot.utm_source,
      utm_medium: slot.utm_medium,
      country: pick(random, COUNTRIES).value,
      referrer_host: slot.type === 'click' && REFERRERS[slot.channel] ? pick(random, REFERRERS[slot.channel]).value : null,
    };
    touch.visitor_hll = sketch.sketchSlot(touch.visitor_id);
    touches.push(touch);
    if (!isBot) {
      const list = byVisitor.get(touch.visitor_id) ?? [];
      list.push(touch);
      byVisitor.set(touch.visitor_id, list);
    }
  }

  // Email opens (the open pixel): about three per human email click, a fifth of them by mail image proxies.
  const emailOpens = [];
  for (const touch of touches) {
    if (touch.channel !== 'email' || touch.is_bot || touch.type !== 'click') continue;
    for (let n = 0; n < 3; n++) {
      const at = Date.parse(touch.occurred_at) - Math.floor(random() * 6 * 3_600_000);
      const machine = random() < 0.2;
      emailOpens.push({
        id: idFor('opn', at, random),
        link_id: touch.link_id,
        campaign_id: touch.campaign_id,
        occurred_at: iso(Math.max(start, at)),
        is_machine: machine ? 1 : 0,
        machine_reason: machine ? 'image_proxy' : null,
        device_class: machine ? null : touch.device_class,
      });
    }
  }

  // Conversions: ~5 % of touches, in time order so stitching sees what came before.
  const human = touches.filter((t) => !t.is_bot);
  const planned = [];
  const conversionCount = Math.round(touchCount * 0.05);
  for (let i = 0; i < conversionCount && human.length > 0; i++) {
    const touch = human[Math.floor(random() * human.length)];
    const at = Math.min(end - 1000, Date.parse(touch.occurred_at) + Math.floor(random() * 3 * DAY));
    planned.push({ touch, at, r: random(), r2: random(), r3: random() });
  }
  planned.sort((a, b) => a.at - b.at);
  const identity = new Map(); // customer hash -> Set of visitors
  let salesSoFar = 0;
  const conversions = [],
    conversionVisitors = [],
    identityLinks = [],
    credits = [];
  planned.forEach(({ touch, at, r, r2, r3 }, i) => {
    const id = idFor('cnv', at, random);
    const isSale = r < 0.8;
    const value = isSale ? Math.round((5 + r2 * 295) * 100) / 100 : null;
    // A fifth of the sales (and always a run's second one) are in USD, so even a small demo has two currencies.
    const saleNo = isSale ? salesSoFar++ : -1;
    const currency = isSale ? (r3 < 0.2 || saleNo === 1 ? 'USD' : 'EUR') : null;
    // 60 % carry a customer ref; customers own two visitor ids (phone + laptop) half the time.
    const customerNo = r3 < 0.6 ? Math.floor(Number(touch.visitor_id.slice(6)) / 2) : null;
    const customerHash = customerNo === null ? null : createHmac('sha256', hashSecret).update(customerRef(customerNo)).digest('hex');
    const own = [touch.visitor_id];
    const visitors = new Set([...own, ...(customerHash ? (identity.get(customerHash) ?? []) : [])]);
    const candidates = attribution.selectCandidates(
      [...visitors]
        .flatMap((v) => byVisitor.get(v) ?? [])
        .map((t) => ({
          id: t.id,
          occurredAt: Date.parse(t.occurred_at),
          channel: t.channel,
          campaignId: t.campaign_id,
          linkId: t.link_id,
          deviceClass: t.device_class,
          isBot: false,
        })),
      at,
      lookbackDays,
    );
    const occurred = iso(at);
    conversions.push({
      id,
      type: isSale ? 'sale' : 'lead',
      order_id: orderId(i),
      click_id: touch.id,
      visitor_id: null,
      customer_hash: customerHash,
      value,
      currency,
      occurred_at: occurred,
      day: occurred.slice(0, 10),
      lookback_days: lookbackDays,
      created_at: occurred,
    });
    for (const v of visitors) conversionVisitors.push({ conversion_id: id, visitor_id: v });
    if (customerHash) {
      const set = identity.get(customerHash) ?? new Set();
      for (const v of own) if (!set.has(v)) identityLinks.push({ customer_hash: customerHash, visitor_id: v, created_at: occurred });
      own.forEach((v) => set.add(v));
      identity.set(customerHash, set);
    }
    // One row per candidate touch with its weight under every model (schema/0022_compact_storage.sql).
    const byModel = attribution.attributeAll(candidates, at, value);
    const touchesById = new Map([...visitors].flatMap((v) => byVisitor.get(v) ?? []).map((t) => [t.id, t]));
    byModel.linear.forEach((c, i) => {
      // The credited touch's origin, as the credits roll up by it (schema/0032; '' none, null without a touch).
      const origin = c.touchId === null ? null : touchesById.get(c.touchId);
      credits.push({
        conversion_id: id,
        position: c.position,
        touch_id: c.touchId,
        touch_at: c.touchAt === null ? null : iso(c.touchAt),
        channel: c.channel,
        campaign_id: c.campaignId,
        link_id: c.linkId,
        device_class: c.deviceClass,
        net: value,
        w_last_touch: byModel.last_touch[i].weight,
        w_first_touch: byModel.first_touch[i].weight,
        w_linear: c.weight,
        w_time_decay: byModel.time_decay[i].weight,
        w_position: byModel.position[i].weight,
        country: origin ? (origin.country ?? '') : null,
        referrer_host: origin ? (origin.referrer_host ?? '') : null,
      });
    });
  });
  return {
    campaigns,
    links,
    touches,
    email_opens: emailOpens,
    conversions,
    conversion_visitors: conversionVisitors,
    identity_links: identityLinks,
    conversion_paths: credits,
    exchange_rates: usdRates(start - DAY, end),
    reused,
  };
}

/**
 * A USD → EUR rate for every day of the demo (and the day before it), gently
 * moving around 0.92, so the reports convert the demo's USD sales into the
 * default reporting currency.
 */
function usdRates(from, to) {
  const rates = [];
  for (let t = from, i = 0; t <= to; t += DAY, i++) {
    rates.push({
      base: 'EUR',
      currency: 'USD',
      day: new Date(t).toISOString().slice(0, 10),
      rate: Math.round((0.92 + 0.02 * Math.sin(i / 5)) * 10_000) / 10_000,
    });
  }
  return rates;
}

export const randomSecret = () => randomBytes(24).toString('base64url');
