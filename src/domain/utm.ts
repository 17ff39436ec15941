/**
 * Builds the URL a visitor lands on: the destination with the link's UTM
 * parameters merged in. The destination's own query and fragment are kept
 * byte for byte; only parameters the link sets are replaced.
 */
import { UTM_FIELDS, type UtmField } from './vocab';

export type UtmValues = Partial<Record<UtmField, string | null | undefined>>;

/** Parameters of the short URL that are never forwarded to the destination. */
export const INTERNAL_PARAMS = ['qr', 'rid'] as const;
export const CLICK_ID_PARAM = 'tp_click';

function splitUrl(url: string): { base: string; query: string; fragment: string } {
  const hashAt = url.indexOf('#');
  const fragment = hashAt >= 0 ? url.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeHash.indexOf('?');
  return queryAt >= 0 ? { base: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), fragment } : { base: beforeHash, query: '', fragment };
}

function paramName(segment: string): string {
  const eq = segment.indexOf('=');
  const raw = eq >= 0 ? segment.slice(0, eq) : segment;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

const encodePair = (name: string, value: string): string => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;

/**
 * Sets `params` on `url`: segments of the existing query with the same names
 * are dropped, every other segment is kept as written, the fragment stays last.
 */
export function setQueryParams(url: string, params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return url;
  const { base, query, fragment } = splitUrl(url);
  const names = new Set(params.map(([name]) => name));
  const kept = query === '' ? [] : query.split('&').filter((segment) => segment !== '' && !names.has(paramName(segment)));
  const added = params.map(([name, value]) => encodePair(name, value));
  return `${base}?${[...kept, ...added].join('&')}${fragment}`;
}

/** The link's non-empty UTM values in canonical order. */
export function utmPairs(utm: UtmValues): Array<[UtmField, string]> {
  const pairs: Array<[UtmField, string]> = [];
  for (const field of UTM_FIELDS) {
    const value = utm[field];
    if (value != null && value !== '') pairs.push([field, value]);
  }
  return pairs;
}

/** Destination + the link's utm_* (they win over the destination's own). */
export function buildTrackedUrl(destination: string, utm: UtmValues): string {
  return setQueryParams(destination, utmPairs(utm));
}

/**
 * Query parameters of a short-URL request that may travel on to the
 * destination: internal ones and the click id are dropped, and none may
 * override a utm_* the link itself sets.
 */
export function forwardableParams(search: URLSearchParams, linkUtm: UtmValues): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of search) {
    if ((INTERNAL_PARAMS as readonly string[]).includes(name) || name.startsWith('tp_')) continue;
    const utmValue = linkUtm[name as UtmField];
    if (utmValue != null && utmValue !== '') continue;
    out.push([name, value]);
  }
  return out;
}

/** Default utm_campaign for a campaign name: "Sommer-Aktion Köln 2026" → "sommer-aktion-koln-2026". */
export function campaignSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return slug || 'campaign';
}
