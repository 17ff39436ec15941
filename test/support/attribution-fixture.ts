/** The hand-computed journey of issue 4, stored with exact timestamps through the touch repository. */
import { env } from 'cloudflare:workers';
import { createDb } from '../../src/db/client';
import type { NewTouch } from '../../src/db/schema';
import { insertTouches } from '../../src/db/touches';
import { makeCampaign, makeLink } from '../helpers';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** Day 0 at 10:00 UTC on 1 March of `year`; tests that read reports use a year of their own (storage is shared). */
export function clockOf(year: number) {
  const t0 = Date.UTC(year, 2, 1, 10);
  const at = (days: number): number => t0 + days * DAY;
  return { at, iso: (days: number): string => new Date(at(days)).toISOString(), date: (days: number) => new Date(at(days)).toISOString().slice(0, 10) };
}
export type Clock = ReturnType<typeof clockOf>;
export const { at, iso } = clockOf(2026);

export const db = () => createDb(env.DB);

let seq = 0;
/** A touch row with defaults; override what the test is about. */
export function touchRow(fields: Partial<NewTouch> & { occurred_at: string; channel: NewTouch['channel'] }): NewTouch {
  seq += 1;
  return {
    id: `tpc_FIXTURE${String(seq).padStart(6, '0')}${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    type: 'click',
    campaign_id: null,
    link_id: null,
    visitor_id: null,
    visitor_kind: 'cookie',
    device_class: 'desktop',
    is_bot: 0,
    bot_reason: null,
    os: null,
    browser: null,
    country: null,
    region: null,
    city: null,
    referrer_host: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    ...fields,
  };
}

export async function storeTouches(rows: NewTouch[]): Promise<void> {
  await insertTouches(db(), rows);
}

export interface Journey {
  campaignId: string;
  emailLink: string;
  qrLink: string;
  referralLink: string;
  visitor: string;
  email: NewTouch;
  scan: NewTouch;
  referral: NewTouch;
  bot: NewTouch;
}

/**
 * email click (day 0, desktop) → offline scan (day 10, mobile) → referral click
 * (day 20, mobile), one visitor; plus a bot click on day 20 that must earn nothing.
 */
export async function storeJourney(name = 'Spring Sale', clock: Clock = clockOf(2026)): Promise<Journey> {
  const { iso } = clock;
  const campaign = await makeCampaign({ name });
  const emailLink = (await makeLink({ campaign_id: campaign.id, kind: 'email', utm_medium: 'email', utm_source: 'newsletter' })).id;
  const qrLink = (await makeLink({ campaign_id: campaign.id, kind: 'qr', utm_medium: 'flyer' })).id;
  const referralLink = (await makeLink({ campaign_id: campaign.id, kind: 'referral' })).id;
  const visitor = `v_JOURNEY${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  const base = { campaign_id: campaign.id, visitor_id: visitor };
  const email = touchRow({ ...base, link_id: emailLink, channel: 'email', occurred_at: iso(0) });
  const scan = touchRow({ ...base, link_id: qrLink, channel: 'offline', type: 'scan', device_class: 'mobile', occurred_at: iso(10) });
  const referral = touchRow({ ...base, link_id: referralLink, channel: 'referral', device_class: 'mobile', occurred_at: iso(20) });
  const bot = touchRow({ ...base, link_id: emailLink, channel: 'email', device_class: 'bot', is_bot: 1, bot_reason: 'email_scanner', occurred_at: iso(20.5) });
  await storeTouches([email, scan, referral, bot]);
  return { campaignId: campaign.id, emailLink, qrLink, referralLink, visitor, email, scan, referral, bot };
}

/** Time-decay weights of the journey, by hand: 2^(−Δdays/7), normalised. */
export const DECAY = (() => {
  const raw = [2 ** (-21 / 7), 2 ** (-11 / 7), 2 ** (-1 / 7)];
  const total = raw[0] + raw[1] + raw[2];
  return raw.map((w) => w / total);
})();
