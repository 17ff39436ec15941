/**
 * What a link would become, before it is created: its tracked URL and channel,
 * by the same domain rules the API and the redirect use (buildTrackedUrl,
 * effectiveUtm, the channel rules), so the dashboard's live preview is never a
 * second copy of them.
 */
import type { Campaign } from '../db/campaigns';
import { destinationProblem } from '../domain/links';
import { effectiveUtm } from '../domain/redirect';
import { buildTrackedUrl } from '../domain/utm';
import { CHANNELS, LINK_KINDS, type Channel, type LinkKind } from '../domain/vocab';
import { linkChannel } from './create-links';

export interface LinkPreview {
  tracked_url: string | null;
  channel: Channel;
  /** Why there is no tracked URL (an invalid destination); null when there is one or the field is empty. */
  problem: string | null;
}

const pick = <T extends string>(list: readonly T[], value: string | undefined): T | undefined =>
  (list as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** The preview for raw form values (strings, maybe empty) of a link in `campaign`. */
export function previewLink(campaign: Pick<Campaign, 'utmCampaign'>, values: Readonly<Record<string, string | undefined>>): LinkPreview {
  const text = (name: string) => values[name]?.trim() || null;
  const kind: LinkKind = pick(LINK_KINDS, values.kind) ?? 'link';
  const channel = linkChannel({
    kind,
    channel: pick(CHANNELS, values.channel),
    utm_medium: text('utm_medium') ?? undefined,
    utm_source: text('utm_source') ?? undefined,
  });
  const destination = text('destination');
  const problem = destination ? destinationProblem(destination) : null;
  if (!destination || problem) return { tracked_url: null, channel, problem };
  const utm = {
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
  };
  return { tracked_url: buildTrackedUrl(destination, effectiveUtm(utm, campaign.utmCampaign)), channel, problem: null };
}
