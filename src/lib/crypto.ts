/** Hashing helpers on WebCrypto: SHA-256, keyed hashes, constant-time comparison. */
const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hex SHA-256 of a string. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/** Imported keys per secret: resolved values only, never a promise another request could be left awaiting. */
const hmacKeys = new Map<string, CryptoKey>();
const MAX_HMAC_KEYS = 16;

/** Hex HMAC-SHA-256 of `value` under `secret`: the keyed hash for personal references. */
export async function hmacHex(secret: string, value: string): Promise<string> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (hmacKeys.size >= MAX_HMAC_KEYS) hmacKeys.clear();
    hmacKeys.set(secret, key);
  }
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(value)));
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) {
    // Still spend the comparison so the length is the only thing that leaks.
    crypto.subtle.timingSafeEqual(left, left);
    return false;
  }
  return crypto.subtle.timingSafeEqual(left, right);
}
