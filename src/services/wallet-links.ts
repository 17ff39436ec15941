/**
 * A member's wallet link: `/w/<member id>.<wallet version>.<signature>`, no password. The signature is an
 * HMAC-SHA-256 (WALLET_SECRET, else the hash secret) over the member id and version, so only this Worker can
 * make one; raising the member's `wallet_version` revokes every link made before.
 */
import { walletSecret, type Bindings } from '../env';
import { hmacHex, timingSafeEqualStrings } from '../lib/crypto';

/** 128 bits of the HMAC: enough against guessing, short enough for a QR code or a text message. */
const SIGNATURE_HEX = 32;
const TOKEN_PATTERN = /^(mbr_[0-9A-Za-z]{1,40})\.([1-9][0-9]{0,8})\.([0-9a-f]{32})$/;

const signature = async (env: Bindings, memberId: string, version: number) =>
  (await hmacHex(walletSecret(env), `wallet:${memberId}:${version}`)).slice(0, SIGNATURE_HEX);

/** The token of a member's wallet link at `version`. */
export async function walletToken(env: Bindings, memberId: string, version: number): Promise<string> {
  return `${memberId}.${version}.${await signature(env, memberId, version)}`;
}

export const walletUrl = async (env: Bindings, origin: string, memberId: string, version: number): Promise<string> =>
  `${origin}/w/${await walletToken(env, memberId, version)}`;

/** The member and version a token was signed for, or null when it is malformed or its signature does not verify. */
export async function readWalletToken(env: Bindings, token: string): Promise<{ memberId: string; version: number } | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const [, memberId, versionText, given] = match;
  const version = Number(versionText);
  return timingSafeEqualStrings(given, await signature(env, memberId, version)) ? { memberId, version } : null;
}
