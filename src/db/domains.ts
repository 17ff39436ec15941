/** Branded domains (schema/0028): hostnames attached to the Worker and their app-link settings. */
import type { Selectable } from 'kysely';
import type { AndroidAppLinks, AppleAppLinks } from '../domain/app-links';
import { toIso } from '../lib/time';
import type { Db } from './client';
import { pageOf, type Page } from './pagination';
import type { DomainTable } from './schema';

export interface Domain {
  id: string;
  hostname: string;
  apple: AppleAppLinks | null;
  android: AndroidAppLinks | null;
  createdAt: string;
  updatedAt: string;
}

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const toDomain = (row: Selectable<DomainTable>): Domain => ({
  id: row.id,
  hostname: row.hostname,
  apple: parsed<AppleAppLinks>(row.apple_app_links),
  android: parsed<AndroidAppLinks>(row.android_app_links),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Stores a new domain without app links; false when its hostname is taken. */
export async function insertDomain(db: Db, id: string, hostname: string, now: number): Promise<boolean> {
  const result = await db
    .insertInto('domains')
    .values({ id, hostname, created_at: toIso(now), updated_at: toIso(now) })
    .onConflict((oc) => oc.column('hostname').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** One domain by id. */
export async function findDomainById(db: Db, id: string): Promise<Domain | null> {
  const row = await db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDomain(row) : null;
}

/** The domain of a hostname (normalised); null when none is attached. */
export async function findDomainByHostname(db: Db, hostname: string): Promise<Domain | null> {
  const row = await db.selectFrom('domains').selectAll().where('hostname', '=', hostname).executeTakeFirst();
  return row ? toDomain(row) : null;
}

/** Domains newest first. */
export async function listDomains(db: Db, limit: number, cursor?: string): Promise<Page<Domain>> {
  let query = db.selectFrom('domains').selectAll();
  if (cursor) query = query.where('id', '<', cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows.map(toDomain), limit);
}

/** Replaces a domain's app-link settings; null when there is no such domain. */
export async function updateAppLinks(db: Db, id: string, apple: AppleAppLinks | null, android: AndroidAppLinks | null, now: number): Promise<Domain | null> {
  const row = await db
    .updateTable('domains')
    .set({
      apple_app_links: apple ? JSON.stringify(apple) : null,
      android_app_links: android ? JSON.stringify(android) : null,
      updated_at: toIso(now),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toDomain(row) : null;
}

/** How many links (any status) belong to each of `ids`. */
export async function countDomainLinks(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(ids.map((id) => [id, 0]));
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .selectFrom('links')
      .select(['domain_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('domain_id', 'in', ids.slice(i, i + 90))
      .groupBy('domain_id')
      .execute();
    for (const row of rows) counts.set(row.domain_id!, Number(row.n));
  }
  return counts;
}

/** Deletes a domain that no link belongs to (one statement, so a link added meanwhile keeps it); false otherwise. */
export async function deleteUnusedDomain(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('domains')
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('links').select('links.id').where('links.domain_id', '=', id))))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
