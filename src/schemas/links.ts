/** zod schemas shared by the link and campaign routes, and the link's JSON shape. */
import { z } from '@hono/zod-openapi';
import type { LinkWithCampaign } from '../db/links';
import { destinationProblem, slugProblem } from '../domain/links';
import { buildTrackedUrl } from '../domain/utm';
import { effectiveUtm } from '../domain/redirect';
import { CHANNELS, LINK_KINDS, RECORD_STATUSES } from '../domain/vocab';
import { isoDateTime } from './common';
import { routingCreateFields, routingJson, routingJsonFields, routingPatchFields } from './link-routing';
import { DomainHostname, LinkPreviewInput, LinkPreviewSchema, linkPreviewJson } from './link-domains';

export const destinationUrl = z.string().superRefine((value, ctx) => {
  const problem = destinationProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const utmValue = z.string().trim().min(1).max(200);

const customSlug = z.string().superRefine((value, ctx) => {
  const problem = slugProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const LinkInput = z
  .object({
    campaign_id: z.string().min(1).max(64),
    destination: destinationUrl,
    slug: customSlug.optional(),
    kind: z.enum(LINK_KINDS).default('link'),
    channel: z.enum(CHANNELS).optional(),
    label: z.string().trim().max(200).optional(),
    utm_source: utmValue.optional(),
    utm_medium: utmValue.optional(),
    utm_campaign: utmValue.optional(),
    utm_term: utmValue.optional(),
    utm_content: utmValue.optional(),
    forward_query: z.boolean().default(false),
    expires_at: isoDateTime.optional(),
    ...routingCreateFields,
    domain: DomainHostname.nullable().optional(),
    preview: LinkPreviewInput.optional(),
  })
  .strict()
  .openapi('LinkInput');

export type LinkInputValue = z.infer<typeof LinkInput>;

export const MAX_BULK_LINKS = 1000;

export const BulkLinkInput = z
  .object({ links: z.array(LinkInput).min(1).max(MAX_BULK_LINKS) })
  .strict()
  .openapi('BulkLinkInput');

export const LinkPatch = z
  .object({
    destination: destinationUrl.optional(),
    expires_at: isoDateTime.nullable().optional(),
    label: z.string().trim().max(200).nullable().optional(),
    forward_query: z.boolean().optional(),
    ...routingPatchFields,
    domain: DomainHostname.nullable().optional(),
    preview: LinkPreviewInput.nullable().optional(),
  })
  .strict()
  .openapi('LinkPatch');

export const LinkSchema = z
  .object({
    id: z.string(),
    campaign_id: z.string(),
    slug: z.string(),
    short_url: z.string(),
    qr_url: z.string(),
    destination: z.string(),
    tracked_url: z.string(),
    kind: z.enum(LINK_KINDS),
    channel: z.enum(CHANNELS),
    label: z.string().nullable(),
    utm_source: z.string().nullable(),
    utm_medium: z.string().nullable(),
    utm_campaign: z.string().nullable(),
    utm_term: z.string().nullable(),
    utm_content: z.string().nullable(),
    forward_query: z.boolean(),
    expires_at: z.string().nullable(),
    ...routingJsonFields,
    domain: z.string().nullable().openapi({ description: "The branded domain's hostname; null: the installation's own host" }),
    preview: LinkPreviewSchema.nullable(),
    status: z.enum(RECORD_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Link');

export const LinkStatsSchema = z.object({ clicks: z.number(), scans: z.number(), unique_visitors: z.number() });

/** The link as the API shows it; `origin` is the tracker's public origin (a branded link's short URL is on its domain). */
export function linkJson(link: LinkWithCampaign, origin: string): z.infer<typeof LinkSchema> {
  return {
    id: link.id,
    campaign_id: link.campaignId,
    slug: link.slug,
    short_url: `${link.domain ? `https://${link.domain}` : origin}/${link.slug}`,
    qr_url: `${origin}/api/v1/links/${link.id}/qr`,
    destination: link.destination,
    tracked_url: buildTrackedUrl(link.destination, effectiveUtm(link, link.campaignUtm)),
    kind: link.kind,
    channel: link.channel,
    label: link.label,
    utm_source: link.utmSource,
    utm_medium: link.utmMedium,
    utm_campaign: link.utmCampaign,
    utm_term: link.utmTerm,
    utm_content: link.utmContent,
    forward_query: link.forwardQuery,
    expires_at: link.expiresAt,
    ...routingJson(link),
    domain: link.domain,
    preview: linkPreviewJson(link.preview),
    status: link.status,
    created_at: link.createdAt,
    updated_at: link.updatedAt,
  };
}
