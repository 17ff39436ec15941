/**
 * Creating links, one or a thousand, all or nothing: campaigns must exist and
 * be active, custom slugs must be free (in the database and in the batch),
 * generated slugs are drawn until free, and the rows go in as one D1 batch.
 */
import { findActiveCampaign } from './campaigns';
import { findLinksByIds, findTakenSlugs, insertLinks, type LinkFields, type LinkWithCampaign } from '../db/links';
import type { Db } from '../db/client';
import { resolveChannel } from '../domain/channels';
import type { Channel } from '../domain/vocab';
import { generateSlug } from '../domain/links';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { LinkInputValue } from '../schemas/links';
import { redirectCache, redirectKey } from './link-cache';
import { domainIdsOf } from './domains';
import { toSocialPreview } from '../schemas/link-domains';
import { linkEventData } from '../schemas/webhook-payloads';
import { emitEvents } from './webhook-events';

const fieldPath = (index: number | null, field: string) => (index === null ? field : `links.${index}.${field}`);

async function checkCampaigns(db: Db, inputs: readonly LinkInputValue[], indexed: boolean): Promise<void> {
  const ids = [...new Set(inputs.map((input) => input.campaign_id))];
  for (const id of ids) {
    const index = indexed ? inputs.findIndex((input) => input.campaign_id === id) : null;
    await findActiveCampaign(db, id, fieldPath(index, 'campaign_id'));
  }
}

/** Slugs for the inputs, each free on its own domain (a slug is unique per domain). */
async function assignSlugs(db: Db, inputs: readonly LinkInputValue[], domainIds: ReadonlyArray<string | null>, indexed: boolean): Promise<string[]> {
  const slugs: string[] = [];
  for (const domainId of new Set(domainIds)) {
    const members = domainIds.flatMap((id, index) => (id === domainId ? [index] : []));
    const assigned = await assignSlugsOn(
      db,
      domainId,
      members.map((index) => [index, inputs[index].slug ?? null] as const),
      indexed,
    );
    members.forEach((index, k) => {
      slugs[index] = assigned[k];
    });
  }
  return slugs;
}

async function assignSlugsOn(db: Db, domainId: string | null, entries: ReadonlyArray<readonly [number, string | null]>, indexed: boolean): Promise<string[]> {
  const custom = entries.map(([, slug]) => slug);
  const seen = new Map<string, number>();
  entries.forEach(([index, slug]) => {
    if (slug === null) return;
    if (seen.has(slug)) throw new ApiError('slug_taken', `${fieldPath(indexed ? index : null, 'slug')}: "${slug}" is used twice in this request`);
    seen.set(slug, index);
  });
  const taken = await findTakenSlugs(db, [...seen.keys()], domainId);
  for (const slug of taken) throw new ApiError('slug_taken', `${fieldPath(indexed ? seen.get(slug)! : null, 'slug')}: "${slug}" is already taken`);

  const slugs = custom.map((slug) => slug ?? generateSlug());
  for (let round = 0; round < 5; round++) {
    const drawn = slugs.filter((_, index) => custom[index] === null);
    const clashes = await findTakenSlugs(db, drawn, domainId);
    const inBatch = new Set<string>();
    let redraw = false;
    slugs.forEach((slug, index) => {
      if (custom[index] !== null) return;
      if (clashes.has(slug) || seen.has(slug) || inBatch.has(slug)) {
        slugs[index] = generateSlug();
        redraw = true;
      } else inBatch.add(slug);
    });
    if (!redraw) return slugs;
  }
  throw new ApiError('conflict', 'could not draw free slugs; try again');
}

/** The link's channel: the marketer's choice, else the channel rules for its kind, medium and source. */
export function linkChannel(input: Pick<LinkInputValue, 'kind' | 'channel' | 'utm_medium' | 'utm_source'>): Channel {
  const touchType = input.kind === 'qr' ? 'scan' : 'click';
  return input.channel ?? resolveChannel({ touchType, linkKind: input.kind, utmMedium: input.utm_medium, utmSource: input.utm_source });
}

function toFields(input: LinkInputValue, slug: string, domainId: string | null): LinkFields {
  return {
    domainId,
    preview: input.preview ? toSocialPreview(input.preview) : null,
    campaignId: input.campaign_id,
    slug,
    kind: input.kind,
    channel: linkChannel(input),
    channelSet: input.channel !== undefined,
    label: input.label ?? null,
    destination: input.destination,
    utmSource: input.utm_source ?? null,
    utmMedium: input.utm_medium ?? null,
    utmCampaign: input.utm_campaign ?? null,
    utmTerm: input.utm_term ?? null,
    utmContent: input.utm_content ?? null,
    forwardQuery: input.forward_query,
    expiresAt: input.expires_at ?? null,
    rules: input.rules ?? null,
    variants: input.variants ?? null,
    maxClicks: input.max_clicks ?? null,
    fallbackUrl: input.fallback_url ?? null,
  };
}

/** Creates the links of `inputs` atomically and returns them in input order. */
export async function createLinks(db: Db, inputs: readonly LinkInputValue[], now: number, indexed: boolean): Promise<LinkWithCampaign[]> {
  await checkCampaigns(db, inputs, indexed);
  const domainIds = await domainIdsOf(db, inputs, (index) => fieldPath(indexed ? index : null, 'domain'));
  const slugs = await assignSlugs(db, inputs, domainIds, indexed);
  const rows = inputs.map((input, index) => ({ id: newId('link', now), fields: toFields(input, slugs[index], domainIds[index]) }));
  try {
    await insertLinks(db, rows, now);
  } catch (error) {
    if (String(error).includes('UNIQUE')) throw new ApiError('slug_taken', 'a slug was taken at the same moment; try again');
    throw error;
  }
  slugs.forEach((slug, index) => {
    redirectCache.evictSlug(redirectKey(domainIds[index], slug));
  });
  const created = new Map(
    (
      await findLinksByIds(
        db,
        rows.map((row) => row.id),
      )
    ).map((link) => [link.id, link]),
  );
  const links = rows.map((row) => created.get(row.id)!);
  await emitEvents(db, 'link.created', links.map(linkEventData), now);
  return links;
}
