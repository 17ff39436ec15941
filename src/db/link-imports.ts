/** What a link import reads before it writes: campaigns by id or name, links by slug and by identity. */
import type { RecordStatus } from '../domain/vocab';
import type { Db } from './client';

/** Values per `IN (…)` list, leaving room under D1's 100 bound parameters for the rest of the statement. */
const IN_CHUNK = 90;

const chunks = <T>(values: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(values.slice(i, i + IN_CHUNK));
  return out;
};

export interface CampaignRef {
  id: string;
  name: string;
  status: RecordStatus;
}

/** Campaigns whose id or name is one of `refs` (several may share a name). */
export async function findCampaignsByIdOrName(db: Db, refs: readonly string[]): Promise<CampaignRef[]> {
  const found = new Map<string, CampaignRef>();
  for (const chunk of chunks([...new Set(refs)])) {
    const rows = await db
      .selectFrom('campaigns')
      .select(['id', 'name', 'status'])
      .where((eb) => eb.or([eb('id', 'in', chunk), eb('name', 'in', chunk)]))
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return [...found.values()];
}

/** A stored link as an import compares it: by slug, and by campaign, destination, kind and UTM values. */
export interface LinkIdentity {
  id: string;
  slug: string;
  campaignId: string;
  destination: string;
  kind: string;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
}

const identityColumns = ['id', 'slug', 'campaign_id', 'destination', 'kind', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

type IdentityRow = {
  id: string;
  slug: string;
  campaign_id: string;
  destination: string;
  kind: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
};

const toIdentity = (row: IdentityRow): LinkIdentity => ({
  id: row.id,
  slug: row.slug,
  campaignId: row.campaign_id,
  destination: row.destination,
  kind: row.kind,
  utmSource: row.utm_source,
  utmMedium: row.utm_medium,
  utmCampaign: row.utm_campaign,
  utmTerm: row.utm_term,
  utmContent: row.utm_content,
});

/** The links holding any of `slugs`. */
export async function findLinksBySlugs(db: Db, slugs: readonly string[]): Promise<LinkIdentity[]> {
  const out: LinkIdentity[] = [];
  for (const chunk of chunks([...new Set(slugs)])) {
    // Imported rows have no domain column: their slugs live on the installation's own host.
    out.push(...(await db.selectFrom('links').select(identityColumns).where('slug', 'in', chunk).where('domain_id', 'is', null).execute()).map(toIdentity));
  }
  return out;
}

/** The links of campaign `campaignId` to any of `destinations` (archived ones too), oldest first. */
export async function findLinksByDestinations(db: Db, campaignId: string, destinations: readonly string[]): Promise<LinkIdentity[]> {
  const out: LinkIdentity[] = [];
  for (const chunk of chunks([...new Set(destinations)])) {
    const rows = await db
      .selectFrom('links')
      .select(identityColumns)
      .where('campaign_id', '=', campaignId)
      .where('destination', 'in', chunk)
      .orderBy('id')
      .execute();
    out.push(...rows.map(toIdentity));
  }
  return out;
}
