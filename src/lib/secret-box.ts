/**
 * Secrets Touchpoint must keep to use again (a shop's webhook signing secret, an endpoint's `whsec_` secret),
 * stored encrypted: AES-256-GCM under a key derived (HKDF-SHA-256) from a Worker secret, a fresh 96-bit nonce
 * per seal. The sealed text is `v1.<base64url nonce>.<base64url ciphertext+tag>`; `label` binds it to its purpose
 * (additional data), so a value sealed for one purpose does not open for another.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Derived keys per Worker secret: resolved values only, never a promise shared across requests. */
const keys = new Map<string, CryptoKey>();
const MAX_KEYS = 8;

async function boxKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
    key = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('touchpoint secret box'), info: encoder.encode('v1') },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

const toBase64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** `plaintext` sealed under `secret` for `label`. */
export async function seal(secret: string, label: string, plaintext: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: encoder.encode(label) },
    await boxKey(secret),
    encoder.encode(plaintext),
  );
  return `v1.${toBase64Url(nonce)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The plaintext of `sealed`, or null when it is malformed, was sealed for another label, or under another secret. */
export async function open(secret: string, label: string, sealed: string): Promise<string | null> {
  const match = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/.exec(sealed);
  if (!match) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(match[1]), additionalData: encoder.encode(label) },
      await boxKey(secret),
      fromBase64Url(match[2]),
    );
    return decoder.decode(plain);
  } catch {
    return null;
  }
}
