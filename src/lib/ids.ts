/**
 * Identifiers: prefixed, time-sortable ids (a ULID body: 10 characters of
 * milliseconds, 16 of randomness, Crockford base 32) and random secrets.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ID_PREFIXES = {
  apiKey: 'key',
  campaign: 'cmp',
  link: 'lnk',
  click: 'tpc',
  orphan: 'orv',
  open: 'opn',
  visitor: 'v',
  conversion: 'cnv',
  codeBatch: 'cbt',
  codeEntry: 'cen',
  promoCode: 'prm',
  promoRedemption: 'prd',
  referral: 'ref',
  authFailure: 'afl',
  member: 'mbr',
  loyaltyRule: 'lrl',
  loyaltyEvent: 'lev',
  ledger: 'led',
  reward: 'rwd',
  redemption: 'rdm',
  challenge: 'chl',
  draw: 'drw',
  refund: 'rfn',
  integration: 'int',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  webhookMessage: 'msg',
  domain: 'dom',
  spend: 'spd',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdGenerator = (kind: IdKind, now?: number) => string;

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** Random characters over `alphabet` (its length must divide 256 evenly or bias is accepted as negligible). */
export function randomString(length: number, alphabet: string = CROCKFORD): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** `cmp_01JD…`: sorts by creation time, so ids double as pagination cursors. */
export const newId: IdGenerator = (kind, now = Date.now()) => `${ID_PREFIXES[kind]}_${encodeTime(now)}${randomString(16)}`;

/**
 * The smallest id of `kind` minted at `ms`: every id minted before `ms` sorts below it, every id minted
 * at or after it sorts at or above it — so `id < idFloor(kind, ms)` says "recorded before ms".
 */
export const idFloor = (kind: IdKind, ms: number): string => `${ID_PREFIXES[kind]}_${encodeTime(ms)}`;
