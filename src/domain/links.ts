/** Rules for slugs and destinations. */
import { customAlphabet } from 'nanoid';

/** No 0/O, 1/l/I: a slug read off a flyer is typed correctly. */
export const SLUG_ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const SLUG_LENGTH = 7;
export const CUSTOM_SLUG_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;

/** Paths the Worker itself answers; no slug may take them (compared case-insensitively). */
export const RESERVED_SLUGS = [
  'api',
  'r',
  'o',
  'w',
  'redeem',
  't.js',
  'healthz',
  'assets',
  'dashboard',
  'static',
  'login',
  'logout',
  'signin',
  'signout',
  'admin',
  'app',
  'favicon.ico',
  'robots.txt',
  'openapi.json',
  'docs',
  'qr',
  'reports',
  'settings',
  'campaigns',
  'links',
  'codes',
  'promo',
  'referrals',
  'www',
  'help',
  'status',
] as const;

export const generateSlug: () => string = customAlphabet(SLUG_ALPHABET, SLUG_LENGTH);

/** Why a custom slug is refused, or null when it is acceptable. */
export function slugProblem(slug: string): string | null {
  if (!CUSTOM_SLUG_PATTERN.test(slug)) return 'slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -';
  if ((RESERVED_SLUGS as readonly string[]).includes(slug.toLowerCase())) return `slug "${slug}" is reserved`;
  return null;
}

export const MAX_DESTINATION_LENGTH = 2048;

/** Why a destination URL is refused, or null when it is an acceptable absolute http(s) URL. */
export function destinationProblem(destination: string): string | null {
  if (destination.length > MAX_DESTINATION_LENGTH) return `must be at most ${MAX_DESTINATION_LENGTH} characters`;
  if (/[\s\u0000-\u001f]/.test(destination)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.hostname === '') return 'must name a host';
  return null;
}
