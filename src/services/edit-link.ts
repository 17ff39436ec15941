/** Changing and archiving a link: shared by the API and the dashboard; the isolate's cached redirect follows at once. */
import type { Db } from '../db/client';
import { findLinkById, updateLink, type LinkWithCampaign } from '../db/links';
import { ApiError, notFound } from '../lib/errors';
import { redirectCache } from './link-cache';
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
}

async function change(db: Db, id: string, fields: Parameters<typeof updateLink>[2], now: number): Promise<LinkWithCampaign> {
  const updated = await updateLink(db, id, fields, now);
  if (!updated) throw notFound('Link');
  redirectCache.evictSlug(updated.slug);
  return (await findLinkById(db, id))!;
}

/** Changes a link's destination, expiry, label or query forwarding (absent: unchanged, null: cleared). */
export const editLink = (db: Db, id: string, patch: LinkChange, now: number) =>
  change(
    db,
    id,
    { destination: patch.destination, expiresAt: patch.expires_at, label: patch.label, forwardQuery: patch.forward_query, ...routingChange(patch) },
    now,
  );

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
