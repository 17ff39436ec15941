/**
 * Branded domains: attaching and removing them, their app-link settings, resolving the `domain` of link
 * inputs, and telling a request's host apart (own host, branded domain, unknown) from a per-isolate cache.
 */
import type { Db } from '../db/client';
import { countDomainLinks, deleteUnusedDomain, findDomainByHostname, findDomainById, insertDomain, updateAppLinks, type Domain } from '../db/domains';
import type { AndroidAppLinks, AppleAppLinks } from '../domain/app-links';
import { hostnameProblem, isOwnHost, publicHost } from '../domain/domains';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { cacheTtlMs, pausingOnFailure, replicaFirst, SlugCache } from './link-cache';

interface DomainEnv {
  PUBLIC_ORIGIN?: string;
  LINK_CACHE_TTL_SECONDS?: string;
}

/** Domains by hostname (null: no such domain, cached too), per isolate for LINK_CACHE_TTL_SECONDS. */
export const domainCache = new SlugCache<Domain>();

/** What a request's host is: the installation's own (the default slugs), a branded domain, or unknown. */
/** `unavailable`: the domains could not be read (D1 failing, nothing cached); short links answer 503 then. */
export type HostRoute = { kind: 'own' } | { kind: 'branded'; domain: Domain } | { kind: 'unknown' } | { kind: 'unavailable' };

const OWN: HostRoute = { kind: 'own' };

/**
 * Routes a host. Loopback, *.workers.dev and PUBLIC_ORIGIN's host are the own host without a read; another host is
 * looked up among the domains (cached). A host that is no domain is unknown when PUBLIC_ORIGIN names the own host,
 * and the own host while PUBLIC_ORIGIN is empty (then the installation has no other way to know its host).
 */
export async function routeHost(db: Db, env: DomainEnv, host: string, now: number): Promise<HostRoute> {
  const own = publicHost(env.PUBLIC_ORIGIN);
  if (isOwnHost(host, own)) return OWN;
  const domain = await domainCache.get(
    host,
    now,
    cacheTtlMs(env),
    pausingOnFailure(() => replicaFirst(db, (reader) => findDomainByHostname(reader, host))),
  );
  if (domain) return { kind: 'branded', domain };
  return own ? { kind: 'unknown' } : OWN;
}

/** Attaches a hostname; 409 when it is attached already, 422 when it is the installation's own host. */
export async function addDomain(db: Db, env: DomainEnv, hostname: string, now: number): Promise<Domain> {
  const problem = hostnameProblem(hostname, publicHost(env.PUBLIC_ORIGIN));
  if (problem) throw new ApiError('unprocessable', `hostname: ${problem}`);
  const id = newId('domain', now);
  if (!(await insertDomain(db, id, hostname, now))) throw new ApiError('conflict', `hostname: ${hostname} is already attached`);
  domainCache.evictSlug(hostname);
  return (await findDomainById(db, id))!;
}

/** One domain; 404 when there is none. */
export async function getDomain(db: Db, id: string): Promise<Domain> {
  const domain = await findDomainById(db, id);
  if (!domain) throw notFound('Domain');
  return domain;
}

/** Removes a domain no link belongs to; 409 naming the count otherwise (move or archive… its links stay on it). */
export async function removeDomain(db: Db, id: string): Promise<void> {
  const domain = await getDomain(db, id);
  if (!(await deleteUnusedDomain(db, id))) {
    const links = (await countDomainLinks(db, [id])).get(id) ?? 0;
    throw new ApiError(
      'conflict',
      `${domain.hostname} still has ${links} link${links === 1 ? '' : 's'}: move them to another domain (PATCH the link's domain) first`,
    );
  }
  domainCache.evictSlug(domain.hostname);
}

/** Replaces a domain's app-link settings (null: that file is not served). */
export async function setAppLinks(db: Db, id: string, apple: AppleAppLinks | null, android: AndroidAppLinks | null, now: number): Promise<Domain> {
  const domain = await updateAppLinks(db, id, apple, android, now);
  if (!domain) throw notFound('Domain');
  domainCache.evictSlug(domain.hostname);
  return domain;
}

/**
 * The domain id of each input's `domain` (absent or null: the own host, null). A hostname that is not attached
 * is refused with 422, naming the field.
 */
export async function domainIdsOf(db: Db, inputs: ReadonlyArray<{ domain?: string | null }>, field: (index: number) => string): Promise<Array<string | null>> {
  const ids = new Map<string, string>();
  for (const hostname of new Set(inputs.flatMap((input) => (input.domain ? [input.domain] : [])))) {
    const domain = await findDomainByHostname(db, hostname);
    if (!domain) {
      const index = inputs.findIndex((input) => input.domain === hostname);
      throw new ApiError('unprocessable', `${field(index)}: no domain ${hostname} is attached (POST /api/v1/domains first)`);
    }
    ids.set(hostname, domain.id);
  }
  return inputs.map((input) => (input.domain ? ids.get(input.domain)! : null));
}
