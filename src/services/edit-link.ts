/** Changing and archiving a link: shared by the API and the dashboard; the isolate's cached redirect follows at once. */
import type { Db } from '../db/client';
import { findLinkById, updateLink, type LinkWithCampaign } from '../db/links';
import { ApiError, notFound } from '../lib/errors';
import { redirectCache, redirectKey } from './link-cache';
import { domainIdsOf } from './domains';
import { toSocialPreview, type LinkPreviewInput } from '../schemas/link-domains';
import type { z } from '@hono/zod-openapi';
import { routingChange } from '../schemas/link-routing';
import type { LinkRule, LinkVariant } from '../domain/link-rules';

export interface LinkChange {
  destination?: string;
  expires_at?: string | null;
  label?: string | null;
  forward_query?: boolean;
  rules?: LinkRule[] | null;
  variants?: LinkVariant[] | null;
  max_clicks?: number | null;
  fallback_url?: string | null;
  /** A branded domain's hostname; null: the installation's own host. */
  domain?: string | null;
  preview?: z.infer<typeof LinkPreviewInput> | null;
}

async function change(db: Db, id: string, fields: Parameters<typeof updateLink>[2], now: number, before?: LinkWithCampaign): Promise<LinkWithCampaign> {
  let updated: Awaited<ReturnType<typeof updateLink>>;
  try {
    updated = await updateLink(db, id, fields, now);
  } catch (error) {
    if (before && String(error).includes('UNIQUE')) throw new ApiError('slug_taken', `domain: the slug "${before.slug}" is taken on that domain`);
    throw error;
  }
  if (!updated) throw notFound('Link');
  redirectCache.evictSlug(redirectKey(updated.domainId, updated.slug));
  if (before) redirectCache.evictSlug(redirectKey(before.domainId, before.slug));
  return (await findLinkById(db, id))!;
}

/** Changes a link's destination, expiry, label, query forwarding, routing, domain or preview (absent: unchanged, null: cleared). */
export async function editLink(db: Db, id: string, patch: LinkChange, now: number): Promise<LinkWithCampaign> {
  const fields = {
    destination: patch.destination,
    expiresAt: patch.expires_at,
    label: patch.label,
    forwardQuery: patch.forward_query,
    ...routingChange(patch),
    preview: patch.preview === undefined ? undefined : patch.preview && toSocialPreview(patch.preview),
  };
  if (patch.domain === undefined) return change(db, id, fields, now);
  // Moving a link to another domain: its slug must be free there (the unique index has the last word).
  const before = await findLinkById(db, id);
  if (!before) throw notFound('Link');
  const [domainId] = await domainIdsOf(db, [patch], () => 'domain');
  return change(db, id, { ...fields, domainId }, now, before);
}

/** Archives a link: its short URL answers 410 from now on. */
export const archiveLink = (db: Db, id: string, now: number) => change(db, id, { status: 'archived' }, now);

/** Restores an archived link: its short URL redirects again. Refused (422) while its campaign is archived. */
export async function restoreLink(db: Db, id: string, now: number): Promise<LinkWithCampaign> {
  const link = await findLinkById(db, id);
  if (!link) throw notFound('Link');
  if (link.campaignStatus === 'archived') {
    throw new ApiError(
      'unprocessable',
      `campaign ${link.campaignId} is archived: restore the campaign first (POST /api/v1/campaigns/${link.campaignId}/restore)`,
    );
  }
  return change(db, id, { status: 'active' }, now);
}
