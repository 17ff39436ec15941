/**
 * The rate limiters' notion of one client: an IPv4 address, or the /64
 * network of an IPv6 address (one subscriber usually holds a whole /64, so a
 * per-address budget would be multiplied by 2^64). Pure; see lib/client.ts for
 * where the address comes from.
 */

/** The key for no known address: every such client shares one budget. */
export const SHARED_CLIENT = 'shared';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const ipv4Key = (ip: string): string | null => {
  const match = IPV4.exec(ip);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? `ip4:${parts.join('.')}` : null;
};

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail counts as two), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const key = ipv4Key(v4[1]);
    if (!key) return null;
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string) => (half === '' ? [] : half.split(':'));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16));
}

/**
 * The client key of an address: `ip4:a.b.c.d`, `ip6:xxxx:xxxx:xxxx:xxxx::/64`
 * (IPv4-mapped IPv6 counts as its IPv4 address), SHARED_CLIENT for none, and
 * the text itself (bounded) for anything unparseable.
 */
export function clientKey(ip: string): string {
  const text = ip.trim();
  if (text === '') return SHARED_CLIENT;
  const v4 = ipv4Key(text);
  if (v4) return v4;
  const groups = ipv6Groups(text);
  if (!groups) return `other:${text.slice(0, 64).toLowerCase()}`;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `ip4:${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  return `ip6:${groups
    .slice(0, 4)
    .map((group) => group.toString(16).padStart(4, '0'))
    .join(':')}::/64`;
}
