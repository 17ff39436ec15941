/**
 * Bulk link import: each CSV row is checked on its own (campaign, the link's
 * own validation, duplicates), the new ones are created through the link
 * service a thousand at a time, and every row gets its result: created,
 * duplicate (with the id of the link it matches) or failed (with the reason).
 * A row is a duplicate when
 * - it has a slug, and a link with that slug exists for the same campaign and
 *   destination (the slug on another campaign or destination fails: slug_taken);
 * - it has no slug, and a link of the same campaign, destination, kind and
 *   utm_source/medium/campaign/term/content exists (archived ones too).
 * Rows earlier in the same file count as existing, so the same file twice
 * creates nothing new.
 */
import type { Db } from '../db/client';
import { findCampaignsByIdOrName, findLinksByDestinations, findLinksBySlugs, type CampaignRef, type LinkIdentity } from '../db/link-imports';
import { ApiError } from '../lib/errors';
import { describeZodError } from '../lib/validation';
import type { ImportRow } from '../schemas/imports';
import { LinkInput, type LinkInputValue } from '../schemas/links';
import { createLinks } from './create-links';
import type { TableRow } from './import-table';

/** Rows per call of the link service (one D1 batch of inserts each). */
const CREATE_CHUNK = 1000;

type Failure = { code: string; message: string };
type Judged = { input: LinkInputValue } | { failed: Failure } | { existing: string } | { sameAs: number };

const failed = (code: string, message: string): { failed: Failure } => ({ failed: { code, message } });

/** The campaign a `campaign` cell names: its id, else the one active campaign with exactly that name. */
function resolveCampaign(ref: string, campaigns: readonly CampaignRef[]): { id: string } | { failed: Failure } {
  const byId = campaigns.find((campaign) => campaign.id === ref);
  const named = campaigns.filter((campaign) => campaign.name === ref);
  const active = named.filter((campaign) => campaign.status === 'active');
  const campaign = byId ?? (active.length === 1 ? active[0] : named.length === 1 ? named[0] : null);
  if (!campaign && active.length > 1) return failed('unprocessable', `campaign: ${active.length} campaigns are named "${ref}"; give the campaign's id`);
  if (!campaign) return failed('unprocessable', `campaign: no campaign has the id or name "${ref}"`);
  if (campaign.status === 'archived') return failed('unprocessable', `campaign: "${ref}" is archived`);
  return { id: campaign.id };
}

const identityKey = (link: Pick<LinkIdentity, 'campaignId' | 'destination' | 'kind' | 'utmSource' | 'utmMedium' | 'utmCampaign' | 'utmTerm' | 'utmContent'>) =>
  JSON.stringify([link.campaignId, link.destination, link.kind, link.utmSource, link.utmMedium, link.utmCampaign, link.utmTerm, link.utmContent]);

const inputIdentity = (input: LinkInputValue) =>
  identityKey({
    campaignId: input.campaign_id,
    destination: input.destination,
    kind: input.kind,
    utmSource: input.utm_source ?? null,
    utmMedium: input.utm_medium ?? null,
    utmCampaign: input.utm_campaign ?? null,
    utmTerm: input.utm_term ?? null,
    utmContent: input.utm_content ?? null,
  });

/** Each row's own checks: field count, campaign, the link schema. */
async function validate(db: Db, rows: readonly TableRow[]): Promise<Judged[]> {
  const campaigns = await findCampaignsByIdOrName(
    db,
    rows.map((row) => row.cells.campaign).filter((ref): ref is string => !!ref),
  );
  return rows.map((row): Judged => {
    if (row.problem) return failed('validation_error', row.problem);
    const { campaign, ...fields } = row.cells;
    if (!campaign) return failed('validation_error', 'campaign: Required');
    const resolved = resolveCampaign(campaign, campaigns);
    if ('failed' in resolved) return resolved;
    const parsed = LinkInput.safeParse({ ...fields, campaign_id: resolved.id });
    return parsed.success ? { input: parsed.data } : failed('validation_error', describeZodError(parsed.error));
  });
}

