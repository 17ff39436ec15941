/**
 * Which URLs a webhook may be sent to (SSRF guard), checked when an endpoint is saved and again before every
 * attempt. In deployment: https only, and never a loopback, private, link-local, shared (CGNAT), multicast or
 * reserved address, nor a name that only means something inside a network (localhost, *.localhost, *.internal,
 * *.local, cloud metadata names, single-label names). Literal addresses are checked in every spelling the URL
 * parser accepts (it turns decimal, hex, octal and short IPv4 forms into dotted quads), and IPv6 addresses that
 * embed an IPv4 one (mapped, compatible, NAT64, 6to4) are checked by that IPv4 address.
 * A Worker cannot resolve a host name before fetching it, so a public name whose DNS points at a private address
 * is not caught here; Cloudflare's own fetch does not reach private networks from a deployed Worker.
 * `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK, set by `npm start`) admits http and loopback targets for local trials.
 */

/** IPv4 ranges refused, as [first octets, prefix length]. */
const BLOCKED_V4: ReadonlyArray<readonly [number[], number]> = [
  [[0], 8], // "this network", 0.0.0.0
  [[10], 8],
  [[100, 64], 10], // shared address space (carrier-grade NAT)
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata (169.254.169.254)
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'metadata.azure.com', 'metadata.packet.net']);
const INTERNAL_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa'];

function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function inV4Range(octets: readonly number[], [prefix, bits]: readonly [number[], number]): boolean {
  const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const base = (((prefix[0] ?? 0) << 24) | ((prefix[1] ?? 0) << 16) | ((prefix[2] ?? 0) << 8) | (prefix[3] ?? 0)) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value & mask) === (base & mask);
}

/** The 8 groups of an IPv6 address (without brackets), or null. */
function parseIpv6(host: string): number[] | null {
  let text = host.toLowerCase().replace(/%.*$/, '');
  const lastColon = text.lastIndexOf(':');
  const dotted = parseIpv4(text.slice(lastColon + 1));
  if (dotted) text = `${text.slice(0, lastColon + 1)}${((dotted[0] << 8) | dotted[1]).toString(16)}:${((dotted[2] << 8) | dotted[3]).toString(16)}`;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const hex = (list: string[]) => list.map((group) => Number.parseInt(group, 16));
  return [...hex(head), ...new Array<number>(8 - known).fill(0), ...hex(rest)];
}

const v4Blocked = (octets: readonly number[]): boolean => BLOCKED_V4.some((range) => inV4Range(octets, range));
const v4Loopback = (octets: readonly number[]): boolean => octets[0] === 127;

/** The IPv4 address an IPv6 one stands for (mapped, compatible, NAT64, 6to4), or null. */
function embeddedIpv4(groups: readonly number[]): number[] | null {
  const quad = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return quad(groups[6], groups[7]); // ::ffff:a.b.c.d
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return quad(groups[6], groups[7]); // ::a.b.c.d
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return quad(groups[6], groups[7]); // 64:ff9b::/96
  if (groups[0] === 0x2002) return quad(groups[1], groups[2]); // 6to4
  return null;
}

type Verdict = 'ok' | 'loopback' | 'blocked';

function ipv6Verdict(groups: readonly number[]): Verdict {
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback';
  if (groups.every((group) => group === 0)) return 'blocked';
  const v4 = embeddedIpv4(groups);
  if (v4) return v4Loopback(v4) ? 'loopback' : v4Blocked(v4) ? 'blocked' : 'ok';
  const first = groups[0];
  if ((first & 0xfe00) === 0xfc00) return 'blocked'; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return 'blocked'; // link-local, site-local
  if ((first & 0xff00) === 0xff00) return 'blocked'; // multicast
  if (first === 0x2001 && groups[1] === 0x0db8) return 'blocked'; // documentation
  return 'ok';
}

function hostVerdict(hostname: string): Verdict {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups ? ipv6Verdict(groups) : 'blocked';
  }
  const v4 = parseIpv4(host);
  if (v4) return v4Loopback(v4) ? 'loopback' : v4Blocked(v4) ? 'blocked' : 'ok';
  if (/^[0-9.]+$/.test(host) || /^0x/.test(host)) return 'blocked'; // a numeric form the URL parser left alone
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_HOSTS.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'blocked';
  if (!host.includes('.')) return 'blocked';
  return 'ok';
}

/** Why `url` may not receive webhooks, or null when it may. */
export function webhookTargetProblem(url: string, allowLoopback: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (parsed.protocol === 'http:' && !allowLoopback) return 'must use https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const verdict = hostVerdict(parsed.hostname);
  if (verdict === 'blocked') return `must not point at a private, internal or reserved host (${parsed.hostname})`;
  if (verdict === 'loopback' && !allowLoopback) return `must not point at a loopback host (${parsed.hostname})`;
  return null;
}
