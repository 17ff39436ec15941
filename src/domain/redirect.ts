/** What the redirect needs of a link, prepared once per cache fill, and the Location it answers with. */
import { resolveChannel } from './channels';
import { compileRouting, type LinkRouting, type RoutingFields } from './link-routing';
import type { SocialPreview } from './social-preview';
import { buildTrackedUrl, CLICK_ID_PARAM, forwardableParams, setQueryParams, type UtmValues } from './utm';
import type { Channel, LinkKind, RecordStatus, TouchType } from './vocab';

export interface LinkForRedirect extends RoutingFields {
  id: string;
  campaignId: string;
  slug: string;
  kind: LinkKind;
  channel: Channel;
  channelSet: boolean;
  destination: string;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  forwardQuery: boolean;
  expiresAt: string | null;
  status: RecordStatus;
  /** The branded domain the slug lives on; null: the installation's own host. */
  domainId: string | null;
  /** What link-preview bots are shown instead of the redirect; null: they get the redirect too. */
  preview: SocialPreview | null;
}

export interface RedirectTarget {
  linkId: string;
  campaignId: string;
  kind: LinkKind;
  /** The marketer's explicit channel, or null to apply the rules per touch. */
  fixedChannel: Channel | null;
  utm: UtmValues;
  trackedUrl: string;
  forwardQuery: boolean;
  /** Milliseconds since the epoch after which the link answers 410; null: never. */
  expiresAtMs: number | null;
  archived: boolean;
  /** Rules, variants, cap and fallback (src/domain/link-routing.ts); null: none, the plain fast path. */
  routing: LinkRouting | null;
  preview: SocialPreview | null;
}

/** The link's UTM values with the campaign's utm_campaign filled in where the link sets none. */
export function effectiveUtm(
  link: Pick<LinkForRedirect, 'utmSource' | 'utmMedium' | 'utmCampaign' | 'utmTerm' | 'utmContent'>,
  campaignUtm: string,
): UtmValues {
  return {
    utm_source: link.utmSource,
    utm_medium: link.utmMedium,
    utm_campaign: link.utmCampaign || campaignUtm,
    utm_term: link.utmTerm,
    utm_content: link.utmContent,
  };
}

/** Prepares a link for the hot path: the tracked URL is built here, not per request. */
export function toRedirectTarget(link: LinkForRedirect, campaignUtm: string, campaignStatus: RecordStatus): RedirectTarget {
  const utm = effectiveUtm(link, campaignUtm);
  return {
    linkId: link.id,
    campaignId: link.campaignId,
    kind: link.kind,
    fixedChannel: link.channelSet ? link.channel : null,
    utm,
    trackedUrl: buildTrackedUrl(link.destination, utm),
    forwardQuery: link.forwardQuery,
    expiresAtMs: link.expiresAt ? Date.parse(link.expiresAt) : null,
    archived: link.status === 'archived' || campaignStatus === 'archived',
    routing: compileRouting(link, utm),
    preview: link.preview,
  };
}

/** Archived links (or links of archived campaigns) and expired ones answer 410. */
export const isGone = (target: RedirectTarget, now: number): boolean => target.archived || (target.expiresAtMs !== null && target.expiresAtMs <= now);

export interface RedirectPlan {
  location: string;
  touchType: TouchType;
  /** UTM values the touch carries: the link's, plus forwarded ones the link leaves empty. */
  utm: UtmValues;
}

/** The Location for one request of the short URL; `trackedUrl` is the routed one when rules or variants chose it. */
export function planRedirect(target: RedirectTarget, clickId: string, search: URLSearchParams | null, trackedUrl = target.trackedUrl): RedirectPlan {
  const touchType: TouchType = search?.get('qr') === '1' ? 'scan' : 'click';
  const forwarded = target.forwardQuery && search ? forwardableParams(search, target.utm) : [];
  const utm = { ...target.utm };
  for (const [name, value] of forwarded) if (name in utm && !utm[name as keyof UtmValues]) utm[name as keyof UtmValues] = value;
  const location = setQueryParams(trackedUrl, [...forwarded, [CLICK_ID_PARAM, clickId]]);
  return { location, touchType, utm };
}

/** The channel a touch of this link is credited to. */
export const touchChannel = (target: RedirectTarget, touchType: TouchType, utm: UtmValues): Channel =>
  target.fixedChannel ?? resolveChannel({ touchType, linkKind: target.kind, utmMedium: utm.utm_medium, utmSource: utm.utm_source });
