/**
 * The channel rule table from docs/DESIGN.md: ordered rules, first match wins.
 * Rules are data; `resolveChannel` is the only code that reads them.
 */
import type { Channel, LinkKind, TouchType } from './vocab';

export interface ChannelInput {
  touchType: TouchType;
  linkKind?: LinkKind | null;
  utmMedium?: string | null;
  utmSource?: string | null;
}

interface ChannelRule {
  channel: Channel;
  /** What the README's rule table says this rule matches. */
  description: string;
  touchTypes?: readonly TouchType[];
  linkKinds?: readonly LinkKind[];
  mediums?: readonly string[];
  sources?: readonly string[];
  /** Substrings that, found in medium or source, match (for email's spelling variants). */
  mediumOrSourceContains?: readonly string[];
}

/** Sources that are social networks even when the medium says nothing. */
export const SOCIAL_SOURCES = [
  'facebook',
  'fb',
  'instagram',
  'ig',
  'twitter',
  'x',
  't.co',
  'linkedin',
  'xing',
  'tiktok',
  'pinterest',
  'youtube',
  'reddit',
  'snapchat',
  'threads',
  'mastodon',
  'bluesky',
  'tumblr',
  'vk',
  'telegram',
  'discord',
] as const;

export const CHANNEL_RULES: readonly ChannelRule[] = [
  {
    channel: 'offline',
    description: 'touch type scan or code_entry, or an offline medium',
    touchTypes: ['scan', 'code_entry'],
    mediums: ['qr', 'print', 'flyer', 'packaging', 'poster', 'outdoor', 'offline', 'coupon', 'direct-mail', 'tv', 'radio'],
  },
  {
    channel: 'referral',
    description: 'link kind referral, or a referral medium',
    linkKinds: ['referral'],
    mediums: ['referral', 'tell-a-friend', 'taf'],
  },
  {
    channel: 'email',
    description: 'medium or source matching email, e-mail, e_mail, newsletter',
    mediumOrSourceContains: ['email', 'e-mail', 'e_mail', 'newsletter'],
  },
  {
    channel: 'mobile',
    description: 'a mobile medium',
    mediums: ['sms', 'mms', 'push', 'app', 'in-app', 'mobile', 'whatsapp'],
  },
  {
    channel: 'social',
    description: 'a social medium, or a known social source',
    mediums: ['social', 'social-network', 'social-media', 'sm'],
    sources: SOCIAL_SOURCES,
  },
  { channel: 'paid', description: 'a paid-search medium', mediums: ['cpc', 'ppc', 'paid', 'paidsearch'] },
  { channel: 'display', description: 'a display medium', mediums: ['display', 'banner', 'cpm'] },
  { channel: 'search', description: 'medium organic', mediums: ['organic'] },
];

const clean = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();

function matches(rule: ChannelRule, input: ChannelInput, medium: string, source: string): boolean {
  if (rule.touchTypes?.includes(input.touchType)) return true;
  if (input.linkKind && rule.linkKinds?.includes(input.linkKind)) return true;
  if (medium && rule.mediums?.includes(medium)) return true;
  if (source && rule.sources?.includes(source)) return true;
  return rule.mediumOrSourceContains?.some((word) => medium.includes(word) || source.includes(word)) ?? false;
}

/** The channel of a touch, by the first rule that matches; `other` when none does. */
export function resolveChannel(input: ChannelInput): Channel {
  const medium = clean(input.utmMedium);
  const source = clean(input.utmSource);
  return CHANNEL_RULES.find((rule) => matches(rule, input, medium, source))?.channel ?? 'other';
}
