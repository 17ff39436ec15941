/** Tracked links. */
import type { LinkForRedirect } from '../domain/redirect';
import type { RoutingFields } from '../domain/link-routing';
import { socialPreviewOf } from '../domain/social-preview';
import { sql } from 'kysely';
import type { Channel, LinkKind, RecordStatus } from '../domain/vocab';
import { toIso } from '../lib/time';
import { jsonInsertStatements, runAtomically, type Db } from './client';
import { pageOf, type Page } from './pagination';
import { ROUTING_COLUMNS, routingOfRow, routingRow } from './link-routing';
import type { LinkRow, NewLink } from './schema';

/** A stored link: what the redirect needs, plus its label and timestamps. */
export interface Link extends LinkForRedirect {
  label: string | null;
  createdAt: string;
  updatedAt: string;
}

export type LinkFields = Omit<Link, 'id' | 'status' | 'createdAt' | 'updatedAt'>;

export const toLink = (row: LinkRow): Link => ({
  id: row.id,
  campaignId: row.campaign_id,
  slug: row.slug,
  kind: row.kind,
  channel: row.channel,
  channelSet: row.channel_set === 1,
  label: row.label,
  destination: row.destination,
  utmSource: row.utm_source,
  utmMedium: row.utm_medium,
  utmCampaign: row.utm_campaign,
  utmTerm: row.utm_term,
  utmContent: row.utm_content,
  forwardQuery: row.forward_query === 1,
  expiresAt: row.expires_at,
  ...routingOfRow(row),
  status: row.status,
  domainId: row.domain_id,
  preview: socialPreviewOf(row.preview_title, row.preview_description, row.preview_image_url),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (id: string, fields: LinkFields, now: number): NewLink => ({
  id,
  campaign_id: fields.campaignId,
  slug: fields.slug,
  kind: fields.kind,
  channel: fields.channel,
  channel_set: fields.channelSet ? 1 : 0,
  label: fields.label,
  destination: fields.destination,
  utm_source: fields.utmSource,
  utm_medium: fields.utmMedium,
  utm_campaign: fields.utmCampaign,
  utm_term: fields.utmTerm,
  utm_content: fields.utmContent,
  forward_query: fields.forwardQuery ? 1 : 0,
  expires_at: fields.expiresAt,
  ...routingRow(fields),
  domain_id: fields.domainId,
  ...previewColumns(fields.preview),
  created_at: toIso(now),
  updated_at: toIso(now),
});

/** The preview as its three columns (all null: none). */
const previewColumns = (preview: Link['preview']) => ({
  preview_title: preview?.title ?? null,
  preview_description: preview?.description ?? null,
  preview_image_url: preview?.imageUrl ?? null,
});

const LINK_COLUMNS = [
  'id',
  'campaign_id',
  'slug',
  'kind',
  'channel',
  'channel_set',
  'label',
  'destination',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'forward_query',
  'expires_at',
  ...ROUTING_COLUMNS,
  'domain_id',
  'preview_title',
  'preview_description',
  'preview_image_url',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof NewLink>;

/**
 * Inserts links all or nothing: one D1 batch of JSON inserts (500 rows a
 * statement), so a bulk import of 10,000 links is 20 statements, not 2,000.
 */
export async function insertLinks(db: Db, links: ReadonlyArray<{ id: string; fields: LinkFields }>, now: number): Promise<void> {
  const rows = links.map(({ id, fields }) => toRow(id, fields, now));
  await runAtomically(db, jsonInsertStatements(db, 'links', LINK_COLUMNS, rows, { orIgnore: false }));
}

/** The key of a link's namespace in the unique index links_slug_domain: its domain id, '' for the own host. */
const domainKey = (domainId: string | null) => domainId ?? '';

/** Which of `slugs` are already taken on the domain (null: the installation's own host). */
export async function findTakenSlugs(db: Db, slugs: readonly string[], domainId: string | null = null): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < slugs.length; i += 90) {
    const rows = await db
      .selectFrom('links')
      .select('slug')
      .where('slug', 'in', slugs.slice(i, i + 90))
      .where(sql<string>`coalesce(domain_id, '')`, '=', domainKey(domainId))
      .execute();
    for (const row of rows) taken.add(row.slug);
  }
  return taken;
}

/** A link with what reads need of its campaign. */
export interface LinkWithCampaign extends Link {
  campaignUtm: string;
  campaignStatus: RecordStatus;
  /** The branded domain's hostname; null: the installation's own host. */
  domain: string | null;
}

const selectLinks = (db: Db) =>
  db
    .selectFrom('links')
    .innerJoin('campaigns', 'campaigns.id', 'links.campaign_id')
    .leftJoin('domains', 'domains.id', 'links.domain_id')
    .selectAll('links')
    .select(['campaigns.utm_campaign as campaign_utm', 'campaigns.status as campaign_status', 'domains.hostname as domain_hostname']);

const toLinkWithCampaign = ({
  campaign_utm,
  campaign_status,
  domain_hostname,
  ...row
}: LinkRow & { campaign_utm: string; campaign_status: RecordStatus; domain_hostname: string | null }): LinkWithCampaign => ({
  ...toLink(row),
  campaignUtm: campaign_utm,
  campaignStatus: campaign_status,
  domain: domain_hostname,
});

/** The link behind a slug on a domain (null: the installation's own host); null for an unknown slug. */
export async function findLinkBySlug(db: Db, slug: string, domainId: string | null = null): Promise<LinkWithCampaign | null> {
  const row = await selectLinks(db)
    .where('links.slug', '=', slug)
    .where(sql<string>`coalesce(links.domain_id, '')`, '=', domainKey(domainId))
    .executeTakeFirst();
  return row ? toLinkWithCampaign(row) : null;
}

/** One link by id. */
export async function findLinkById(db: Db, id: string): Promise<LinkWithCampaign | null> {
  const row = await selectLinks(db).where('links.id', '=', id).executeTakeFirst();
  return row ? toLinkWithCampaign(row) : null;
}

/** Links by id, in no particular order. */
export async function findLinksByIds(db: Db, ids: readonly string[]): Promise<LinkWithCampaign[]> {
  const rows = [];
  for (let i = 0; i < ids.length; i += 90) {
    rows.push(
      ...(await selectLinks(db)
        .where('links.id', 'in', ids.slice(i, i + 90))
        .execute()),
    );
  }
  return rows.map(toLinkWithCampaign);
}

export interface LinkFilter {
  campaignId?: string;
  kind?: LinkKind;
  channel?: Channel;
  status?: RecordStatus;
  limit: number;
  cursor?: string;
}

/** Links newest first, filtered. */
export async function listLinks(db: Db, filter: LinkFilter): Promise<Page<LinkWithCampaign>> {
  let query = selectLinks(db);
  if (filter.campaignId) query = query.where('links.campaign_id', '=', filter.campaignId);
  if (filter.kind) query = query.where('links.kind', '=', filter.kind);
  if (filter.channel) query = query.where('links.channel', '=', filter.channel);
  if (filter.status) query = query.where('links.status', '=', filter.status);
  if (filter.cursor) query = query.where('links.id', '<', filter.cursor);
  const rows = await query
    .orderBy('links.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return pageOf(rows.map(toLinkWithCampaign), filter.limit);
}

/** Applies a change to one link; null when there is no such link. */
export async function updateLink(
  db: Db,
  id: string,
  change: Partial<Pick<Link, 'destination' | 'expiresAt' | 'label' | 'status' | 'forwardQuery' | 'domainId' | 'preview' | keyof RoutingFields>>,
  now: number,
): Promise<Link | null> {
  const row = await db
    .updateTable('links')
    .set({
      ...(change.preview === undefined ? {} : previewColumns(change.preview)),
      domain_id: change.domainId,
      destination: change.destination,
      expires_at: change.expiresAt,
      label: change.label,
      status: change.status,
      forward_query: change.forwardQuery === undefined ? undefined : change.forwardQuery ? 1 : 0,
      ...routingRow(change),
      updated_at: toIso(now),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toLink(row) : null;
}