/** Marks the rows that match a stored link or an earlier row of the file. */
async function findDuplicates(db: Db, judged: Judged[]): Promise<void> {
  const inputs = judged.flatMap((judgement) => ('input' in judgement ? [judgement.input] : []));
  const stored = new Map<string, LinkIdentity>();
  for (const link of await findLinksBySlugs(
    db,
    inputs.flatMap((input) => (input.slug ? [input.slug] : [])),
  ))
    stored.set(link.slug, link);
  const byIdentity = new Map<string, string>();
  const unslugged = new Map<string, string[]>();
  for (const input of inputs) {
    if (input.slug) continue;
    const destinations = unslugged.get(input.campaign_id) ?? [];
    destinations.push(input.destination);
    unslugged.set(input.campaign_id, destinations);
  }
  for (const [campaignId, destinations] of unslugged) {
    for (const link of await findLinksByDestinations(db, campaignId, destinations)) {
      const key = identityKey(link);
      if (!byIdentity.has(key)) byIdentity.set(key, link.id);
    }
  }

  const slugsInFile = new Map<string, number>();
  const identitiesInFile = new Map<string, number>();
  judged.forEach((judgement, index) => {
    if (!('input' in judgement)) return;
    const { input } = judgement;
    const identity = inputIdentity(input);
    if (input.slug) {
      const link = stored.get(input.slug);
      const earlier = slugsInFile.get(input.slug);
      const other = earlier === undefined ? null : (judged[earlier] as { input: LinkInputValue }).input;
      const holder = link ?? (other && { campaignId: other.campaign_id, destination: other.destination });
      if (holder && (holder.campaignId !== input.campaign_id || holder.destination !== input.destination)) {
        judged[index] = failed(
          'slug_taken',
          `slug: "${input.slug}" is already taken by a link to another ${holder.campaignId !== input.campaign_id ? 'campaign' : 'destination'}`,
        );
      } else if (link) judged[index] = { existing: link.id };
      else if (earlier !== undefined) judged[index] = { sameAs: earlier };
      else slugsInFile.set(input.slug, index);
    } else {
      const id = byIdentity.get(identity);
      const earlier = identitiesInFile.get(identity);
      if (id) judged[index] = { existing: id };
      else if (earlier !== undefined) judged[index] = { sameAs: earlier };
    }
    if ('input' in judged[index] && !identitiesInFile.has(identity)) identitiesInFile.set(identity, index);
  });
}

/** Creates the rows still to create; a chunk the link service refuses (a slug taken meanwhile) is retried row by row. */
async function create(db: Db, judged: Judged[], now: number): Promise<Map<number, string | Failure>> {
  const outcome = new Map<number, string | Failure>();
  const pending = judged.flatMap((judgement, index) => ('input' in judgement ? [{ index, input: judgement.input }] : []));
  for (let i = 0; i < pending.length; i += CREATE_CHUNK) {
    const chunk = pending.slice(i, i + CREATE_CHUNK);
    try {
      const links = await createLinks(
        db,
        chunk.map((row) => row.input),
        now,
        false,
      );
      chunk.forEach((row, k) => {
        outcome.set(row.index, links[k].id);
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      for (const row of chunk) {
        try {
          outcome.set(row.index, (await createLinks(db, [row.input], now, false))[0].id);
        } catch (rowError) {
          if (!(rowError instanceof ApiError)) throw rowError;
          outcome.set(row.index, { code: rowError.code, message: rowError.message });
        }
      }
    }
  }
  return outcome;
}

/** Imports the link rows of a CSV file; one result per row, in file order. */
export async function importLinks(db: Db, rows: readonly TableRow[], now: number): Promise<ImportRow[]> {
  const judged = await validate(db, rows);
  await findDuplicates(db, judged);
  const created = await create(db, judged, now);
  return rows.map((row, index): ImportRow => {
    const at = { row: row.row, line: row.line };
    const judgement = judged[index];
    if ('failed' in judgement) return { ...at, status: 'failed', error: judgement.failed };
    if ('existing' in judgement) return { ...at, status: 'duplicate', id: judgement.existing };
    const outcome = created.get('sameAs' in judgement ? judgement.sameAs : index)!;
    if (typeof outcome !== 'string') return { ...at, status: 'failed', error: outcome };
    return { ...at, status: 'sameAs' in judgement ? 'duplicate' : 'created', id: outcome };
  });
}
