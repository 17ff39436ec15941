/**
 * Branded domains: which hostnames may be attached, and how a request's host is told apart —
 * the installation's own host (the default namespace of slugs), a branded domain, or neither.
 */

/** Hosts that are always the installation's own: local runs and the Worker's workers.dev address. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'] as const;
export const WORKERS_DEV_SUFFIX = '.workers.dev';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A hostname as stored and compared: lower case, without a trailing dot. */
export const normalHostname = (value: string): string => value.trim().toLowerCase().replace(/\.$/, '');

/** The installation's own host: PUBLIC_ORIGIN's when set (null otherwise). */
export function publicHost(publicOrigin: string | undefined): string | null {
  if (!publicOrigin) return null;
  try {
    return new URL(publicOrigin).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** True for a host that always serves the installation itself: loopback, *.workers.dev, PUBLIC_ORIGIN's host. */
export function isOwnHost(host: string, ownHost: string | null): boolean {
  return (LOOPBACK_HOSTS as readonly string[]).includes(host) || host.endsWith(WORKERS_DEV_SUFFIX) || host === ownHost;
}

/** Why `hostname` (already normalised) cannot be a branded domain, or null when it can. */
export function hostnameProblem(hostname: string, ownHost: string | null): string | null {
  if (/[/:@?#\s]/.test(hostname)) return 'give the hostname only, e.g. go.brand.com (no scheme, port or path)';
  if (hostname.length > 253) return 'must be at most 253 characters';
  const labels = hostname.split('.');
  if (labels.length < 2) return 'must be a full hostname with a dot, e.g. go.brand.com';
  if (!labels.every((label) => LABEL.test(label))) {
    return 'each part between dots must be 1 to 63 characters of a-z, 0-9 and -, not starting or ending with -';
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return 'must be a hostname, not an IP address';
  if (labels[labels.length - 1] === 'localhost' || isOwnHost(hostname, ownHost)) {
    return `${hostname} is the installation's own host; its links need no domain`;
  }
  return null;
}

/** The hostname of a request URL, lower case, without port: cheaper than parsing the whole URL on the hot path. */
export function hostOf(url: string): string {
  const start = url.indexOf('//') + 2;
  let end = url.indexOf('/', start);
  if (end < 0) end = url.length;
  const authority = url.slice(start, end).toLowerCase();
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.indexOf(':');
  return colon < 0 ? authority : authority.slice(0, colon);
}
